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
