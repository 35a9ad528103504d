// The lead's "Copy every link" button: shown only where scripts run (the links stay selectable without).
(function () {
  "use strict";
  var button = document.getElementById("copy-links");
  if (!button) { return; }
  var box = document.getElementById(button.getAttribute("data-copy"));
  var done = document.getElementById("copy-links-done");
  button.hidden = false;
  button.addEventListener("click", function () {
    box.select();
    var said = function (text) { done.textContent = text; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(box.value).then(function () { said("Copied."); },
        function () { said("Press Ctrl+C to copy the selected links."); });
    } else {
      said(document.execCommand("copy") ? "Copied." : "Press Ctrl+C to copy the selected links.");
    }
  });
})();
