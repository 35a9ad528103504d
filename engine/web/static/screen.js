// The facilitator's screen. It never reloads itself: the count of answers updates in place
// (the page polls a small JSON endpoint of this app), and any other step says that new
// answers have come in, for the facilitator to refresh when the room is ready.
// Keys: -> / Space / PageDown next, <- / Shift+Space / PageUp back, Home first, End last.
(function () {
  "use strict";
  var frame = document.getElementById("screen");
  if (!frame) { return; }
  var seen = frame.getAttribute("data-changes");
  var url = frame.getAttribute("data-poll");
  var answered = document.getElementById("answered");
  var started = document.getElementById("started");
  var news = document.getElementById("news");
  Array.prototype.forEach.call(document.querySelectorAll(".screen-js"), function (el) { el.hidden = false; });
  if (answered) { answered.setAttribute("aria-live", "polite"); }
  function poll() {
    fetch(url, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data || String(data.changes) === seen) { return; }
        seen = String(data.changes);
        if (answered) {
          answered.textContent = data.finished;
          if (started) { started.textContent = data.started; }
        } else if (news) {
          news.textContent = "New answers have come in: Refresh to include them.";
        }
      })
      .catch(function () { /* the server may be restarting: try again next time */ });
  }
  window.setInterval(poll, 3000);
  function go(id) {
    var link = document.querySelector(id);
    if (link) { window.location.href = link.href; return true; }
    return false;
  }
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    var target = event.target;
    if (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) { return; }
    var key = event.key === " " && event.shiftKey ? "ShiftSpace" : event.key;
    var where = {
      ArrowRight: 'a[rel="next"]', PageDown: 'a[rel="next"]', " ": 'a[rel="next"]',
      ArrowLeft: 'a[rel="prev"]', PageUp: 'a[rel="prev"]', ShiftSpace: 'a[rel="prev"]',
      Home: "#first", End: "#last"
    }[key];
    if (where) {
      event.preventDefault();  // nothing is below the fold: these keys only ever move between steps
      go(where);
    }
  });
})();
