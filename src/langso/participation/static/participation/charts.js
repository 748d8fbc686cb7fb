/* Horizontal bar charts of satisfaction indices (Chart.js, served from vendor/chartjs).
   Each <canvas data-chart="ID"> reads the JSON {labels, values} of <script id="ID">. */
(function () {
  function draw() {
    if (!window.Chart) return;
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var source = document.getElementById(canvas.dataset.chart);
      if (!source) return;
      var data = JSON.parse(source.textContent);
      var box = canvas.parentElement;
      box.style.height = Math.max(160, 34 * data.labels.length + 50) + "px";
      new window.Chart(canvas, {
        type: "bar",
        data: { labels: data.labels, datasets: [{ data: data.values, backgroundColor: "#2f7d4f", borderRadius: 3 }] },
        options: {
          indexAxis: "y", maintainAspectRatio: false, animation: false,
          plugins: { legend: { display: false }, tooltip: { callbacks: { label: function (c) { return c.parsed.x + " %"; } } } },
          scales: { x: { min: 0, max: 100, ticks: { callback: function (v) { return v + " %"; } } },
                    y: { ticks: { autoSkip: false, font: { size: 12 } } } }
        }
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
})();
