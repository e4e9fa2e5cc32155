// The pages of a running game (map, report, history, orders) follow the
// game live: when a turn of this game is ready, the page fetches itself
// again and swaps the contents of <main>, without a reload. live.js shows
// the banner; this file only brings the content up to date. The order
// editor is left alone while it holds unsaved text (orders.js marks it
// with data-unsaved and handles the new turn itself).
//
// After a swap, "galaxy:content-replaced" is dispatched on document so that
// the page's other scripts can set themselves up on the new content.
(function () {
  "use strict";
  var game = document.body.getAttribute("data-game");
  if (!game || !window.fetch || !window.DOMParser) return;
  var busy = false;

  // The event's detail is the notification's payload ({game_id, turn, …});
  // a whole notification ({kind, payload}) is unwrapped.
  function payload(e) {
    var d = (e && e.detail) || {};
    return d.payload && typeof d.payload === "object" ? d.payload : d;
  }

  function refresh() {
    if (busy) return;
    busy = true;
    fetch(location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (r) {
        if (!r.ok || r.redirected) throw new Error("status " + r.status);
        return r.text();
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.querySelector("main");
        var main = document.querySelector("main");
        if (!fresh || !main) return;
        // The player may have started typing while the page was fetched.
        if (document.querySelector("[data-unsaved]")) return;
        document.dispatchEvent(new CustomEvent("galaxy:content-replacing"));
        main.replaceChildren.apply(main, Array.prototype.map.call(fresh.childNodes, function (n) {
          return document.importNode(n, true);
        }));
        if (doc.title) document.title = doc.title;
        document.dispatchEvent(new CustomEvent("galaxy:content-replaced"));
      })
      .catch(function () { /* the banner of live.js still offers the way to the new turn */ })
      .then(function () { busy = false; });
  }

  document.addEventListener("galaxy:game.turn.ready", function (e) {
    var d = payload(e);
    if (d.game_id !== game || document.querySelector("[data-unsaved]")) return;
    refresh();
  });
  document.addEventListener("galaxy:game.finished", function (e) {
    var d = payload(e);
    if (d.game_id === game && !document.querySelector("[data-unsaved]")) refresh();
  });
  // live.js reloads on a resync unless the page keeps its state
  // ([data-keep-on-resync]); such a page still wants fresh data.
  document.addEventListener("galaxy:resync", function () {
    if (document.querySelector("[data-keep-on-resync]") && !document.querySelector("[data-unsaved]")) refresh();
  });
})();
