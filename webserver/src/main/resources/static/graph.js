// The graph view's behaviour. The server draws the whole graph as SVG (readable without this
// file); this adds zoom (buttons, wheel), pan (drag), fit, and the run picker: picking a run
// asks /dags/ID/graph/states for that run's states (JSON) and recolours the boxes in place, and
// while the run still moves the same answer is asked for every 3 s. Only attributes and
// textContent are set, never HTML.
"use strict";

(function () {
  var POLL_MS = 3000;
  var MIN_SCALE = 0.1;
  var MAX_SCALE = 4;

  function init() {
    var svg = document.getElementById("graph");
    var view = document.getElementById("graph-view");
    var wrap = document.getElementById("graph-wrap");
    if (!svg || !view || !wrap) {
      return;
    }
    var width = parseFloat(svg.getAttribute("data-width"));
    var height = parseFloat(svg.getAttribute("data-height"));
    var state = { k: 1, x: 0, y: 0 };

    // the picture now lives in a box the width of the page, zoomed and panned by a transform
    svg.removeAttribute("viewBox");
    svg.setAttribute("width", "100%");
    // as tall as the graph needs at the width it is fitted to, within most of the screen
    var across = Math.min(1, (wrap.clientWidth || width) / width);
    var boxHeight = Math.max(160, Math.min(Math.round(height * across) + 20, Math.round(window.innerHeight * 0.7)));
    svg.setAttribute("height", String(boxHeight));
    wrap.classList.add("zoomable");

    function apply() {
      view.setAttribute("transform",
        "translate(" + state.x.toFixed(1) + " " + state.y.toFixed(1) + ") scale(" + state.k.toFixed(4) + ")");
    }

    function fit() {
      var w = svg.clientWidth || wrap.clientWidth;
      var h = boxHeight;
      state.k = Math.min(1, w / width, h / height);
      state.x = (w - width * state.k) / 2;
      state.y = (h - height * state.k) / 2;
      apply();
    }

    function zoom(factor, cx, cy) {
      var k = Math.min(MAX_SCALE, Math.max(MIN_SCALE, state.k * factor));
      if (cx === undefined) {
        cx = (svg.clientWidth || wrap.clientWidth) / 2;
        cy = boxHeight / 2;
      }
      // the point under (cx, cy) stays where it is
      state.x = cx - (cx - state.x) * (k / state.k);
      state.y = cy - (cy - state.y) * (k / state.k);
      state.k = k;
      apply();
    }

    var tools = document.getElementById("graph-tools");
    if (tools) { tools.hidden = false; }
    click("graph-zoom-in", function () { zoom(1.25); });
    click("graph-zoom-out", function () { zoom(1 / 1.25); });
    click("graph-fit", fit);
    click("graph-actual", function () { state.k = 1; state.x = 0; state.y = 0; apply(); });

    svg.addEventListener("wheel", function (event) {
      event.preventDefault();
      var box = svg.getBoundingClientRect();
      zoom(event.deltaY < 0 ? 1.1 : 1 / 1.1, event.clientX - box.left, event.clientY - box.top);
    }, { passive: false });

    var drag = null;
    var dragged = false;
    svg.addEventListener("pointerdown", function (event) {
      if (event.button !== 0) { return; }
      drag = { x: event.clientX, y: event.clientY, sx: state.x, sy: state.y };
      dragged = false;
    });
    svg.addEventListener("pointermove", function (event) {
      if (!drag) { return; }
      var dx = event.clientX - drag.x;
      var dy = event.clientY - drag.y;
      if (!dragged && Math.abs(dx) + Math.abs(dy) < 4) { return; }
      if (!dragged) { svg.setPointerCapture(event.pointerId); }
      dragged = true;
      state.x = drag.sx + dx;
      state.y = drag.sy + dy;
      apply();
    });
    function release() { drag = null; }
    svg.addEventListener("pointerup", release);
    svg.addEventListener("pointercancel", release);
    // a drag that ends on a box does not open it
    svg.addEventListener("click", function (event) {
      if (dragged) { event.preventDefault(); event.stopPropagation(); dragged = false; }
    }, true);

    fit();
    runPicker();
  }

  function click(id, handler) {
    var button = document.getElementById(id);
    if (button) { button.addEventListener("click", handler); }
  }

  var timer = null;

  function runPicker() {
    var live = document.getElementById("graph-live");
    var select = document.getElementById("graph-run");
    if (!live) {
      return;
    }
    var base = live.getAttribute("data-states-href");
    var current = select && select.value ? select.value : null;
    if (select) {
      var show = document.getElementById("graph-run-show");
      if (show) { show.hidden = true; }
      select.addEventListener("change", function () {
        current = select.value;
        var url = new URL(window.location.href);
        url.searchParams.set("run_id", current);
        window.history.replaceState(null, "", url.toString());
        load();
      });
    }
    function load() {
      window.clearTimeout(timer);
      var url = base + (current ? "run_id=" + encodeURIComponent(current) : "");
      var asked = current;
      fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) { throw new Error("HTTP " + response.status); }
          return response.json();
        })
        .then(function (body) {
          if (asked !== current) { return; } // another run was picked meanwhile
          paint(body);
          live.setAttribute("data-active", String(body.active));
          if (body.active) { timer = window.setTimeout(load, POLL_MS); }
        })
        .catch(function () { timer = window.setTimeout(load, 2 * POLL_MS); });
    }
    if (live.getAttribute("data-active") === "true") {
      timer = window.setTimeout(load, POLL_MS);
    }
  }

  function setState(element, state) {
    var kept = [];
    element.classList.forEach(function (name) { if (name.indexOf("s-") !== 0) { kept.push(name); } });
    kept.push("s-" + state);
    element.setAttribute("class", kept.join(" "));
    element.setAttribute("data-state", state);
  }

  function paint(body) {
    var graph = document.getElementById("graph");
    Object.keys(body.nodes).forEach(function (id) {
      var state = body.nodes[id];
      var node = graph.querySelector("g.node[data-task-id=\"" + CSS.escape(id) + "\"]")
        || graph.querySelector("g.node[data-group-id=\"" + CSS.escape(id) + "\"]");
      if (!node) { return; }
      setState(node, state);
      var title = node.querySelector("title");
      if (title) { title.textContent = title.textContent.replace(/: [a-z_]+( \(click to expand\))?$/, ": " + state + "$1"); }
      var link = graph.querySelector("a[data-node-link=\"" + CSS.escape(id) + "\"]");
      if (link) {
        if (body.hrefs[id]) { link.setAttribute("href", body.hrefs[id]); } else { link.removeAttribute("href"); }
      }
    });
    var items = document.querySelectorAll("#graph-list li[data-list-task-id]");
    for (var i = 0; i < items.length; i++) {
      var dot = items[i].querySelector(".cell");
      if (dot) { setState(dot, body.tasks[items[i].getAttribute("data-list-task-id")] || "none"); }
    }
    var runState = document.getElementById("graph-run-state");
    if (runState && body.run_state) {
      runState.textContent = body.run_state;
      setState(runState, body.run_state);
    }
    var runLink = document.getElementById("graph-run-link");
    if (runLink && body.run_id) {
      runLink.textContent = body.run_id;
      runLink.setAttribute("href", runLink.getAttribute("href").replace(/\/runs\/[^/]*$/, "/runs/" + encodeURIComponent(body.run_id)));
    }
    var summary = document.getElementById("graph-run-summary");
    var time = summary ? summary.querySelector("time") : null;
    if (time && body.logical_date) {
      time.setAttribute("datetime", body.logical_date);
      time.textContent = body.logical_date.replace("T", " ").replace("Z", " UTC");
    }
  }

  document.addEventListener("DOMContentLoaded", init);
})();
