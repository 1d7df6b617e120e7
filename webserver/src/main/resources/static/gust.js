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

// The task page shows a log a page at a time. "Load more" asks for the page after the last one
// it has; a running try's log is followed by asking about once a second for what follows, a
// bounded page per request (at once again while pages are already waiting), until the server
// says the try is finished and nothing more is stored.
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
  var loading = false;
  function nextPage() {
    loading = true;
    return fetch(url + "&offset=" + offset, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (body) {
        if (body.text) {
          var atBottom = log.scrollTop + log.clientHeight >= log.scrollHeight - 4;
          log.appendChild(document.createTextNode(body.text));
          if (atBottom && live) { log.scrollTop = log.scrollHeight; }
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
        var state = document.getElementById("ti-state");
        if (state && body.state) { state.textContent = body.state; }
        var stateFact = document.querySelector("tr[data-fact='State'] td");
        if (stateFact && body.state) { stateFact.textContent = body.state; }
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
