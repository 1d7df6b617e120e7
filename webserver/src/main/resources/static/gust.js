// Gust's page behaviour. Loaded from /static only (the CSP allows no inline script); it only
// ever puts text into the page (textContent), never HTML. The live parts (the grid, its panel,
// the graph, the DAG list, a task's state) are updated in place by htmx from the attributes the
// server writes (hx-get / hx-trigger); this file adds what htmx does not do: marking the grid's
// selected cell, and the log viewer.
"use strict";

document.addEventListener("DOMContentLoaded", function () {
  markGridSelection();
  scrollPanelLog();
  followLog();
});

// After htmx swapped a part in (a panel after a click, the grid after a poll).
document.addEventListener("htmx:afterSettle", function () {
  markGridSelection();
  scrollPanelLog();
});

// The grid's selected run and task are in the address (?run_id=&task_id=), which htmx updates
// when a click opens a panel; the grid itself is the same for every selection, so the mark is
// put on here, after every swap.
function markGridSelection() {
  var grid = document.getElementById("grid");
  if (!grid) {
    return;
  }
  var old = grid.querySelectorAll(".selected");
  for (var i = 0; i < old.length; i++) { old[i].classList.remove("selected"); }
  var params = new URLSearchParams(window.location.search);
  var runId = params.get("run_id");
  if (!runId) {
    return;
  }
  var heads = grid.querySelectorAll("thead .run-head a[data-run-id]");
  var column = -1;
  for (var c = 0; c < heads.length; c++) {
    if (heads[c].getAttribute("data-run-id") === runId) { column = c; break; }
  }
  if (column < 0) {
    return;
  }
  var taskId = params.get("task_id");
  if (!taskId) {
    heads[column].classList.add("selected");
    var bars = grid.querySelectorAll("thead a.bar");
    if (bars[column]) { bars[column].classList.add("selected"); }
    return;
  }
  var row = grid.querySelector("tbody tr[data-task-id=\"" + CSS.escape(taskId) + "\"]");
  if (row && row.children[column + 1]) {
    var cell = row.children[column + 1].firstElementChild;
    if (cell) { cell.classList.add("selected"); }
  }
}

// The panel shows the end of a task's log: keep it scrolled to its end.
function scrollPanelLog() {
  var log = document.getElementById("details-log");
  if (log) { log.scrollTop = log.scrollHeight; }
}

// Lines that look like an error are highlighted in the log.
var ERROR_LINE = /\b(ERROR|CRITICAL|FATAL)\b|Traceback \(most recent call last\)|\b\w+(Error|Exception)\b|Marking task as (FAILED|UP_FOR_RETRY)/;

// The task page's log: a page at a time ("Load more" asks for the page after the last one it
// has); a running try's log opens at its tail and is followed by asking about once a second for
// what follows, a bounded page per request (at once again while pages are already waiting),
// until the server says the try is finished and nothing more is stored. The text is kept as one
// element per line, so that errors are highlighted and a search marks its lines; "Follow" keeps
// the end in view, "Wrap" wraps long lines.
function followLog() {
  var log = document.getElementById("log");
  if (!log) {
    return;
  }
  var url = log.getAttribute("data-log-url");
  var offset = parseInt(log.getAttribute("data-next-offset"), 10) || 0;
  var live = log.getAttribute("data-live") === "true";
  var more = document.getElementById("log-more");
  var moreButton = document.getElementById("log-more-button");
  var status = document.getElementById("log-status");
  var follow = document.getElementById("log-follow");
  var wrap = document.getElementById("log-wrap");
  var search = document.getElementById("log-search");
  var searchCount = document.getElementById("log-search-count");
  var errorsCount = document.getElementById("log-errors-count");
  var tools = document.getElementById("log-tools");
  var loading = false;
  var errors = 0;
  var hits = [];
  var hit = -1;

  function classify(line) {
    var error = ERROR_LINE.test(line.textContent);
    if (error && !line.classList.contains("log-error")) { errors++; }
    if (!error && line.classList.contains("log-error")) { errors--; }
    line.classList.toggle("log-error", error);
  }

  function append(text) {
    if (!text) {
      return;
    }
    var pieces = text.split(/(?<=\n)/);
    var last = log.lastElementChild;
    var start = 0;
    if (last && !last.textContent.endsWith("\n")) {
      last.textContent += pieces[0];
      classify(last);
      start = 1;
    }
    var fragment = document.createDocumentFragment();
    for (var i = start; i < pieces.length; i++) {
      var line = document.createElement("span");
      line.className = "log-line";
      line.textContent = pieces[i];
      classify(line);
      fragment.appendChild(line);
    }
    log.appendChild(fragment);
    if (errorsCount) { errorsCount.textContent = errors > 0 ? errors + " error line" + (errors === 1 ? "" : "s") : ""; }
    if (search && search.value) { mark(search.value, false); }
  }

  function toEnd() {
    if (live && (!follow || follow.checked)) { log.scrollTop = log.scrollHeight; }
  }

  function mark(query, jump) {
    for (var i = 0; i < hits.length; i++) { hits[i].classList.remove("log-hit", "log-hit-current"); }
    hits = [];
    hit = -1;
    if (query) {
      var wanted = query.toLowerCase();
      var lines = log.children;
      for (var j = 0; j < lines.length; j++) {
        if (lines[j].textContent.toLowerCase().indexOf(wanted) >= 0) {
          lines[j].classList.add("log-hit");
          hits.push(lines[j]);
        }
      }
    }
    if (searchCount) { searchCount.textContent = query ? hits.length + " line" + (hits.length === 1 ? "" : "s") : ""; }
    if (jump && hits.length > 0) { next(); }
  }

  function next() {
    if (hits.length === 0) { return; }
    if (hit >= 0) { hits[hit].classList.remove("log-hit-current"); }
    hit = (hit + 1) % hits.length;
    hits[hit].classList.add("log-hit-current");
    if (follow) { follow.checked = false; }
    log.scrollTop = hits[hit].offsetTop - log.offsetTop - log.clientHeight / 2;
  }

  var initial = log.textContent;
  log.textContent = "";
  append(initial);
  if (tools) { tools.hidden = false; }
  toEnd();
  if (wrap) {
    wrap.addEventListener("change", function () { log.classList.toggle("nowrap", !wrap.checked); });
  }
  if (follow) {
    follow.addEventListener("change", toEnd);
  }
  if (search) {
    var timer = null;
    search.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { mark(search.value, true); }, 200);
    });
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); next(); }
    });
  }

  function nextPage() {
    loading = true;
    return fetch(url + "&offset=" + offset, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (body) {
        if (body.text) {
          append(body.text);
          toEnd();
        }
        offset = body.next_offset;
        if (more) { more.hidden = !body.more; }
        loading = false;
        return body;
      }, function (error) {
        loading = false;
        throw error;
      });
  }
  if (moreButton) {
    moreButton.addEventListener("click", function () {
      if (!loading) { nextPage().catch(function (error) { moreButton.textContent = "Load more (" + error.message + ")"; }); }
    });
  }
  if (!live) {
    return;
  }
  function poll() {
    if (loading) { window.setTimeout(poll, 1000); return; }
    nextPage()
      .then(function (body) {
        if (body.more) {
          window.setTimeout(poll, 0);
          return;
        }
        if (body.finished) {
          if (status) { status.textContent = "finished (" + body.state + ")"; }
          return;
        }
        window.setTimeout(poll, 1000);
      })
      .catch(function (error) {
        if (status) { status.textContent = "log paused: " + error.message + "; retrying"; }
        window.setTimeout(poll, 3000);
      });
  }
  window.setTimeout(poll, 1000);
}
