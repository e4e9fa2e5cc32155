// Keeps a running game's "orders for turn N" list live: each
// game.readiness.changed event (re-dispatched by live.js) carries the whole
// list, names and flags only, never orders.
(function () {
  "use strict";
  var list = document.querySelector("[data-readiness]");
  if (!list) return;
  var turnEl = document.querySelector("[data-readiness-turn]");
  document.addEventListener("galaxy:game.readiness.changed", function (e) {
    var d = e.detail || {};
    if (d.game_id !== document.body.getAttribute("data-game") || !d.items) return;
    if (turnEl) turnEl.textContent = String(d.turn);
    list.textContent = "";
    d.items.forEach(function (r) {
      var li = document.createElement("li");
      li.setAttribute("data-race", r.race_name);
      var state = document.createElement("span");
      state.className = r.submitted ? "ok" : "muted";
      state.textContent = r.final ? "done (final)" : r.submitted ? "orders in" : "no orders yet";
      li.appendChild(document.createTextNode(r.race_name + ": "));
      li.appendChild(state);
      list.appendChild(li);
    });
  });
})();
