// The order editor: line numbers beside the text, a check as the player
// types (600 ms after the last key, POST .../orders/check) that marks each
// mistake at its line and shows the forecast, an unsaved draft kept in this
// tab (so orders added from the map are appended to it, not to the stored
// set alone), and a new turn announced without losing the text. Without
// this script the editor is a plain textarea whose form checks and submits.
(function () {
  "use strict";
  var DELAY = 600;
  var form, ta, gutter, list, statusEl, forecast, forecastHint, notice, turnInput;
  var key = "", stored = "", storedAt = "";
  var mistakes = {}, timer = null, ctrl = null, seq = 0;

  function $(id) { return document.getElementById(id); }
  function trimEnd(s) { return String(s || "").replace(/\s+$/, ""); }
  function draftKey() { return "galaxy-orders:" + form.getAttribute("data-game") + ":" + turnInput.value; }
  function loadDraft() {
    try { return JSON.parse(sessionStorage.getItem(key) || "null"); } catch (e) { return null; }
  }
  function saveDraft() {
    try {
      if (dirty()) sessionStorage.setItem(key, JSON.stringify({ text: ta.value, base: storedAt }));
      else sessionStorage.removeItem(key);
    } catch (e) { /* storage full or off: the text stays in the page */ }
  }
  function dirty() { return trimEnd(ta.value) !== trimEnd(stored); }
  function markDirty() {
    if (dirty()) form.setAttribute("data-unsaved", "");
    else form.removeAttribute("data-unsaved");
  }
  function say(text) {
    notice.textContent = text;
    notice.hidden = !text;
  }

  function setStatus(text, cls) {
    statusEl.textContent = text;
    statusEl.className = cls || "";
  }

  function renderGutter() {
    var n = ta.value.split("\n").length;
    while (gutter.children.length < n) {
      var li = document.createElement("li");
      li.setAttribute("data-line", String(gutter.children.length + 1));
      li.textContent = String(gutter.children.length + 1);
      gutter.appendChild(li);
    }
    while (gutter.children.length > n) gutter.removeChild(gutter.lastChild);
    for (var i = 0; i < gutter.children.length; i++) {
      var el = gutter.children[i], m = mistakes[i + 1];
      el.classList.toggle("has-error", !!m);
      if (m) el.title = m; else el.removeAttribute("title");
    }
    syncScroll();
  }
  function syncScroll() { gutter.scrollTop = ta.scrollTop; }

  function goToLine(n) {
    var lines = ta.value.split("\n"), start = 0;
    for (var i = 0; i < n - 1 && i < lines.length; i++) start += lines[i].length + 1;
    var end = start + (lines[n - 1] || "").length;
    ta.focus();
    ta.setSelectionRange(start, end);
    var lh = parseFloat(getComputedStyle(ta).lineHeight) || 20;
    ta.scrollTop = Math.max(0, (n - 1) * lh - ta.clientHeight / 3);
    syncScroll();
  }

  function showMistakes(errors) {
    mistakes = {};
    var items = errors.map(function (e) {
      if (!mistakes[e.line]) mistakes[e.line] = e.message;
      var li = document.createElement("li");
      li.setAttribute("data-error-line", String(e.line));
      var b = document.createElement("button");
      b.type = "button";
      b.className = "link line-ref";
      b.textContent = "Line " + e.line;
      b.addEventListener("click", function () { goToLine(e.line); });
      li.appendChild(b);
      li.appendChild(document.createTextNode(": " + e.message));
      return li;
    });
    list.replaceChildren.apply(list, items);
    renderGutter();
  }

  function showVerdict(v) {
    var errors = v.errors || [];
    showMistakes(errors);
    var n = errors.length;
    var where = dirty() ? " Not stored yet: submit to store them." : " This is your stored set.";
    if (n === 0) setStatus("No mistakes: every line will run." + where, "ok");
    else setStatus(n + (n === 1 ? " line has a mistake and will" : " lines have mistakes and will") + " not run; the other lines will." + where, "field-error");
    forecast.textContent = v.forecast || "";
    forecast.hidden = !v.forecast;
    forecastHint.hidden = !!v.forecast;
  }

  function check() {
    clearTimeout(timer);
    if (ctrl) ctrl.abort();
    ctrl = window.AbortController ? new AbortController() : null;
    var my = ++seq;
    setStatus("Checking…", "muted");
    fetch(form.getAttribute("data-check"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded;charset=UTF-8", Accept: "application/json" },
      body: new URLSearchParams({ text: ta.value }),
      signal: ctrl ? ctrl.signal : undefined
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (body) { return { ok: r.ok, status: r.status, body: body }; });
    }).then(function (res) {
      if (my !== seq) return;
      if (res.ok && res.body && Array.isArray(res.body.errors)) { showVerdict(res.body); return; }
      var msg = res.body && res.body.error && res.body.error.message;
      setStatus((msg || "The check failed (" + res.status + ").") + " Your text is safe here.", "field-error");
    }).catch(function (err) {
      if (err && err.name === "AbortError") return;
      if (my === seq) setStatus("The check could not reach the server. Your text is safe here.", "field-error");
    });
  }

  function onInput() {
    renderGutter();
    markDirty();
    saveDraft();
    clearTimeout(timer);
    timer = setTimeout(check, DELAY);
  }

  function setUp() {
    form = $("orders-form");
    if (!form || form.hasAttribute("data-ready")) return;
    form.setAttribute("data-ready", "");
    ta = $("orders-text");
    gutter = $("orders-gutter");
    list = $("orders-errors");
    statusEl = $("orders-status");
    forecast = $("orders-forecast");
    forecastHint = $("orders-forecast-hint");
    notice = $("orders-notice");
    turnInput = form.querySelector('input[name="turn"]');
    if (!ta || !gutter || !list || !statusEl || !forecast || !notice || !turnInput) return;
    form.classList.add("js");
    gutter.hidden = false;
    stored = form.getAttribute("data-stored") || "";
    storedAt = form.getAttribute("data-stored-at") || "";
    key = draftKey();
    mistakes = {};
    Array.prototype.forEach.call(gutter.querySelectorAll(".has-error"), function (li) {
      mistakes[li.getAttribute("data-line")] = li.getAttribute("title") || "mistake";
    });
    // Mistakes listed by the server become buttons that go to their line.
    Array.prototype.forEach.call(list.querySelectorAll("[data-error-line]"), function (li) {
      var n = parseInt(li.getAttribute("data-error-line"), 10), ref = li.querySelector(".line-ref");
      if (!ref) return;
      var b = document.createElement("button");
      b.type = "button";
      b.className = "link line-ref";
      b.textContent = ref.textContent;
      b.addEventListener("click", function () { goToLine(n); });
      ref.replaceWith(b);
    });

    var posted = form.hasAttribute("data-posted");
    if (posted) {
      try { sessionStorage.removeItem(key); } catch (e) { /* nothing kept */ }
    } else {
      var d = loadDraft(), append = form.getAttribute("data-append") || "";
      if (d && d.base === storedAt && trimEnd(d.text) !== trimEnd(stored)) {
        // The draft may hold the addition already (the page was reloaded).
        var adding = append && trimEnd(d.text).slice(-trimEnd(append).length) !== trimEnd(append);
        ta.value = adding ? trimEnd(d.text) + "\n" + append : d.text;
        mistakes = {};
        say("Your unsaved changes are back" + (adding ? ", with the new order added at the end" : "") + ". Nothing is stored until you submit.");
      } else if (d) {
        try { sessionStorage.removeItem(key); } catch (e) { /* nothing kept */ }
      }
    }
    // The addition is in the draft now: a reload must not add it again.
    if (/[?&]append=/.test(location.search) && window.history && history.replaceState) {
      history.replaceState(history.state, "", location.pathname + location.hash);
    }
    renderGutter();
    markDirty();
    saveDraft();
    ta.addEventListener("input", onInput);
    ta.addEventListener("scroll", syncScroll);
    var checkButton = form.querySelector("[data-check-button]");
    if (checkButton) {
      checkButton.addEventListener("click", function (e) {
        e.preventDefault();
        check();
      });
    }
    // A fresh page checks its text at once, for the forecast.
    if (!posted && ta.value.trim() !== "") check();
  }

  // A new turn while the player writes: keep the text, aim it at the next
  // turn. (Without unsaved text play.js reloads the page's content.)
  document.addEventListener("galaxy:game.turn.ready", function (e) {
    var d = (e && e.detail) || {};
    if (d.payload && typeof d.payload === "object") d = d.payload; // a whole notification
    if (!form || !document.body.contains(form) || d.game_id !== form.getAttribute("data-game") || !form.hasAttribute("data-unsaved")) return;
    var ran = parseInt(d.turn, 10);
    if (isNaN(ran)) return;
    var next = ran + 1;
    if (parseInt(turnInput.value, 10) >= next) return;
    try { sessionStorage.removeItem(key); } catch (err) { /* nothing kept */ }
    turnInput.value = String(next);
    Array.prototype.forEach.call(document.querySelectorAll("[data-orders-turn]"), function (el) { el.textContent = String(next); });
    stored = "";
    storedAt = "";
    form.setAttribute("data-stored", "");
    form.setAttribute("data-stored-at", "");
    key = draftKey();
    saveDraft();
    var st = $("orders-stored");
    if (st) st.textContent = "Nothing stored for turn " + next + " yet.";
    say("Turn " + ran + " has run while you were writing. Your text is kept and will be submitted for turn " + next +
      "; the stored set shown was for turn " + ran + ". Read the new report before you submit.");
    check();
  });

  setUp();
  document.addEventListener("galaxy:content-replaced", setUp);
})();
