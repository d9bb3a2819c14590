// Progressive enhancement only: every page works without this script.
// Adds a search box and sortable columns to project lists.
(function () {
  "use strict";
  var lang = document.documentElement.lang || "zh-CN";

  function cellValue(row, index) {
    var cell = row.cells[index];
    if (!cell) return "";
    return cell.getAttribute("data-value") || cell.textContent.trim();
  }

  function makeSortable(table) {
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(heads, function (th, index) {
      var kind = th.getAttribute("data-sort");
      if (!kind) return;
      th.tabIndex = 0;
      function sort() {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = cellValue(a, index), y = cellValue(b, index);
          var c = kind === "number" ? (parseFloat(x) || 0) - (parseFloat(y) || 0) : x.localeCompare(y, lang);
          return ascending ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); }
      });
    });
  }

  function addSearch(container) {
    var table = container.querySelector("table.sortable");
    if (!table) return;
    var box = document.createElement("input");
    box.type = "search";
    box.className = "searchbox";
    box.placeholder = container.getAttribute("data-search") || "";
    box.setAttribute("aria-label", box.placeholder);
    container.insertBefore(box, container.querySelector(".rows"));
    box.addEventListener("input", function () {
      var q = box.value.trim().toLowerCase();
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        row.hidden = q !== "" && row.textContent.toLowerCase().indexOf(q) < 0;
      });
    });
  }

  document.querySelectorAll("table.sortable").forEach(makeSortable);
  document.querySelectorAll(".filterable").forEach(addSearch);
})();
