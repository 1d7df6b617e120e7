// The grid's live update. While runs can still change, the server marks #grid-live with
// data-live-json; every 3 s this asks it for the columns of the unfinished runs only (JSON, see
// GridLive) and patches their cells, run marks and duration bars in place, so the finished
// runs' columns (most of a grid) are never sent again. When a new run appears the server says
// "reload" and the grid is asked for whole once (htmx, HX-Target: grid-live). Text only goes in
// through attributes and textContent, never as HTML.
"use strict";

(function () {
  var POLL_MS = 3000;
  var MOVING = { running: true, queued: true };

  function start() {
    var live = document.getElementById("grid-live");
    if (!live || !live.getAttribute("data-live-json") || live.gustPolling) {
      return;
    }
    live.gustPolling = true;
    window.setTimeout(function () { poll(live); }, POLL_MS);
  }

  function heads(grid) {
    return grid.querySelectorAll("thead .run-head a[data-run-id]");
  }

  function poll(live) {
    if (document.getElementById("grid-live") !== live) {
      return; // replaced by a whole grid: its own loop runs
    }
    var grid = document.getElementById("grid");
    var marks = heads(grid);
    var url = live.getAttribute("data-live-json");
    var query = [];
    for (var i = 0; i < marks.length; i++) {
      if (MOVING[marks[i].getAttribute("data-state")]) {
        query.push("live=" + encodeURIComponent(marks[i].getAttribute("data-run-id")));
      }
    }
    if (marks.length > 0) {
      query.push("newest=" + encodeURIComponent(marks[marks.length - 1].getAttribute("data-run-id")));
    }
    fetch(url + (url.indexOf("?") >= 0 ? "&" : "?") + query.join("&"),
        { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (body) {
        if (body.reload && window.htmx) {
          window.htmx.ajax("GET", live.getAttribute("data-live-href"), { target: "#grid-live", swap: "outerHTML" });
          return;
        }
        apply(grid, body.runs);
        if (body.active) {
          window.setTimeout(function () { poll(live); }, POLL_MS);
        } else {
          stop(live);
        }
      })
      .catch(function () {
        window.setTimeout(function () { poll(live); }, 2 * POLL_MS);
      });
  }

  function stop(live) {
    live.setAttribute("data-active", "false");
    live.classList.remove("live");
    var note = document.getElementById("auto-refresh");
    if (note) { note.remove(); }
  }

  function apply(grid, runs) {
    if (!runs || runs.length === 0) {
      return;
    }
    var marks = heads(grid);
    var column = {};
    for (var i = 0; i < marks.length; i++) { column[marks[i].getAttribute("data-run-id")] = i; }
    var bars = grid.querySelectorAll("thead a.bar");
    var rows = grid.querySelectorAll("tbody tr");
    runs.forEach(function (run) {
      var c = column[run.run_id];
      if (c === undefined) {
        return;
      }
      setState(marks[c], "mark", run.state);
      marks[c].title = run.title;
      if (bars[c]) {
        setState(bars[c], "bar", run.state);
        bars[c].title = run.title;
        bars[c].setAttribute("data-seconds", String(run.seconds));
      }
      for (var r = 0; r < rows.length; r++) {
        var row = rows[r];
        var key = row.hasAttribute("data-group-id")
          ? "g:" + row.getAttribute("data-group-id")
          : "t:" + row.getAttribute("data-task-id");
        var cell = run.cells[key];
        var td = row.children[c + 1];
        if (cell && td) {
          var element = cellElement(cell, row.hasAttribute("data-group-id"), td.firstElementChild);
          td.replaceChildren(element);
          // a new link opens the panel in place, as the server's (the grid's hx-boost)
          if (window.htmx && element.tagName === "A") { window.htmx.process(element); }
        }
      }
    });
    rescaleBars(bars);
    if (typeof window.markGridSelection === "function") { window.markGridSelection(); }
  }

  function setState(element, base, state) {
    element.className = base + " s-" + state + (element.classList.contains("selected") ? " selected" : "");
    element.setAttribute("data-state", state);
  }

  function cellElement(cell, group, old) {
    var element = document.createElement(cell.href && !group ? "a" : "span");
    element.className = "cell" + (group ? " group-cell" : "") + " s-" + (cell.href || group ? cell.state : "none");
    if (cell.href || group) { element.setAttribute("data-state", cell.state); }
    if (cell.retried) { element.setAttribute("data-retried", "true"); }
    if (cell.href && !group) { element.setAttribute("href", cell.href); }
    if (old && old.classList.contains("selected")) { element.classList.add("selected"); }
    element.title = cell.title;
    return element;
  }

  // Each bar is its run's duration as a share of the longest shown, as the server draws it.
  function rescaleBars(bars) {
    var longest = 0;
    for (var i = 0; i < bars.length; i++) {
      longest = Math.max(longest, parseFloat(bars[i].getAttribute("data-seconds")) || 0);
    }
    for (var j = 0; j < bars.length; j++) {
      var seconds = parseFloat(bars[j].getAttribute("data-seconds")) || 0;
      bars[j].style.height = (longest <= 0 ? 0 : Math.max(2, Math.round(100 * seconds / longest))) + "%";
    }
  }

  // Keyboard shortcuts, as Airflow's grid: the arrows move the selection to the next task
  // instance (left and right: runs; up and down: tasks), opening its panel as a click would;
  // Escape closes the panel. Not while typing in a field.
  function onKey(event) {
    var target = event.target;
    if (event.altKey || event.ctrlKey || event.metaKey
        || (target && /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName))) {
      return;
    }
    var grid = document.getElementById("grid");
    if (!grid) {
      return;
    }
    if (event.key === "Escape") {
      var params = new URLSearchParams(window.location.search);
      if (params.has("run_id") || params.has("task_id")) {
        params.delete("run_id");
        params.delete("task_id");
        params.delete("map_index");
        var query = params.toString();
        window.location.assign(window.location.pathname + (query ? "?" + query : ""));
      }
      return;
    }
    var step = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0] }[event.key];
    if (!step) {
      return;
    }
    var rows = Array.prototype.slice.call(grid.querySelectorAll("tbody tr"));
    var at = selectedCell(rows);
    var next = at ? neighbour(rows, at.row, at.column, step) : firstLink(rows);
    if (next) {
      event.preventDefault();
      next.focus();
      next.click();
    }
  }

  function selectedCell(rows) {
    for (var r = 0; r < rows.length; r++) {
      for (var c = 1; c < rows[r].children.length; c++) {
        var element = rows[r].children[c].firstElementChild;
        if (element && (element.classList.contains("selected") || element === document.activeElement)) {
          return { row: r, column: c };
        }
      }
    }
    return null;
  }

  // The nearest task instance in the step's direction, passing over cells without one.
  function neighbour(rows, row, column, step) {
    for (var r = row + step[0], c = column + step[1];
         r >= 0 && r < rows.length && c >= 1 && c < rows[r].children.length;
         r += step[0], c += step[1]) {
      var element = rows[r].children[c].firstElementChild;
      if (element && element.tagName === "A") {
        return element;
      }
    }
    return null;
  }

  function firstLink(rows) {
    for (var r = 0; r < rows.length; r++) {
      var link = rows[r].querySelector("a.cell");
      if (link) {
        return link;
      }
    }
    return null;
  }

  document.addEventListener("DOMContentLoaded", start);
  document.addEventListener("htmx:afterSettle", start);
  document.addEventListener("keydown", onKey);
})();
