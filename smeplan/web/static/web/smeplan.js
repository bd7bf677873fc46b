// smeplan: the only script. A filter <select data-autosubmit> submits its form when changed;
// data-clears="name" empties the dependent filter first (e.g. city → county, section → division).
document.addEventListener("change", function (event) {
  var el = event.target;
  if (!el.matches || !el.matches("select[data-autosubmit]")) return;
  var form = el.form;
  var clears = el.getAttribute("data-clears");
  if (clears && form.elements[clears]) form.elements[clears].value = "";
  if (form.elements.page) form.elements.page.value = "";
  form.submit();
});

// A form with data-confirm="question" asks before it is sent (undo, discard, delete).
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) event.preventDefault();
});

// A checkbox with data-autosubmit-check submits its (filter) form when ticked or cleared.
document.addEventListener("change", function (event) {
  var el = event.target;
  if (el.matches && el.matches("input[type=checkbox][data-autosubmit-check]")) el.form.submit();
});

// The progress bar of a background job (数据导入): polls the batch's progress URL once a second
// and reloads the page when the job has ended. Leaving the page does not stop the job.
(function () {
  function poll(box) {
    var url = box.getAttribute("data-progress-url");
    var bar = box.querySelector(".bar");
    var phase = box.querySelector(".job-phase");
    var percent = box.querySelector(".job-percent");
    var state = box.querySelector(".job-state");
    var meter = box.querySelector("[role=progressbar]");
    function tick() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
        .then(function (data) {
          if (data.done) { window.location.reload(); return; }
          bar.style.width = data.percent + "%";
          meter.setAttribute("aria-valuenow", data.percent);
          percent.textContent = data.percent + "%";
          if (data.phase) phase.textContent = data.phase;
          if (state) state.textContent = data.state_label;
          window.setTimeout(tick, 1000);
        })
        .catch(function () { window.setTimeout(tick, 5000); });
    }
    window.setTimeout(tick, 1000);
  }
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.querySelector("[data-progress-url]");
    if (box) poll(box);
  });
})();
