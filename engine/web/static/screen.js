// The facilitator's screen: reload when answers arrive (the page polls a small JSON
// endpoint of this app), and step through the screens with the arrow keys.
(function () {
  "use strict";
  var frame = document.getElementById("screen");
  if (!frame) { return; }
  var seen = frame.getAttribute("data-changes");
  var url = frame.getAttribute("data-poll");
  function poll() {
    fetch(url, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data && data.changes !== seen) { window.location.reload(); }
      })
      .catch(function () { /* the server may be restarting: try again next time */ });
  }
  window.setInterval(poll, 3000);
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    var rel = { ArrowRight: "next", PageDown: "next", " ": "next", ArrowLeft: "prev", PageUp: "prev" }[event.key];
    var link = rel && document.querySelector('a[rel="' + rel + '"]');
    if (link) { event.preventDefault(); window.location.href = link.href; }
  });
})();
