(function () {
  "use strict";
  var selects = document.querySelectorAll("select[data-filter]");
  var findings = document.querySelectorAll("li.finding");
  var counter = document.getElementById("shown-count");
  function applyFilters() {
    var shown = 0;
    findings.forEach(function (item) {
      var visible = true;
      selects.forEach(function (select) {
        var wanted = select.value;
        if (!wanted) { return; }
        var have = (item.getAttribute("data-" + select.getAttribute("data-filter")) || "").split(" ");
        if (have.indexOf(wanted) < 0) { visible = false; }
      });
      item.hidden = !visible;
      if (visible) { shown += 1; }
    });
    if (counter) { counter.textContent = String(shown); }
  }
  selects.forEach(function (select) { select.addEventListener("change", applyFilters); });

  document.querySelectorAll("table.sortable").forEach(function (table) {
    table.querySelectorAll("thead th").forEach(function (header, column) {
      header.addEventListener("click", function () {
        var numeric = header.getAttribute("data-type") === "num";
        var descending = header.getAttribute("aria-sort") !== "descending";
        table.querySelectorAll("thead th").forEach(function (h) { h.removeAttribute("aria-sort"); });
        header.setAttribute("aria-sort", descending ? "descending" : "ascending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[column].textContent, y = b.cells[column].textContent;
          var order = numeric ? (parseFloat(x) || 0) - (parseFloat(y) || 0) : x.localeCompare(y);
          return descending ? -order : order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  });
})();
