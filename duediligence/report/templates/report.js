(function () {
  "use strict";
  function flash(button, text) {
    var span = button.querySelector("span");
    var before = span.textContent;
    span.textContent = text;
    setTimeout(function () { span.textContent = before; }, 2500);
  }
  function select(button, target) {
    var range = document.createRange();
    range.selectNodeContents(target);
    var sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
    var copied = false;
    try { copied = document.execCommand("copy"); } catch (e) { copied = false; }
    flash(button, copied ? button.dataset.done : button.dataset.selected);
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-copy]");
    if (!button) { return; }
    var target = document.getElementById(button.dataset.copy);
    if (!target) { return; }
    var text = target.textContent;
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { flash(button, button.dataset.done); },
                                               function () { select(button, target); });
    } else {
      select(button, target);
    }
  });
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details").forEach(function (d) { d.open = true; });
  });
})();
