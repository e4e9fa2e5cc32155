// Live events for every page: one EventSource on /events. Each event is
// re-dispatched on document as a "galaxy:<kind>" CustomEvent (detail = its
// JSON payload) so page scripts can react; this file keeps the unread badge
// and the banner that announces a new turn. Pages work without it.
(function () {
  "use strict";
  if (!window.EventSource || !document.querySelector("form.signout")) return;
  var badge = document.querySelector("[data-unread]");
  var banner = document.querySelector(".live-banner");
  var game = document.body.getAttribute("data-game");

  function show(html) {
    if (!banner) return;
    banner.innerHTML = html;
    banner.hidden = false;
  }
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function bump() {
    if (!badge) return;
    var n = parseInt(badge.getAttribute("data-unread"), 10) || 0;
    n += 1;
    badge.setAttribute("data-unread", String(n));
    badge.textContent = String(n);
    badge.hidden = false;
  }

  var es = new EventSource("/events");
  // Marks the page while its stream is open (tests wait for it; CSS may too).
  es.onopen = function () { document.body.setAttribute("data-live", "open"); };
  es.onerror = function () { document.body.removeAttribute("data-live"); };
  es.addEventListener("resync", function () {
    // Events may have been missed: the page's data is stale.
    document.dispatchEvent(new CustomEvent("galaxy:resync"));
    if (!document.querySelector("[data-keep-on-resync]")) location.reload();
  });
  es.onmessage = null;
  var kinds = ["game.turn.ready", "game.finished", "lobby.application.submitted", "lobby.application.approved",
    "lobby.application.rejected", "lobby.invite.created", "lobby.game.starting", "lobby.game.started",
    "lobby.game.start_failed", "lobby.game.cancelled", "lobby.membership.blocked", "game.readiness.changed",
    "game.turn.reminder", "auth.session.revoked"];
  kinds.forEach(function (kind) {
    es.addEventListener(kind, function (e) {
      // The last kind seen, for tests and for curious players' dev tools.
      document.body.setAttribute("data-last-event", kind);
      var data = {};
      try { data = JSON.parse(e.data); } catch (err) { /* keep {} */ }
      // Notifications arrive as {notification_id, kind, payload, created_at};
      // pages want the payload (game_id, turn, …), with the id beside it.
      if (data && data.payload && typeof data.payload === "object") {
        var id = data.notification_id;
        data = data.payload;
        data.notification_id = id;
      }
      if (kind !== "auth.session.revoked" && kind !== "game.readiness.changed") bump();
      if (kind === "auth.session.revoked") {
        location.href = "/signin";
        return;
      }
      if ((kind === "game.turn.ready" || kind === "game.finished") && data.game_id) {
        var here = game === data.game_id;
        show((kind === "game.finished" ? "The game " + esc(data.game_name || "") + " is over. " :
          "Turn " + esc(data.turn) + " of " + esc(data.game_name || "your game") + " is ready. ") +
          '<a href="/games/' + encodeURIComponent(data.game_id) + '/reports/latest">Read the report</a>' +
          (here ? "" : ' · <a href="/games/' + encodeURIComponent(data.game_id) + '">Open the game</a>'));
        var turnEls = document.querySelectorAll('[data-live-turn="' + data.game_id + '"]');
        for (var i = 0; i < turnEls.length; i++) turnEls[i].textContent = String(data.turn);
      } else if (kind.indexOf("lobby.") === 0 && data.game_id && game === data.game_id) {
        show("This game changed. <a href=\"\">Reload to see it</a>.");
      }
      document.dispatchEvent(new CustomEvent("galaxy:" + kind, { detail: data }));
    });
  });
})();
