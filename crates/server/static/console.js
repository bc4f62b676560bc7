// Rampart console: draws the charts with the vendored Chart.js (static/vendor/). Each chart
// is a <canvas class="chart" data-source="ID"> whose numbers are the JSON of the element
// <script type="application/json" id="ID"> (the page also shows them as a table, so
// nothing here is needed to read them). Served from the same origin: the CSP allows no
// inline script.
//
// The JSON: {"type": "bar" | "line" | "doughnut", "labels": [...],
//            "datasets": [{"label": "...", "data": [...], "colors": ["#..."]}],
//            "links": [address per label, optional], "horizontal": bool, "max": number,
//            "stacked": bool (the datasets' bars stacked: e.g. succeeded and failed calls)}
(function () {
  "use strict";
  if (typeof window.Chart !== "function") {
    return;
  }
  var palette = ["#1f5fa8", "#c2410c", "#15803d", "#7c3aed", "#b91c1c", "#0e7490", "#a16207"];

  function draw(canvas) {
    var source = document.getElementById(canvas.getAttribute("data-source"));
    if (!source) {
      return;
    }
    var spec;
    try {
      spec = JSON.parse(source.textContent);
    } catch (e) {
      return;
    }
    var type = spec.type || "bar";
    var datasets = (spec.datasets || []).map(function (d, i) {
      var colors = d.colors || (type === "line" ? palette[i % palette.length] : palette[i % palette.length]);
      return {
        label: d.label,
        data: d.data,
        backgroundColor: colors,
        borderColor: type === "line" ? colors : undefined,
        borderWidth: type === "line" ? 2 : 0,
        pointRadius: type === "line" ? 3 : undefined,
        spanGaps: true,
      };
    });
    var links = spec.links || [];
    var options = {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      indexAxis: spec.horizontal ? "y" : "x",
      plugins: {
        legend: { display: type === "line" || type === "doughnut" || datasets.length > 1, position: "bottom" },
      },
      onClick: function (_event, elements) {
        if (elements.length && links[elements[0].index]) {
          window.location.href = links[elements[0].index];
        }
      },
      onHover: function (event, elements) {
        if (event.native && event.native.target) {
          event.native.target.style.cursor = elements.length && links[elements[0].index] ? "pointer" : "default";
        }
      },
    };
    if (type !== "doughnut") {
      var valueAxis = { beginAtZero: true, ticks: { precision: 0 } };
      if (typeof spec.max === "number") {
        valueAxis.max = spec.max;
      }
      // Long labels (resource ARNs) keep their distinctive end; the table has them whole.
      var labelAxis = {
        ticks: {
          autoSkip: !spec.horizontal,
          maxRotation: 0,
          callback: function (value) {
            var label = String(this.getLabelForValue(value));
            return label.length > 36 ? "\u2026" + label.slice(-35) : label;
          },
        },
      };
      if (spec.stacked) {
        valueAxis.stacked = true;
        labelAxis.stacked = true;
      }
      options.scales = spec.horizontal ? { x: valueAxis, y: labelAxis } : { x: labelAxis, y: valueAxis };
    }
    if (spec.horizontal && canvas.parentNode) {
      // A bar's room: about 22 px each, whatever the number of groups.
      canvas.parentNode.style.height = Math.max(120, (spec.labels || []).length * 22 + 50) + "px";
    }
    new window.Chart(canvas, { type: type, data: { labels: spec.labels || [], datasets: datasets }, options: options });
    canvas.setAttribute("data-drawn", "true");
  }

  function start() {
    var canvases = document.querySelectorAll("canvas.chart[data-source]");
    for (var i = 0; i < canvases.length; i++) {
      draw(canvases[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
