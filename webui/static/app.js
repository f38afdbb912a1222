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
  // The process diagram: zoom (buttons, Ctrl + wheel, + and -), fit to width, full screen, pan by
  // dragging or with the arrow keys. Without this file the diagram still scrolls sideways.
  var figure = document.querySelector("figure.diagram");
  var svg = figure && figure.querySelector("svg");
  var tools = document.querySelector(".diagram-tools");
  if (figure && svg && tools) {
    var box = svg.viewBox && svg.viewBox.baseVal;
    var natural = box && box.width ? box.width : svg.getBoundingClientRect().width;
    var zoom = 1;
    var fit = function () { return (figure.clientWidth - 16) / natural; };
    var apply = function (next, keepX, keepY) {
      var before = zoom;
      zoom = Math.min(4, Math.max(fit() / 2, next));
      figure.classList.add("zoomed");
      svg.style.width = Math.round(natural * zoom) + "px";
      if (keepX !== undefined) {
        figure.scrollLeft = (figure.scrollLeft + keepX) * zoom / before - keepX;
        figure.scrollTop = (figure.scrollTop + keepY) * zoom / before - keepY;
      }
    };
    apply(Math.max(fit(), 1));
    tools.hidden = false;
    tools.addEventListener("click", function (event) {
      var action = event.target.getAttribute("data-zoom");
      if (action === "in") { apply(zoom * 1.25); }
      if (action === "out") { apply(zoom / 1.25); }
      if (action === "fit") { apply(fit()); }
      if (action === "full" && figure.requestFullscreen) { figure.requestFullscreen(); }
    });
    figure.addEventListener("wheel", function (event) {
      if (!event.ctrlKey && !event.metaKey) { return; }
      event.preventDefault();
      var rect = figure.getBoundingClientRect();
      apply(zoom * (event.deltaY < 0 ? 1.15 : 1 / 1.15), event.clientX - rect.left, event.clientY - rect.top);
    }, { passive: false });
    figure.addEventListener("keydown", function (event) {
      var step = 60;
      var moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
      if (event.key === "+" || event.key === "=") { apply(zoom * 1.25); }
      else if (event.key === "-") { apply(zoom / 1.25); }
      else if (event.key === "0") { apply(fit()); }
      else if (moves[event.key]) { figure.scrollBy(moves[event.key][0], moves[event.key][1]); }
      else { return; }
      event.preventDefault();
    });
    var drag = null;
    figure.addEventListener("pointerdown", function (event) {
      drag = { x: event.clientX, y: event.clientY, left: figure.scrollLeft, top: figure.scrollTop };
    });
    window.addEventListener("pointerup", function () { drag = null; });
    figure.addEventListener("pointermove", function (event) {
      if (!drag) { return; }
      figure.scrollLeft = drag.left - (event.clientX - drag.x);
      figure.scrollTop = drag.top - (event.clientY - drag.y);
    });
  }
});
