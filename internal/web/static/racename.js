// Live race-name check: beside every input marked data-race-check, say
// whether the name typed is free, as the player types (GET
// /race-names/check). It only informs: the form is still sent and the
// server decides, so the page works the same without this file.
(function () {
  "use strict";
  if (!window.fetch) return;
  var DELAY = 350; // ms after the last key, so that a word is one request

  function attach(input, n) {
    var out = document.createElement("p");
    out.className = "race-check";
    out.id = (input.id || "race-name-" + n) + "-check";
    out.setAttribute("aria-live", "polite");
    out.hidden = true;
    // After the hint, before any server error, so the order reads well.
    var after = input;
    var next = input.nextElementSibling;
    if (next && next.classList.contains("hint")) after = next;
    after.insertAdjacentElement("afterend", out);
    var described = input.getAttribute("aria-describedby");
    input.setAttribute("aria-describedby", (described ? described + " " : "") + out.id);

    var timer = 0;
    var seq = 0;
    function show(text, state) {
      out.textContent = text;
      out.className = "race-check " + state;
      out.hidden = text === "";
    }
    function check() {
      var name = input.value.trim();
      var mine = ++seq;
      if (name === "") {
        show("", "");
        return;
      }
      show("Checking " + name + "…", "pending");
      fetch("/race-names/check?name=" + encodeURIComponent(name), {
        credentials: "same-origin",
        headers: { Accept: "application/json" }
      }).then(function (resp) {
        return resp.json().then(function (res) { res.checked = resp.ok; return res; });
      }).then(function (res) {
        if (mine !== seq) return; // a later keystroke has its own answer
        if (!res.checked) show(res.message, "pending");
        else if (!res.valid) show(res.message, "bad");
        else if (res.available) show("✓ " + res.message, "good");
        else show("✗ " + res.message, "bad");
      }).catch(function () {
        if (mine === seq) show("", "");
      });
    }
    // The server's verdict on a name posted before (its field error) is
    // about that name: once the player types, the live answer replaces it.
    var serverError = null;
    (described || "").split(" ").forEach(function (id) {
      var el = id && document.getElementById(id);
      if (el && el.classList.contains("field-error")) serverError = el;
    });
    input.addEventListener("input", function () {
      if (serverError) {
        serverError.hidden = true;
        input.removeAttribute("aria-invalid");
        serverError = null;
      }
      clearTimeout(timer);
      timer = setTimeout(check, DELAY);
    });
    // A name kept after a failed post is checked at once, unless the server
    // has just said what is wrong with it.
    if (input.value.trim() !== "" && !serverError) check();
  }

  var inputs = document.querySelectorAll("input[data-race-check]");
  for (var i = 0; i < inputs.length; i++) attach(inputs[i], i);
})();
