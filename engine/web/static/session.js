// The live session, on the facilitator's screen and on the phones: every 2 seconds, ask
// state.json (a small JSON answer of this app) how the session stands. Counts are written
// in place; when the facilitator moves on (a new statement, a vote closed or opened), the
// page's content is fetched again and swapped in, and the results are said in the
// live region for a screen reader. Without JavaScript the page has a refresh button.
(function () {
  "use strict";
  var root = document.getElementById("session");
  var announce = document.getElementById("announce");
  if (!root || !window.fetch) { return; }
  var url = root.getAttribute("data-poll");
  var phase = root.getAttribute("data-phase");
  var busy = false;

  function setText(id, value) {
    var node = document.getElementById(id);
    if (node && node.textContent !== String(value)) { node.textContent = String(value); }
  }

  function swap() {
    var focused = document.activeElement && document.activeElement.id;
    return fetch(window.location.href, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) { return; }
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("session");
        if (!fresh) { return; }
        root.innerHTML = fresh.innerHTML;
        root.setAttribute("data-phase", fresh.getAttribute("data-phase"));
        var again = focused && document.getElementById(focused);
        if (again) { again.focus(); }
      });
  }

  function poll() {
    if (busy) { return; }
    busy = true;
    fetch(url, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { return null; }
        setText("joined", data.joined);
        setText("voted", data.voted);
        setText("needed", data.needed);
        if (data.phase !== phase) {
          phase = data.phase;
          return swap().then(function () {
            if (announce) { announce.textContent = data.results || "The facilitator has moved on."; }
          });
        }
        return null;
      })
      .catch(function () { /* the server may be restarting: try again next time */ })
      .then(function () { busy = false; });
  }
  // A page loaded after the facilitator moved on (their own button, or a reload) says its results once.
  var key = "ph-session-seen:" + url;
  try {
    if (announce && window.sessionStorage.getItem(key) !== phase) {
      fetch(url, { credentials: "same-origin", cache: "no-store" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) { if (data && data.results) { announce.textContent = data.results; } })
        .catch(function () { /* said at the next change instead */ });
    }
    window.sessionStorage.setItem(key, phase);
  } catch (ignored) { /* storage may be turned off: nothing is said twice then either */ }
  window.setInterval(function () {
    poll();
    try { window.sessionStorage.setItem(key, phase); } catch (ignored) { /* as above */ }
  }, 2000);
})();
