// Rampart console: draws a finding group's graph with the vendored Cytoscape.js
// (static/vendor/). Each graph is a <div class="graph" data-source="ID"> whose nodes and
// edges are the JSON of the element <script type="application/json" id="ID"> (the page
// also lists them as tables, so nothing here is needed to read them). Served from the same
// origin: the CSP allows no inline script and no inline style element (the page carries
// an element with Cytoscape's stylesheet id, so it adds none; console.css has its rule).
//
// The JSON: {"nodes": [{"id": "...", "label": "...", "kind": "finding" | "entity",
//                       "severity": "HIGH", "link": "/..."}],
//            "edges": [{"source": "...", "target": "..."}]}
(function () {
  "use strict";
  if (typeof window.cytoscape !== "function") {
    return;
  }
  var severity = { CRITICAL: "#7a0e0e", HIGH: "#c62828", MEDIUM: "#ef8a00", LOW: "#d4b21f", INFORMATIONAL: "#8a94a6" };

  function short(label) {
    return label.length > 34 ? "\u2026" + label.slice(-33) : label;
  }

  function draw(box) {
    var source = document.getElementById(box.getAttribute("data-source"));
    if (!source) {
      return;
    }
    var spec;
    try {
      spec = JSON.parse(source.textContent);
    } catch (e) {
      return;
    }
    var elements = [];
    (spec.nodes || []).forEach(function (n) {
      elements.push({
        group: "nodes",
        data: { id: n.id, label: short(String(n.label || n.id)), kind: n.kind, link: n.link || "", color: severity[n.severity] || "#1f5fa8" },
      });
    });
    (spec.edges || []).forEach(function (e, i) {
      elements.push({ group: "edges", data: { id: "e" + i, source: e.source, target: e.target } });
    });
    var cy = window.cytoscape({
      container: box,
      elements: elements,
      // Text only: labels are data, never markup.
      style: [
        { selector: "node", style: { label: "data(label)", "font-size": 10, "text-valign": "bottom", "text-margin-y": 4, color: "#1d2330", "text-wrap": "none" } },
        { selector: "node[kind = 'finding']", style: { shape: "round-rectangle", "background-color": "data(color)", width: 26, height: 18 } },
        { selector: "node[kind = 'entity']", style: { shape: "ellipse", "background-color": "#1f5fa8", width: 16, height: 16 } },
        { selector: "edge", style: { width: 1.5, "line-color": "#9aa3b5", "curve-style": "bezier" } },
        { selector: "node:selected", style: { "border-width": 3, "border-color": "#1d2330" } },
      ],
      layout: { name: "breadthfirst", roots: "node[kind = 'finding']", spacingFactor: 1.1, animate: false, padding: 20 },
      wheelSensitivity: 0.3,
      autoungrabify: false,
    });
    cy.on("tap", "node", function (event) {
      var link = event.target.data("link");
      if (link) {
        window.location.href = link;
      }
    });
    box.setAttribute("data-drawn", "true");
    box.setAttribute("data-nodes", String(cy.nodes().length));
    box.setAttribute("data-edges", String(cy.edges().length));
    window.rampartGraphs = window.rampartGraphs || {};
    window.rampartGraphs[box.id] = cy;
  }

  function start() {
    var boxes = document.querySelectorAll("div.graph[data-source]");
    for (var i = 0; i < boxes.length; i++) {
      draw(boxes[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
