// Gust's page behaviour. Loaded from /static only (the CSP allows no inline script); it only
// ever puts text into the page (textContent), never HTML.
"use strict";

document.addEventListener("DOMContentLoaded", function () {
  // The grid refreshes itself while any shown run is still going.
  var refresh = document.getElementById("auto-refresh");
  if (refresh) {
    var seconds = parseInt(refresh.getAttribute("data-refresh-seconds"), 10) || 3;
    window.setTimeout(function () { window.location.reload(); }, seconds * 1000);
  }
  followLog();
});

// Follows a running task's log: asks for the chunks after the last one it has, about once a
// second, and appends them as text until the server says the try is finished.
function followLog() {
  var log = document.getElementById("log");
  if (!log || log.getAttribute("data-live") !== "true") {
    return;
  }
  var url = log.getAttribute("data-log-url");
  var offset = parseInt(log.getAttribute("data-next-offset"), 10) || 0;
  var status = document.getElementById("log-status");
  function poll() {
    fetch(url + "&offset=" + offset, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (body) {
        if (body.text) {
          var atBottom = log.scrollTop + log.clientHeight >= log.scrollHeight - 4;
          log.appendChild(document.createTextNode(body.text));
          if (atBottom) { log.scrollTop = log.scrollHeight; }
        }
        offset = body.next_offset;
        var state = document.getElementById("ti-state");
        if (state && body.state) { state.textContent = body.state; }
        var stateFact = document.querySelector("tr[data-fact='State'] td");
        if (stateFact && body.state) { stateFact.textContent = body.state; }
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
