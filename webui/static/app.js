// Progressive enhancement only: every page works without this file.
document.addEventListener("DOMContentLoaded", function () {
  // After a failed submit, take keyboard and screen-reader users straight to the error summary.
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
  // A money field shows the currency chosen beside it.
  document.querySelectorAll("[data-currency-of]").forEach(function (unit) {
    var select = document.getElementById(unit.getAttribute("data-currency-of"));
    if (!select) { return; }
    var show = function () { unit.textContent = select.value; };
    select.addEventListener("change", show);
    show();
  });
});
