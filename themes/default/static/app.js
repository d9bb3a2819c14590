// Progressive enhancement only: every page works without this script.
// Adds a search box and sortable columns to lists, and copy buttons to
// the snippets a "write" action shows when the site has no Git
// host to link to.
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

  // A search box over a list's rows: a table's rows, or the `.row`
  // elements (notes) inside `.rows`.
  function addSearch(container) {
    var table = container.querySelector("table.sortable");
    var rows = table ? table.tBodies[0].rows : container.querySelectorAll(".rows .row");
    if (!rows.length) return;
    var box = document.createElement("input");
    box.type = "search";
    box.className = "searchbox";
    box.placeholder = container.getAttribute("data-search") || "";
    box.setAttribute("aria-label", box.placeholder);
    container.insertBefore(box, container.querySelector(".rows"));
    box.addEventListener("input", function () {
      var q = box.value.trim().toLowerCase();
      Array.prototype.forEach.call(rows, function (row) {
        row.hidden = q !== "" && row.textContent.toLowerCase().indexOf(q) < 0;
      });
    });
  }

  function copyText(text, done) {
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () {});
      return;
    }
    // file:// and plain http: a hidden text area and the old command.
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    try {
      if (document.execCommand("copy")) done();
    } catch (e) { /* the text stays there to select */ }
    document.body.removeChild(area);
  }

  function addCopy(button) {
    var code = button.parentNode.querySelector("pre");
    if (!code) return;
    var label = button.textContent;
    button.hidden = false;
    button.addEventListener("click", function () {
      copyText(code.textContent, function () {
        button.textContent = button.getAttribute("data-copied") || label;
        setTimeout(function () { button.textContent = label; }, 1500);
      });
    });
  }

  document.querySelectorAll("table.sortable").forEach(makeSortable);
  document.querySelectorAll(".filterable").forEach(addSearch);
  document.querySelectorAll("button.copy").forEach(addCopy);
})();
