/* Làng số — province dashboard: choropleth map (Leaflet) and ranked bar chart (Chart.js) of the
 * indicator chosen in #indicator-select.
 *
 * Works with no internet: there is no base map unless the server sets a tile URL
 * (LANGSO_TILE_URL); the commune polygons come from the dashboard's own GeoJSON endpoint.
 * Classes are quintiles of the communes' values (a choropleth that always shows contrast);
 * "lower is better" indicators use a red scale so that dark always means "look here".
 */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("map-config").textContent);
  var labels = config.labels;
  var locale = (config.language || "vi").indexOf("en") === 0 ? "en-GB" : "vi-VN";
  var formatters = {
    1: new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }),
    0: new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }),
    target: new Intl.NumberFormat(locale, { maximumFractionDigits: 1 })
  };
  var GREENS = ["#e5f5e0", "#a1d99b", "#5fbf73", "#2b8c4e", "#00582a"];
  var REDS = ["#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15"];
  var NO_DATA = "#d4d4d0";

  var select = document.getElementById("indicator-select");
  var legend = document.getElementById("map-legend");
  var chartTitle = document.getElementById("chart-title");
  var chartNote = document.getElementById("chart-note");
  var byCode = {};
  config.indicators.forEach(function (ind) { byCode[ind.code] = ind; });

  function formatValue(value, unit) {
    if (value === null || value === undefined) { return labels.noData; }
    return unit === "percent" ? formatters[1].format(value) + "%" : formatters[0].format(value);
  }

  /* Targets as the legal text writes them: "80%", not "80,0%". */
  function formatTarget(target, unit) {
    return target.symbol + " " + formatters.target.format(target.value) + (unit === "percent" ? "%" : "");
  }

  function roundBreak(value, unit) {
    return unit === "percent" ? Math.round(value * 10) / 10 : Math.round(value);
  }

  /* Upper bounds of up to five classes (quintiles), without duplicates. */
  function classBreaks(values, unit) {
    var sorted = values.slice().sort(function (a, b) { return a - b; });
    if (!sorted.length) { return []; }
    var breaks = [];
    for (var i = 1; i <= 5; i++) {
      var position = Math.min(sorted.length - 1, Math.ceil((i / 5) * sorted.length) - 1);
      var b = roundBreak(sorted[position], unit);
      if (i === 5) { b = sorted[sorted.length - 1]; }
      if (!breaks.length || b > breaks[breaks.length - 1]) { breaks.push(b); }
    }
    return breaks;
  }

  function palette(indicator, count) {
    var scale = indicator.higher_is_better ? GREENS : REDS;
    if (count >= scale.length) { return scale; }
    // Fewer classes: spread over the scale so the ends stay light and dark.
    var picked = [];
    for (var i = 0; i < count; i++) {
      picked.push(scale[count === 1 ? scale.length - 2 : Math.round(i * (scale.length - 1) / (count - 1))]);
    }
    return picked;
  }

  var state = { indicator: null, breaks: [], colours: [] };

  function colourFor(value) {
    if (value === null || value === undefined) { return NO_DATA; }
    for (var i = 0; i < state.breaks.length; i++) {
      if (value <= state.breaks[i]) { return state.colours[i]; }
    }
    return state.colours[state.colours.length - 1] || NO_DATA;
  }

  function valueOf(feature) {
    var v = feature.properties.v[state.indicator.code];
    return v === undefined ? null : v;
  }

  /* ---- map ---- */
  var map = L.map("map", { zoomSnap: 0.25, minZoom: 6, maxZoom: 16 });
  map.attributionControl.setPrefix(false);
  if (config.tileUrl) {
    L.tileLayer(config.tileUrl, { attribution: config.tileAttribution || "", maxZoom: 19 }).addTo(map);
  }
  var layer = null;
  var features = [];

  function style(feature) {
    return {
      color: "#ffffff",
      weight: 0.8,
      opacity: 1,
      fillColor: colourFor(valueOf(feature)),
      fillOpacity: 0.92
    };
  }

  function tooltip(featureLayer) {
    var p = featureLayer.feature.properties;
    var wrapper = document.createElement("div");
    var name = document.createElement("strong");
    name.textContent = p.name;
    wrapper.appendChild(name);
    wrapper.appendChild(document.createElement("br"));
    wrapper.appendChild(document.createTextNode(state.indicator.name + ": " + formatValue(valueOf(featureLayer.feature), state.indicator.unit)));
    return wrapper;
  }

  function drawLegend(hasPoints) {
    var ind = state.indicator;
    legend.textContent = "";
    var title = document.createElement("p");
    title.className = "legend__title";
    title.textContent = ind.name;
    legend.appendChild(title);
    var list = document.createElement("ul");
    var lower = null;
    state.breaks.forEach(function (upper, i) {
      var item = document.createElement("li");
      var swatch = document.createElement("span");
      swatch.className = "legend__swatch";
      swatch.style.background = state.colours[i];
      item.appendChild(swatch);
      var text = lower === null ? "≤ " + formatValue(upper, ind.unit)
        : formatValue(lower, ind.unit) + " – " + formatValue(upper, ind.unit);
      item.appendChild(document.createTextNode(text));
      list.appendChild(item);
      lower = upper;
    });
    var none = document.createElement("li");
    var noneSwatch = document.createElement("span");
    noneSwatch.className = "legend__swatch";
    noneSwatch.style.background = NO_DATA;
    none.appendChild(noneSwatch);
    none.appendChild(document.createTextNode(labels.noData));
    list.appendChild(none);
    legend.appendChild(list);
    if (hasPoints) {
      var note = document.createElement("p");
      note.className = "legend__note";
      note.textContent = labels.pointNote;
      legend.appendChild(note);
    }
  }

  /* ---- chart ---- */
  var chart = null;
  Chart.defaults.font.family = "'Be Vietnam Pro', system-ui, sans-serif";
  Chart.defaults.color = "#3c4741";

  var targetLine = {
    id: "targetLine",
    afterDatasetsDraw: function (c) {
      var target = state.indicator && state.indicator.target;
      if (!target) { return; }
      var y = c.scales.y.getPixelForValue(target.value);
      if (y < c.chartArea.top || y > c.chartArea.bottom) { return; }
      var ctx = c.ctx;
      ctx.save();
      ctx.strokeStyle = "#b45309";
      ctx.setLineDash([6, 4]);
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      ctx.moveTo(c.chartArea.left, y);
      ctx.lineTo(c.chartArea.right, y);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillStyle = "#b45309";
      ctx.font = "600 12px 'Be Vietnam Pro', system-ui, sans-serif";
      ctx.textAlign = "right";
      // Above the line, or below it when the line runs along the top of the chart.
      ctx.textBaseline = y - c.chartArea.top < 18 ? "top" : "bottom";
      var labelY = ctx.textBaseline === "top" ? y + 5 : y - 5;
      var text = labels.target + " " + formatTarget(target, state.indicator.unit) + (target.verified ? "" : "*");
      var width = ctx.measureText(text).width;
      ctx.fillStyle = "rgba(255,255,255,.85)";
      ctx.fillRect(c.chartArea.right - width - 8, ctx.textBaseline === "top" ? labelY - 2 : labelY - 16, width + 8, 18);
      ctx.fillStyle = "#b45309";
      ctx.fillText(text, c.chartArea.right - 4, labelY);
      ctx.restore();
    }
  };

  function drawChart() {
    var ind = state.indicator;
    var ranked = features
      .map(function (f) { return { name: f.properties.name, url: f.properties.url, value: valueOf(f) }; })
      .filter(function (item) { return item.value !== null; })
      .sort(function (a, b) { return b.value - a.value; });
    chartTitle.textContent = ind.name;
    var data = {
      labels: ranked.map(function (r) { return r.name; }),
      datasets: [{
        data: ranked.map(function (r) { return r.value; }),
        backgroundColor: ranked.map(function (r) { return colourFor(r.value); }),
        borderWidth: 0,
        barPercentage: 1,
        categoryPercentage: ranked.length > 40 ? 1 : 0.8
      }]
    };
    var options = {
      animation: false,
      maintainAspectRatio: false,
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { label: function (ctx) { return formatValue(ctx.raw, ind.unit); } } }
      },
      scales: {
        x: { ticks: { display: false }, grid: { display: false }, title: { display: true, text: labels.ranked } },
        y: {
          beginAtZero: true,
          suggestedMax: ind.unit === "percent" ? 100 : undefined,
          max: ind.unit === "percent" ? 100 : undefined,
          ticks: { callback: function (v) { return formatters[0].format(v) + (ind.unit === "percent" ? "%" : ""); } }
        }
      },
      onClick: function (event, elements) {
        if (elements.length) { window.location.href = ranked[elements[0].index].url; }
      }
    };
    if (chart) {
      chart.data = data;
      chart.options = options;
      chart.update();
    } else {
      chart = new Chart(document.getElementById("chart"), { type: "bar", data: data, options: options, plugins: [targetLine] });
    }
    var target = ind.target;
    if (target && ranked.length) {
      var met = ranked.filter(function (r) {
        return { ">=": r.value >= target.value, ">": r.value > target.value, "<=": r.value <= target.value, "<": r.value < target.value }[target.comparison];
      }).length;
      chartNote.textContent = labels.metNote
        .replace("{met}", formatters[0].format(met))
        .replace("{total}", formatters[0].format(ranked.length))
        .replace("{target}", formatTarget(target, ind.unit))
        .replace("{year}", target.year) + (target.verified ? "" : " " + labels.unverified);
    } else {
      chartNote.textContent = ranked.length ? labels.noTarget : labels.noData;
    }
  }

  function choose(code) {
    state.indicator = byCode[code] || config.indicators[0];
    if (!state.indicator) { return; }
    var values = features.map(valueOf).filter(function (v) { return v !== null; });
    state.breaks = classBreaks(values, state.indicator.unit);
    state.colours = palette(state.indicator, state.breaks.length);
    if (layer) { layer.setStyle(style); }
    var hasPoints = features.some(function (f) { return f.properties.point; });
    drawLegend(hasPoints);
    drawChart();
  }

  select.addEventListener("change", function () {
    choose(select.value);
    var url = new URL(window.location.href);
    url.searchParams.set("indicator", select.value);
    window.history.replaceState(null, "", url);
  });

  map.setView([21.3, 105.3], 8);
  fetch(config.geojson, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
    .then(function (response) {
      if (!response.ok) { throw new Error(response.status); }
      return response.json();
    })
    .then(function (collection) {
      features = collection.features;
      choose(select.value || config.selected);
      layer = L.geoJSON(collection, {
        style: style,
        pointToLayer: function (feature, latlng) {
          return L.circleMarker(latlng, { radius: 7 });
        },
        onEachFeature: function (feature, featureLayer) {
          featureLayer.bindTooltip(tooltip, { sticky: true, direction: "top" });
          featureLayer.on("click", function () { window.location.href = feature.properties.url; });
          featureLayer.on("mouseover", function () { featureLayer.setStyle({ weight: 2.5, color: "#1d2521" }); featureLayer.bringToFront(); });
          featureLayer.on("mouseout", function () { layer.resetStyle(featureLayer); });
        }
      }).addTo(map);
      var bounds = layer.getBounds();
      if (bounds.isValid()) { map.fitBounds(bounds, { padding: [6, 6] }); }
      document.getElementById("map").setAttribute("data-loaded", String(features.length));
    })
    .catch(function () {
      legend.textContent = labels.loadError;
    });
})();
