// Times in the zone the user picked in the top bar: UTC (the default), this browser's zone or
// the DAG's. The server writes every time in UTC inside <time datetime="...">; this rewrites
// the text, keeps "3 min ago" fresh, and does the same for parts of pages htmx swaps in. The
// choice is kept in the gust_tz cookie. Only ever sets textContent and attributes.
"use strict";

(function () {
  var COOKIE = "gust_tz";

  function mode() {
    var m = document.cookie.match(/(?:^|;\s*)gust_tz=([^;]+)/);
    var value = m ? decodeURIComponent(m[1]) : "utc";
    return value === "local" || value === "dag" ? value : "utc";
  }

  function zoneOf(m) {
    if (m === "local") {
      return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
    }
    if (m === "dag") {
      return document.body.getAttribute("data-dag-zone") || "UTC";
    }
    return "UTC";
  }

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }

  function format(date, zone) {
    if (zone === "UTC") {
      return date.getUTCFullYear() + "-" + pad(date.getUTCMonth() + 1) + "-" + pad(date.getUTCDate()) + " " +
        pad(date.getUTCHours()) + ":" + pad(date.getUTCMinutes()) + ":" + pad(date.getUTCSeconds()) + " UTC";
    }
    var parts = {};
    new Intl.DateTimeFormat("en-GB", {
      timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", second: "2-digit", timeZoneName: "short"
    }).formatToParts(date).forEach(function (p) { parts[p.type] = p.value; });
    return parts.year + "-" + parts.month + "-" + parts.day + " " + parts.hour + ":" + parts.minute + ":" +
      parts.second + " " + (parts.timeZoneName || zone);
  }

  // the same words as the server's Fmt.relative
  function relative(date) {
    var seconds = Math.round((Date.now() - date.getTime()) / 1000);
    var future = seconds < 0;
    var s = Math.abs(seconds);
    var words;
    if (s < 10) {
      return "just now";
    } else if (s < 60) {
      words = s + " s";
    } else if (s < 3600) {
      words = Math.floor(s / 60) + " min";
    } else if (s < 86400) {
      words = Math.floor(s / 3600) + " h";
    } else {
      var days = Math.floor(s / 86400);
      words = days + (days === 1 ? " day" : " days");
    }
    return future ? "in " + words : words + " ago";
  }

  function render(root) {
    var zone = zoneOf(mode());
    var scope = root && root.querySelectorAll ? root : document;
    scope.querySelectorAll("time[datetime]").forEach(function (el) {
      var date = new Date(el.getAttribute("datetime"));
      if (isNaN(date.getTime())) {
        return;
      }
      if (el.classList.contains("ago")) {
        el.textContent = relative(date);
        el.title = format(date, zone);
      } else {
        el.textContent = format(date, zone);
        if (zone !== "UTC") {
          el.title = format(date, "UTC");
        }
      }
      el.setAttribute("data-zone", zone);
    });
  }

  function selector() {
    var select = document.getElementById("tz-select");
    var label = document.getElementById("tz-label");
    if (!select || !label) {
      return;
    }
    label.hidden = false;
    select.value = mode();
    select.addEventListener("change", function () {
      document.cookie = COOKIE + "=" + encodeURIComponent(select.value) + "; path=/; max-age=31536000; SameSite=Lax";
      render(document);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    selector();
    render(document);
    window.setInterval(function () {
      document.querySelectorAll("time.ago[datetime]").forEach(function (el) {
        var date = new Date(el.getAttribute("datetime"));
        if (!isNaN(date.getTime())) { el.textContent = relative(date); }
      });
    }, 30000);
  });
  document.addEventListener("htmx:load", function (event) { render(event.target); });
})();
