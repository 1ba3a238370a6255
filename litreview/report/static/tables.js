/* litreview report tables: a search box over tables marked data-lr-search, and sortable columns on
   every .lr-table.  Plain JavaScript, no network: `litreview report` inlines this file into each page. */
(function () {
  "use strict";
  function cellValue(cell) {
    var sort = cell.getAttribute("data-sort");
    return sort === null ? cell.textContent.trim().toLowerCase() : parseFloat(sort);
  }
  function makeSortable(table) {
    var headers = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(headers, function (th, column) {
      th.tabIndex = 0;
      th.title = "Sort by " + th.textContent;
      th.setAttribute("aria-sort", "none");
      function sort() {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(headers, function (h) { h.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = cellValue(a.cells[column]), y = cellValue(b.cells[column]);
          var xMissing = x === "—" || (typeof x === "number" && isNaN(x));
          var yMissing = y === "—" || (typeof y === "number" && isNaN(y));
          if (xMissing !== yMissing) { return xMissing ? 1 : -1; }  /* missing values last */
          if (typeof x !== typeof y) { x = String(x); y = String(y); }
          var order = x < y ? -1 : x > y ? 1 : 0;
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); sort(); }
      });
    });
  }
  function makeSearchable(table) {
    var what = table.getAttribute("data-lr-search") || "rows";
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var box = document.createElement("div");
    box.className = "lr-search";
    var input = document.createElement("input");
    input.type = "search";
    input.placeholder = "Search " + rows.length + " " + what;
    input.setAttribute("aria-label", "Search the " + what);
    var count = document.createElement("span");
    count.className = "lr-count";
    count.setAttribute("aria-live", "polite");
    count.textContent = rows.length + " " + what;
    box.appendChild(input);
    box.appendChild(count);
    table.parentNode.insertBefore(box, table);
    function filter() {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (row) {
        var text = row.textContent.toLowerCase();
        var match = words.every(function (w) { return text.indexOf(w) !== -1; });
        row.hidden = !match;
        if (match) { shown += 1; }
      });
      count.textContent = words.length ? shown + " of " + rows.length + " " + what : rows.length + " " + what;
    }
    input.addEventListener("input", filter);
    /* a link ending in #search=lora opens the page filtered: shareable, and what the browser tests load */
    var given = /[#&]search=([^&]*)/.exec(window.location.hash);
    if (given) { input.value = decodeURIComponent(given[1].replace(/\+/g, " ")); filter(); }
  }
  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("table.lr-table"), function (table) {
      makeSortable(table);
      if (table.hasAttribute("data-lr-search")) { makeSearchable(table); }
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
