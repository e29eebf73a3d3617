// gameday report: draws the per-second charts from the embedded data with
// Chart.js, shading fault and flag windows with the plugin below.
(function () {
  'use strict';
  var G = window.gameday = { charts: {}, errors: [], ready: false };
  window.addEventListener('error', function (e) { G.errors.push(String(e.message)); });

  var palette = {
    fault: { fill: 'rgba(214, 39, 40, 0.13)', edge: 'rgba(214, 39, 40, 0.55)', text: '#8b1a1a' },
    flag: { fill: 'rgba(31, 119, 180, 0.12)', edge: 'rgba(31, 119, 180, 0.55)', text: '#174a7c' },
    phase: { fill: 'rgba(120, 120, 120, 0.07)', edge: 'rgba(120, 120, 120, 0.4)', text: '#444' }
  };

  // Shades each window over the plot area, labels it on its own row so
  // overlapping windows stay readable, and draws point events as dashed lines.
  var windowsPlugin = {
    id: 'gamedayWindows',
    beforeDatasetsDraw: function (chart, args, opts) {
      var ctx = chart.ctx, a = chart.chartArea, x = chart.scales.x;
      ctx.save();
      ctx.font = '11px sans-serif';
      (opts.windows || []).forEach(function (w, i) {
        var c = palette[w.kind] || palette.phase;
        var x0 = Math.max(x.getPixelForValue(w.start), a.left);
        var x1 = Math.min(x.getPixelForValue(w.end), a.right);
        if (x1 <= x0) { return; }
        ctx.fillStyle = c.fill;
        ctx.fillRect(x0, a.top, x1 - x0, a.bottom - a.top);
        ctx.strokeStyle = c.edge;
        ctx.beginPath();
        ctx.moveTo(x0, a.top); ctx.lineTo(x0, a.bottom);
        ctx.moveTo(x1, a.top); ctx.lineTo(x1, a.bottom);
        ctx.stroke();
        ctx.fillStyle = c.text;
        ctx.fillText(w.label, x0 + 4, a.top + 13 + 13 * (i % 4), Math.max(x1 - x0 - 6, 60));
      });
      (opts.marks || []).forEach(function (m, i) {
        var px = x.getPixelForValue(m.at);
        if (px < a.left || px > a.right) { return; }
        ctx.strokeStyle = '#333';
        ctx.setLineDash([4, 3]);
        ctx.beginPath(); ctx.moveTo(px, a.top); ctx.lineTo(px, a.bottom); ctx.stroke();
        ctx.setLineDash([]);
        ctx.fillStyle = '#333';
        ctx.fillText(m.label, px + 3, a.bottom - 4 - 13 * (i % 3));
      });
      ctx.restore();
    }
  };

  function draw(scn, c) {
    var canvas = document.getElementById(c.id);
    var chart = new Chart(canvas.getContext('2d'), {
      type: 'line',
      data: {
        datasets: c.series.map(function (s) {
          // a metric sampled less than once a second (LCP per page load)
          // would draw nothing between gaps: join its points and show them
          var sparse = s.data.filter(function (p) { return p[1] === null; }).length > s.data.length / 3;
          return {
            label: s.label, borderColor: s.color, backgroundColor: s.color,
            data: s.data.map(function (p) { return { x: p[0], y: p[1] }; }),
            borderWidth: 1.5, pointRadius: sparse ? 2 : 0, spanGaps: sparse, tension: 0
          };
        })
      },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false, parsing: false, normalized: true,
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        scales: {
          x: { type: 'linear', min: 0, max: scn.duration, title: { display: true, text: 'seconds since start' } },
          // a fixed axis width keeps the x axes of all charts aligned
          y: { beginAtZero: true, title: { display: true, text: c.unit }, afterFit: function (sc) { sc.width = 64; } }
        },
        plugins: {
          title: { display: true, text: c.title },
          legend: { position: 'top', align: 'end' },
          gamedayWindows: { windows: scn.windows || [], marks: scn.marks || [] }
        }
      }
    });
    G.charts[c.id] = chart;
  }

  try {
    if (typeof Chart === 'undefined') { throw new Error('Chart.js did not load'); }
    Chart.register(windowsPlugin);
    var data = JSON.parse(document.getElementById('gameday-data').textContent);
    data.scenarios.forEach(function (scn) { (scn.charts || []).forEach(function (c) { draw(scn, c); }); });
    G.ready = true;
  } catch (e) {
    G.errors.push(String(e && e.message || e));
    console.error('gameday report:', e);
  }
})();
