// The galaxy map: zoom (wheel, pinch, buttons) and pan (drag) by changing
// the SVG's viewBox, and planet choice without a reload (the planet panel
// and the map's highlight are fetched from the same URL a link would load).
// Without this script the map is a plain picture of links to ?planet=.
(function () {
  "use strict";
  var MIN_SCALE = 1 / 40; // the closest zoom shows 1/40 of the galaxy's side
  var saved = null;       // the view, kept when the page's content is swapped
  var names = true;       // planet names shown

  function setUp() {
    var svg = document.querySelector("svg.galaxy-map:not(.legend-icon)");
    if (!svg || svg.hasAttribute("data-zoom-ready")) return;
    svg.setAttribute("data-zoom-ready", "");
    var init = (svg.getAttribute("viewBox") || "0 0 100 100").split(/[\s,]+/).map(parseFloat);
    var full = { x: init[0], y: init[1], w: init[2], h: init[3] };
    var vb = saved && saved.w0 === full.w ? { x: saved.x, y: saved.y, w: saved.w, h: saved.h } : copy(full);
    var tools = document.querySelector(".map-tools");
    if (tools) tools.hidden = false;
    var hint = document.querySelector(".map-hint .js-only");
    if (hint) hint.hidden = false;

    function copy(v) { return { x: v.x, y: v.y, w: v.w, h: v.h }; }

    function apply() {
      var w = Math.min(full.w, Math.max(full.w * MIN_SCALE, vb.w));
      var h = w * full.h / full.w;
      // Keep at least half of the view over the galaxy.
      vb.x = Math.min(full.x + full.w - w / 2, Math.max(full.x - w / 2, vb.x));
      vb.y = Math.min(full.y + full.h - h / 2, Math.max(full.y - h / 2, vb.y));
      vb.w = w;
      vb.h = h;
      if (w >= full.w) { vb.x = full.x; vb.y = full.y; }
      svg.setAttribute("viewBox", [vb.x, vb.y, vb.w, vb.h].map(function (n) { return +n.toFixed(3); }).join(" "));
      svg.classList.toggle("zoomed", w < full.w);
      svg.classList.toggle("labels-off", !names);
      saved = { x: vb.x, y: vb.y, w: vb.w, h: vb.h, w0: full.w };
    }

    // The galaxy point under a screen point (the picture keeps its aspect,
    // centred in the element).
    function toMap(cx, cy) {
      var r = svg.getBoundingClientRect();
      var s = Math.min(r.width / vb.w, r.height / vb.h);
      var ox = (r.width - vb.w * s) / 2, oy = (r.height - vb.h * s) / 2;
      return { x: vb.x + (cx - r.left - ox) / s, y: vb.y + (cy - r.top - oy) / s, s: s };
    }

    function zoomAt(f, p) {
      var w = Math.min(full.w, Math.max(full.w * MIN_SCALE, vb.w * f));
      f = w / vb.w;
      vb.x = p.x - (p.x - vb.x) * f;
      vb.y = p.y - (p.y - vb.y) * f;
      vb.w *= f;
      vb.h *= f;
      apply();
    }
    function centre() { return { x: vb.x + vb.w / 2, y: vb.y + vb.h / 2 }; }

    svg.addEventListener("wheel", function (e) {
      e.preventDefault();
      var d = e.deltaMode === 1 ? e.deltaY * 30 : e.deltaY;
      zoomAt(Math.pow(1.0015, Math.max(-300, Math.min(300, d))), toMap(e.clientX, e.clientY));
    }, { passive: false });

    // Dragging pans; two pointers pinch. A drag is not a click on a planet.
    var pts = {}, start = null, dragged = false;
    function count() { return Object.keys(pts).length; }
    function begin() {
      var ids = Object.keys(pts);
      var a = pts[ids[0]], b = pts[ids[1]] || a;
      start = { vb: copy(vb), a: { x: a.x, y: a.y }, mid: { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 },
        dist: Math.hypot(a.x - b.x, a.y - b.y), at: toMap((a.x + b.x) / 2, (a.y + b.y) / 2) };
    }
    svg.addEventListener("pointerdown", function (e) {
      if (e.pointerType === "mouse" && e.button !== 0) return;
      pts[e.pointerId] = { x: e.clientX, y: e.clientY };
      dragged = false;
      begin();
    });
    svg.addEventListener("pointermove", function (e) {
      if (!pts[e.pointerId] || !start) return;
      pts[e.pointerId] = { x: e.clientX, y: e.clientY };
      var n = count();
      if (n === 1) {
        var dx = e.clientX - start.a.x, dy = e.clientY - start.a.y;
        if (!dragged && Math.hypot(dx, dy) < 5) return;
        // At the whole galaxy a touch drag scrolls the page instead.
        if (!dragged && e.pointerType === "touch" && !svg.classList.contains("zoomed")) return;
        if (!dragged) {
          dragged = true;
          try { svg.setPointerCapture(e.pointerId); } catch (err) { /* older browsers */ }
        }
        vb.x = start.vb.x - dx / start.at.s;
        vb.y = start.vb.y - dy / start.at.s;
        apply();
      } else if (n === 2 && start.dist > 0) {
        // The galaxy point first under the fingers' midpoint stays under it.
        var ids = Object.keys(pts), a = pts[ids[0]], b = pts[ids[1]];
        var f = start.dist / Math.max(1, Math.hypot(a.x - b.x, a.y - b.y));
        f = Math.min(full.w, Math.max(full.w * MIN_SCALE, start.vb.w * f)) / start.vb.w;
        var r = svg.getBoundingClientRect(), s1 = start.at.s / f;
        var ox = (r.width - start.vb.w * start.at.s) / 2, oy = (r.height - start.vb.h * start.at.s) / 2;
        var mx = (a.x + b.x) / 2, my = (a.y + b.y) / 2;
        dragged = true;
        vb = { w: start.vb.w * f, h: start.vb.h * f,
          x: start.at.x - (mx - r.left - ox) / s1, y: start.at.y - (my - r.top - oy) / s1 };
        apply();
      }
    });
    function end(e) {
      delete pts[e.pointerId];
      if (count() > 0) begin(); else start = null;
    }
    svg.addEventListener("pointerup", end);
    svg.addEventListener("pointercancel", end);
    svg.addEventListener("click", function (e) {
      if (dragged) {
        e.preventDefault();
        e.stopPropagation();
        dragged = false;
        return;
      }
      var a = e.target.closest && e.target.closest("a");
      if (!a || e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
      var href = a.getAttribute("href") || a.getAttribute("xlink:href");
      if (!href) return;
      e.preventDefault();
      choose(href, true);
    }, true);

    if (tools) {
      tools.onclick = function (e) {
        var b = e.target.closest("button");
        if (!b) return;
        var z = b.getAttribute("data-zoom");
        if (z === "in") zoomAt(1 / 1.6, centre());
        else if (z === "out") zoomAt(1.6, centre());
        else if (z === "reset") { vb = copy(full); apply(); }
        else if (b.hasAttribute("data-labels")) {
          names = !names;
          b.setAttribute("aria-pressed", String(names));
          apply();
        }
      };
      var lb = tools.querySelector("[data-labels]");
      if (lb) lb.setAttribute("aria-pressed", String(names));
    }
    apply();
  }

  // choose shows a planet's panel and highlight: the page at href, fetched,
  // lends its panel and its map's content; the view stays where it is.
  function choose(href, push) {
    fetch(href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (r) {
        if (!r.ok || r.redirected) throw new Error("status " + r.status);
        return r.text();
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var panel = document.getElementById("planet-panel"), fresh = doc.getElementById("planet-panel");
        var svg = document.querySelector("svg.galaxy-map:not(.legend-icon)");
        var freshSvg = doc.querySelector("svg.galaxy-map:not(.legend-icon)");
        if (!panel || !fresh || !svg || !freshSvg) throw new Error("unexpected page");
        panel.replaceWith(document.importNode(fresh, true));
        svg.replaceChildren.apply(svg, Array.prototype.map.call(freshSvg.childNodes, function (n) {
          return document.importNode(n, true);
        }));
        if (push) history.pushState({ planet: true }, "", href.replace(/#.*$/, ""));
        var p = document.getElementById("planet-panel");
        var r = p.getBoundingClientRect();
        if (r.top > window.innerHeight - 40) p.scrollIntoView({ behavior: "smooth", block: "start" });
      })
      .catch(function () { location.href = href; });
  }

  window.addEventListener("popstate", function () {
    if (document.getElementById("planet-panel")) choose(location.href, false);
  });
  setUp();
  document.addEventListener("galaxy:content-replaced", setUp);
})();
