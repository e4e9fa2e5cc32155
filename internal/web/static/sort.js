// Sortable tables: every <table data-sortable> gets a button in each header
// cell; a click sorts the rows by that column (numbers in "num" columns,
// or a cell's data-sort value, else its text), a second click reverses.
// Without this script the tables keep the report's order.
(function () {
  "use strict";

  function key(row, i, numeric) {
    var c = row.cells[i];
    if (!c) return numeric ? -Infinity : "";
    var v = c.getAttribute("data-sort");
    if (v === null) v = c.textContent.trim();
    if (!numeric) return v.toLowerCase();
    var n = parseFloat(v.replace(/[^0-9eE.+-]/g, ""));
    return isNaN(n) ? -Infinity : n;
  }

  function sortBy(table, i, th) {
    var body = table.tBodies[0];
    if (!body) return;
    var numeric = th.classList.contains("num");
    var current = th.getAttribute("aria-sort");
    // Numbers sort biggest first, names from A.
    var dir = current ? (current === "ascending" ? -1 : 1) : (numeric ? -1 : 1);
    Array.prototype.forEach.call(th.parentNode.cells, function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
    var rows = Array.prototype.slice.call(body.rows).map(function (r, n) {
      return { row: r, key: key(r, i, numeric), n: n };
    });
    rows.sort(function (a, b) {
      if (a.key < b.key) return -dir;
      if (a.key > b.key) return dir;
      return a.n - b.n;
    });
    rows.forEach(function (r) { body.appendChild(r.row); });
  }

  function setUp(root) {
    Array.prototype.forEach.call(root.querySelectorAll("table[data-sortable]"), function (table) {
      if (table.hasAttribute("data-sort-ready") || !table.tHead || !table.tBodies[0] || table.tBodies[0].rows.length < 2) return;
      table.setAttribute("data-sort-ready", "");
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
        var b = document.createElement("button");
        b.type = "button";
        b.className = "sort";
        b.title = "Sort by this column";
        while (th.firstChild) b.appendChild(th.firstChild);
        th.appendChild(b);
        b.addEventListener("click", function () { sortBy(table, i, th); });
      });
    });
  }

  setUp(document);
  document.addEventListener("galaxy:content-replaced", function () { setUp(document); });
})();
