(function () {
  "use strict";
  // Sort and filter the jobs table in place. Reads cells' text and data-sort
  // attributes only; writes only textContent, hidden and row order. The
  // state lives in the URL fragment (#q=...&status=...&service=...&sort=4&dir=asc)
  // so a filtered view can be linked to.
  var table = document.getElementById("jobs-table");
  if (!table) { return; }
  var tbody = table.tBodies[0];
  var rows = Array.prototype.slice.call(tbody.rows);
  var texts = rows.map(function (r) { return r.textContent.toLowerCase(); });
  var index = new Map(rows.map(function (r, i) { return [r, i]; }));
  var q = document.getElementById("q");
  var status = document.getElementById("f-status");
  var service = document.getElementById("f-service");
  var shown = document.getElementById("shown");
  var buttons = Array.prototype.slice.call(table.tHead.querySelectorAll("button[data-col]"));
  var initial = 0;
  buttons.forEach(function (b, i) { if (b.hasAttribute("aria-sort")) { initial = i; } });
  var sortCol = initial, sortDir = -1;

  function key(row, col) {
    var cell = row.cells[col];
    var v = cell.getAttribute("data-sort");
    return v === null ? cell.textContent.trim().toLowerCase() : v;
  }

  function compare(col, numeric) {
    return function (a, b) {
      var x = key(a, col), y = key(b, col);
      if (x === "" || y === "") {  // empties last, whatever the direction
        return x === y ? index.get(a) - index.get(b) : (x === "" ? 1 : -1);
      }
      var c = numeric ? parseFloat(x) - parseFloat(y) : (x < y ? -1 : (x > y ? 1 : 0));
      return c * sortDir || index.get(a) - index.get(b);
    };
  }

  function sort() {
    var button = buttons[sortCol];
    if (!button) { return; }
    var sorted = rows.slice().sort(compare(sortCol, button.getAttribute("data-type") === "num"));
    var frag = document.createDocumentFragment();
    sorted.forEach(function (r) { frag.appendChild(r); });
    tbody.appendChild(frag);
    buttons.forEach(function (b, i) {
      if (i === sortCol) {
        b.setAttribute("aria-sort", sortDir > 0 ? "ascending" : "descending");
      } else {
        b.removeAttribute("aria-sort");
      }
    });
  }

  function filter() {
    var text = q.value.trim().toLowerCase(), s = status.value, v = service.value, n = 0;
    rows.forEach(function (r, i) {
      var ok = (!s || r.getAttribute("data-status") === s) &&
               (!v || r.getAttribute("data-service") === v) &&
               (!text || texts[i].indexOf(text) !== -1);
      r.hidden = !ok;
      if (ok) { n += 1; }
    });
    shown.textContent = String(n);
  }

  function save() {
    var p = new URLSearchParams();
    if (q.value) { p.set("q", q.value); }
    if (status.value) { p.set("status", status.value); }
    if (service.value) { p.set("service", service.value); }
    if (sortCol !== initial || sortDir !== -1) { p.set("sort", String(sortCol)); p.set("dir", sortDir > 0 ? "asc" : "desc"); }
    var hash = p.toString();
    try {
      history.replaceState(null, "", hash ? "#" + hash : location.pathname + location.search);
    } catch (e) { /* some viewers forbid it: the view still works */ }
  }

  function pick(select, value) {
    var known = Array.prototype.some.call(select.options, function (o) { return o.value === value; });
    select.value = known ? value : "";
  }

  function load() {
    var raw = location.hash.replace(/^#/, "");
    if (raw.indexOf("=") === -1) { return false; }
    var p = new URLSearchParams(raw);
    q.value = p.get("q") || "";
    pick(status, p.get("status") || "");
    pick(service, p.get("service") || "");
    var col = parseInt(p.get("sort") || String(initial), 10);
    sortCol = col >= 0 && col < buttons.length ? col : initial;
    sortDir = p.get("dir") === "asc" ? 1 : -1;
    return true;
  }

  buttons.forEach(function (b, i) {
    b.addEventListener("click", function () {
      sortDir = i === sortCol ? -sortDir : (b.hasAttribute("data-desc") ? -1 : 1);
      sortCol = i;
      sort();
      save();
    });
  });
  [q, status, service].forEach(function (el) {
    el.addEventListener("input", function () { filter(); save(); });
  });
  window.addEventListener("hashchange", function () {
    if (load()) {
      sort();
      filter();
      document.getElementById("jobs").scrollIntoView();
    }
  });

  if (load()) { sort(); }
  filter();
  document.documentElement.setAttribute("data-ready", "1");
}());
