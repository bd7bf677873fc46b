// smeplan charts (Apache ECharts; plain ES2017, no build step). A page that shows charts loads
// vendor/echarts.min.js and then this file, both with defer, in {% block scripts %}.
//
//   {{ option|json_script:"chart-1" }}
//   <div class="chart" data-echarts="chart-1" style="height: 420px"></div>
//
// data-echarts names the <script type="application/json"> holding the chart's option (Django's
// json_script). A map chart also gives data-map-url (the GeoJSON, e.g. {% static 'maps/shaanxi-counties.json' %})
// and data-map-name (the name its series' `map` uses): the GeoJSON is fetched once per URL and
// registered before the option is set. Every chart is drawn on DOMContentLoaded and resized with the
// window; a page that changes an option (in its json_script or element) calls
// window.smeplanCharts.render(el) again, which returns a Promise of the ECharts instance.
(function () {
  "use strict";

  const geojsonByUrl = new Map(); // url → Promise of the parsed GeoJSON
  const registered = new Map(); // map name → url it was registered from

  function fetchGeojson(url) {
    let pending = geojsonByUrl.get(url);
    if (!pending) {
      pending = fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(
        function (response) {
          if (!response.ok) throw new Error("map " + url + ": HTTP " + response.status);
          return response.json();
        }
      );
      geojsonByUrl.set(url, pending);
      pending.catch(function () { geojsonByUrl.delete(url); }); // a later render may try again
    }
    return pending;
  }

  async function ensureMap(url, name) {
    const geojson = await fetchGeojson(url);
    if (registered.get(name) !== url) {
      window.echarts.registerMap(name, geojson);
      registered.set(name, url);
    }
  }

  function readOption(el) {
    const id = el.getAttribute("data-echarts");
    const holder = id && document.getElementById(id);
    if (!holder) throw new Error("chart option #" + id + " not found");
    return JSON.parse(holder.textContent);
  }

  function showFailure(el, error) {
    el.setAttribute("data-chart-failed", "");
    el.textContent = el.getAttribute("data-error-text") || "图表加载失败";
    console.error("smeplan charts:", error);
  }

  async function render(el) {
    if (!window.echarts) throw new Error("vendor/echarts.min.js is not loaded before web/charts.js");
    const option = readOption(el);
    const url = el.getAttribute("data-map-url");
    const name = el.getAttribute("data-map-name");
    if (url && name) await ensureMap(url, name);
    if (el.hasAttribute("data-chart-failed")) {
      el.removeAttribute("data-chart-failed");
      el.textContent = ""; // the failure message of an earlier render
    }
    const chart = window.echarts.getInstanceByDom(el) || window.echarts.init(el);
    chart.setOption(option, true); // the new option replaces the old one as a whole
    return chart;
  }

  function renderGuarded(el) {
    return render(el).catch(function (error) {
      showFailure(el, error);
      return null;
    });
  }

  function renderAll(root) {
    const elements = (root || document).querySelectorAll("[data-echarts]");
    return Promise.all(Array.prototype.map.call(elements, renderGuarded));
  }

  let resizeQueued = false;
  window.addEventListener("resize", function () {
    if (resizeQueued || !window.echarts) return;
    resizeQueued = true;
    window.requestAnimationFrame(function () {
      resizeQueued = false;
      document.querySelectorAll("[data-echarts]").forEach(function (el) {
        const chart = window.echarts.getInstanceByDom(el);
        if (chart) chart.resize();
      });
    });
  });

  window.smeplanCharts = { render: render, renderAll: renderAll };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { renderAll(); });
  } else {
    renderAll();
  }
})();
