/* Làng số — client-side sorting of tables marked `data-sortable`.
 *
 * Column titles are links that sort on the server (?sort=…&dir=…), so the page works without
 * JavaScript; with it, a click re-orders the rows in place (no reload) and keeps the URL in step.
 * Each cell's `data-value` is its sort key: a number for `data-sort-type="number"` columns, a
 * folded (accent-free) text otherwise. Empty values go last in both directions.
 */
(function () {
  "use strict";

  var collator = new Intl.Collator(document.documentElement.lang || "vi", { numeric: true, sensitivity: "base" });

  function sortRows(table, columnIndex, type, direction) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var sign = direction === "desc" ? -1 : 1;
    var keyed = rows.map(function (row, position) {
      var cell = row.cells[columnIndex];
      var raw = cell ? cell.getAttribute("data-value") : null;
      var missing = raw === null || raw === "";
      var key = missing ? null : type === "number" ? parseFloat(raw) : raw;
      if (type === "number" && key !== null && isNaN(key)) { key = null; missing = true; }
      return { row: row, key: key, missing: missing, position: position };
    });
    keyed.sort(function (a, b) {
      if (a.missing !== b.missing) { return a.missing ? 1 : -1; }
      if (a.missing) { return a.position - b.position; }
      var order = type === "number" ? a.key - b.key : collator.compare(a.key, b.key);
      return order !== 0 ? sign * order : a.position - b.position;
    });
    var fragment = document.createDocumentFragment();
    keyed.forEach(function (item) { fragment.appendChild(item.row); });
    body.appendChild(fragment);
  }

  function setup(table) {
    var links = table.querySelectorAll("thead a[data-sort]");
    Array.prototype.forEach.call(links, function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        var header = link.closest("th");
        var index = Array.prototype.indexOf.call(header.parentNode.children, header);
        var current = header.getAttribute("aria-sort");
        var direction = current === "ascending" ? "desc"
          : current === "descending" ? "asc"
          : (link.getAttribute("data-sort-first") || "asc");
        sortRows(table, index, link.getAttribute("data-sort-type"), direction);
        Array.prototype.forEach.call(table.querySelectorAll("thead th[aria-sort]"), function (th) {
          th.removeAttribute("aria-sort");
        });
        header.setAttribute("aria-sort", direction === "asc" ? "ascending" : "descending");
        var url = new URL(window.location.href);
        url.searchParams.set("sort", link.getAttribute("data-sort"));
        url.searchParams.set("dir", direction);
        window.history.replaceState(null, "", url);
        // Keep other forms of the page (the indicator picker) on the same order.
        Array.prototype.forEach.call(document.querySelectorAll("input[type=hidden][name=sort]"), function (input) {
          input.value = link.getAttribute("data-sort");
        });
        Array.prototype.forEach.call(document.querySelectorAll("form"), function (form) {
          if (!form.querySelector("input[name=sort]")) { return; }
          var dir = form.querySelector("input[name=dir]");
          if (!dir) {
            dir = document.createElement("input");
            dir.type = "hidden";
            dir.name = "dir";
            form.appendChild(dir);
          }
          dir.value = direction;
        });
        table.dispatchEvent(new CustomEvent("langso:sorted", { detail: { key: link.getAttribute("data-sort"), direction: direction } }));
      });
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("table[data-sortable]"), setup);
})();
