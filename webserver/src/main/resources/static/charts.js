// The DAG page's chart tabs. A select marked data-autosubmit submits its form when changed (the
// button stays for pages without script). An element with data-chart (JSON: x in epoch seconds,
// one series of seconds per task) becomes a uPlot line chart, times in UTC and durations in words.
(function () {
  'use strict';

  document.querySelectorAll('select[data-autosubmit]').forEach(function (select) {
    select.addEventListener('change', function () { select.form.submit(); });
  });

  function words(seconds) {
    if (seconds == null) { return ''; }
    var sign = seconds < 0 ? '-' : '';
    var s = Math.abs(seconds);
    // a second and a half is 1.5s, but close ticks of an axis (1.60s, 1.65s) need one more digit
    if (s < 60) { return sign + (s < 10 ? s.toFixed(2) : s.toFixed(1)) + 's'; }
    var whole = Math.round(s);
    var pad = function (n) { return (n < 10 ? '0' : '') + n; };
    if (whole >= 86400) {
      return sign + Math.floor(whole / 86400) + 'd ' + pad(Math.floor(whole % 86400 / 3600)) + 'h ' + pad(Math.floor(whole % 3600 / 60)) + 'm';
    }
    if (whole >= 3600) {
      return sign + Math.floor(whole / 3600) + 'h ' + pad(Math.floor(whole % 3600 / 60)) + 'm ' + pad(whole % 60) + 's';
    }
    return sign + Math.floor(whole / 60) + 'm ' + pad(whole % 60) + 's';
  }

  function utc(epochSeconds) {
    return new Date(epochSeconds * 1000).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
  }

  // distinct hues by the golden angle from blue, away from the states' red and green at first;
  // a task keeps its colour between page loads
  function colour(i) {
    return 'hsl(' + Math.round((210 + i * 137.508) % 360) + ', 65%, 45%)';
  }

  function draw(el) {
    if (typeof uPlot === 'undefined') { return; }
    var chart = JSON.parse(el.getAttribute('data-chart'));
    el.textContent = '';
    var ink = getComputedStyle(document.body).color;
    var series = [{ label: 'Logical date', value: function (u, v) { return v == null ? '' : utc(v); } }];
    chart.series.forEach(function (s, i) {
      series.push({
        label: s.label,
        stroke: colour(i),
        width: 2,
        points: { show: true, size: 5 },
        spanGaps: false,
        value: function (u, v) { return words(v); }
      });
    });
    var data = [chart.x].concat(chart.series.map(function (s) { return s.values; }));
    var options = {
      title: chart.title,
      width: Math.max(280, el.clientWidth),
      height: 320,
      tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'); },
      series: series,
      // one run alone would otherwise stretch the time axis over years (uPlot pads a lone
      // time by 86400 of its milliseconds, read here as seconds): a day around it instead
      scales: {
        x: {
          time: true,
          range: function (u, min, max) {
            var xs = u.data[0];
            return xs.length === 1 ? [xs[0] - 43200, xs[0] + 43200] : [min, max];
          }
        }
      },
      axes: [
        { stroke: ink },
        { stroke: ink, size: 80, values: function (u, ticks) { return ticks.map(words); } }
      ]
    };
    var plot = new uPlot(options, data, el);
    window.addEventListener('resize', function () {
      plot.setSize({ width: Math.max(280, el.clientWidth), height: 320 });
    });
  }

  document.querySelectorAll('[data-chart]').forEach(draw);
})();
