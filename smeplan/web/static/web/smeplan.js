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

// 修改认定条件: rows added and removed in the page, fields shown for what the chosen metric needs,
// and the live preview — the form posted as JSON (with the CSRF header) 400 ms after the last change;
// the answer ("按此条件，全省 N 家参评：…") or the Chinese messages replace the preview text.
(function () {
  function fit(row) {
    var metric = row.querySelector(".c-metric");
    var option = metric.options[metric.selectedIndex];
    var kind = option ? option.getAttribute("data-kind") : "";
    var unit = option ? option.getAttribute("data-unit") : "";
    var averageable = option && option.getAttribute("data-averageable") === "1";
    var role = row.querySelector(".c-role").value;
    var operator = row.querySelector(".c-operator").value;
    var reference = row.querySelector(".c-reference");
    var manual = kind === "manual" || role === "manual";
    var category = kind === "category";
    if (!averageable && reference.value !== "threshold") reference.value = "threshold";
    function show(el, visible) { if (el) el.hidden = !visible; }
    show(row.querySelector(".c-operator"), !manual);
    show(reference, !manual && !category && averageable);
    show(row.querySelector(".c-thresholds"), !manual && !category && reference.value === "threshold");
    show(row.querySelector(".c-high"), operator === "between");
    row.querySelector(".c-unit").textContent = unit;
    row.querySelectorAll(".c-choices").forEach(function (box) {
      show(box, !manual && category && box.getAttribute("data-metric") === metric.value);
    });
    var hasChoices = row.querySelector('.c-choices[data-metric="' + metric.value + '"]');
    show(row.querySelector(".c-choices-text"), !manual && category && !hasChoices);
    show(row.querySelector(".c-years"), !manual);
  }

  function payload(form) {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.disabled || el.name === "csrfmiddlewaretoken") return;
      if ((el.type === "checkbox" || el.type === "radio")) {
        if (!el.checked) return;
        (data[el.name] = data[el.name] || []).push(el.value);
        return;
      }
      data[el.name] = el.value;
    });
    return data;
  }

  function setup(form) {
    var body = form.querySelector("#criteria-rows");
    var template = document.getElementById("criterion-row-template");
    var text = document.getElementById("preview-text");
    var errors = document.getElementById("preview-errors");
    var url = form.getAttribute("data-preview-url");
    var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    var timer = null;
    var sequence = 0;

    function preview() {
      var mine = ++sequence;
      text.classList.add("muted");
      fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": token },
        body: JSON.stringify(payload(form))
      })
        .then(function (r) { return r.json().catch(function () { return { ok: false, errors: ["预览失败（" + r.status + "）"] }; }); })
        .then(function (data) {
          if (mine !== sequence) return; // a newer edit is being previewed
          errors.innerHTML = "";
          text.classList.remove("muted");
          if (data.ok) {
            text.textContent = data.text;
            text.classList.remove("invalid");
          } else {
            text.textContent = "条件有误，无法预览：";
            text.classList.add("invalid");
            (data.errors || []).forEach(function (message) {
              var li = document.createElement("li");
              li.textContent = message;
              errors.appendChild(li);
            });
          }
        })
        .catch(function () { if (mine === sequence) text.textContent = "预览暂时不可用"; });
    }
    function later() {
      window.clearTimeout(timer);
      timer = window.setTimeout(preview, 400);
    }

    body.querySelectorAll(".criterion-row").forEach(fit);
    form.addEventListener("change", function (event) {
      var row = event.target.closest && event.target.closest(".criterion-row");
      if (row) fit(row);
      later();
    });
    form.addEventListener("input", function (event) {
      if (event.target.matches("input[type=text], input[type=number]")) later();
    });
    form.querySelector("#add-criterion").addEventListener("click", function () {
      var n = body.getAttribute("data-next");
      body.setAttribute("data-next", String(Number(n) + 1));
      var html = template.innerHTML.replace(/__i__/g, n);
      var holder = document.createElement("tbody");
      holder.innerHTML = html;
      var row = holder.querySelector("tr");
      body.appendChild(row);
      fit(row);
      row.querySelector(".c-metric").focus();
      later();
    });
    body.addEventListener("click", function (event) {
      if (!event.target.matches(".c-remove")) return;
      event.target.closest(".criterion-row").remove();
      later();
    });
    preview();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("criteria-form");
    if (form) setup(form);
  });
})();

