// Times in the reader's own zone: every <time datetime> is rewritten in the
// browser's time zone, and the page's "times in UTC" note says so. Without
// this script the server's UTC times stay, which the note then tells.
(function () {
  "use strict";
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function local(d) {
    var zone = "";
    try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { zone = ""; }
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + " " +
      pad(d.getHours()) + ":" + pad(d.getMinutes()) + ":" + pad(d.getSeconds()) + (zone ? " " + zone : "");
  }
  document.addEventListener("DOMContentLoaded", function () {
    var times = document.querySelectorAll("time[datetime]");
    for (var i = 0; i < times.length; i++) {
      var d = new Date(times[i].getAttribute("datetime"));
      if (!isNaN(d.getTime())) {
        times[i].title = times[i].textContent;
        times[i].textContent = local(d);
      }
    }
    var note = document.querySelector("[data-time-note]");
    if (note) note.textContent = "times in your time zone (UTC on hover)";
  });
})();