// A section with data-fragment="url" is replaced by the HTML that URL returns: a part of a page
// that takes longer to count than the page itself (目标进度's 梯队构成) arrives after it.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-fragment]").forEach(function (slot) {
    fetch(slot.getAttribute("data-fragment"), { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) { slot.outerHTML = html; })
      .catch(function () {
        var status = slot.querySelector(".fragment-status");
        if (status) status.textContent = "统计未能完成，请刷新页面重试";
      });
  });
});

// 申报表（表单设计）: a field with data-show-field="code" data-show-values="a|b" is shown only while
// that field's value (select, radio, checkbox, text) is one of the values (the server decides first
// and drops hidden answers); a table's "增加一行" (data-add-row="code") copies its last row with
// empty inputs and the next row number, "删除行" (data-remove-row) removes a row (the last one is
// emptied instead), data-move-row="up|down" moves a row (申报表设计: fields are saved in page order).
(function () {
  function currentValues(form, name) {
    var out = [];
    Array.prototype.forEach.call(form.querySelectorAll("[name='" + name + "']"), function (el) {
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) return;
      if (el.value !== "") out.push(el.value);
    });
    return out;
  }
  function refresh(form) {
    form.querySelectorAll("[data-show-field]").forEach(function (box) {
      var wanted = box.getAttribute("data-show-values").split("|");
      var values = currentValues(form, box.getAttribute("data-show-field"));
      box.hidden = !values.some(function (v) { return wanted.indexOf(v) >= 0; });
    });
  }
  document.addEventListener("change", function (event) {
    var form = event.target.form;
    if (form && form.querySelector("[data-show-field]")) refresh(form);
  });
  document.addEventListener("click", function (event) {
    var add = event.target.closest && event.target.closest("[data-add-row]");
    if (add) {
      var table = document.querySelector("[data-rows-table='" + add.getAttribute("data-add-row") + "']");
      var rows = table.querySelectorAll("tbody tr[data-row]");
      var max = parseInt(table.getAttribute("data-max-rows") || "50", 10);
      if (rows.length >= max) return;
      var code = add.getAttribute("data-add-row");
      var last = rows[rows.length - 1];
      var copy = last.cloneNode(true);
      var next = 0;
      table.querySelectorAll("[name^='" + code + "-']").forEach(function (el) {
        var n = parseInt(el.name.split("-")[1], 10);
        if (n >= next) next = n + 1;
      });
      copy.querySelectorAll("input, select").forEach(function (el) {
        el.name = code + "-" + next + "-" + el.name.split("-").slice(2).join("-");
        if (el.tagName === "SELECT") el.selectedIndex = 0;
        else if (el.type === "checkbox" || el.type === "radio") el.checked = false;
        else el.value = "";
      });
      last.parentNode.appendChild(copy);
      return;
    }
    var move = event.target.closest && event.target.closest("[data-move-row]");
    if (move) {  // rows are sent in page order: moving a row moves its field
      var tr = move.closest("tr");
      if (move.getAttribute("data-move-row") === "up" && tr.previousElementSibling) tr.parentNode.insertBefore(tr, tr.previousElementSibling);
      else if (move.getAttribute("data-move-row") === "down" && tr.nextElementSibling) tr.parentNode.insertBefore(tr.nextElementSibling, tr);
      return;
    }
    var remove = event.target.closest && event.target.closest("[data-remove-row]");
    if (remove) {
      var row = remove.closest("tr");
      if (row.parentNode.querySelectorAll("tr[data-row]").length > 1) row.parentNode.removeChild(row);
      else row.querySelectorAll("input, select").forEach(function (el) { if (el.tagName === "SELECT") el.selectedIndex = 0; else el.value = ""; });
    }
  });
})();
