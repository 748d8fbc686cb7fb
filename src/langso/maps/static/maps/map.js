/* Làng số — thematic and officials' maps (Leaflet).
 *
 * Everything comes from the page's #map-config (see langso.maps.views._map_config): the extent,
 * the layers of the catalogue with their GeoJSON URLs, the focus (commune or province code),
 * the search URL and the labels in the page's language. No base map unless the server sets a
 * tile URL (LANGSO_TILE_URL): the platform works on a commune LAN with no internet.
 *
 * Layers marked "clustered" (households) are fetched again for every view (bbox + zoom): the
 * server answers with H3 clusters when zoomed out and with points when zoomed in. Other layers
 * are fetched once for the focus.
 */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("map-config").textContent);
  var labels = config.labels;
  var statusBox = document.getElementById("map-status");
  var list = document.getElementById("layer-list");
  var map = L.map("map", { preferCanvas: true, zoomSnap: 0.5, minZoom: 6, maxZoom: 19 });
  map.attributionControl.setPrefix(false);
  if (config.tileUrl) {
    L.tileLayer(config.tileUrl, { attribution: config.tileAttribution || "", maxZoom: 19 }).addTo(map);
  }
  if (config.extent) {
    map.fitBounds([[config.extent[1], config.extent[0]], [config.extent[3], config.extent[2]]], { padding: [12, 12] });
  } else {
    map.setView([21.3, 105.4], 9);
  }
  L.control.scale({ imperial: false }).addTo(map);

  var state = {};
  var numberFormat = new Intl.NumberFormat((config.language || "vi").indexOf("en") === 0 ? "en-GB" : "vi-VN");

  function focusParams() {
    var params = new URLSearchParams();
    Object.keys(config.focus || {}).forEach(function (k) { params.set(k, config.focus[k]); });
    return params;
  }

  function text(tag, content, className) {
    var el = document.createElement(tag);
    if (className) { el.className = className; }
    el.textContent = content;
    return el;
  }

  function setStatus(message) { if (statusBox) { statusBox.textContent = message || ""; } }

  /* ---- drawing ---- */
  function placePopup(p) {
    var box = document.createElement("div");
    box.appendChild(text("strong", p.name));
    box.appendChild(document.createElement("br"));
    box.appendChild(text("span", ((config.language || "vi").indexOf("en") === 0 ? p.category_en : p.category_vi) + " · " + p.commune_name, "muted"));
    if (p.description) { box.appendChild(text("p", p.description)); }
    if (p.address) { box.appendChild(text("p", p.address)); }
    if (p.contact) { box.appendChild(text("p", labels.contact + ": " + p.contact)); }
    if (p.website) {
      var a = text("a", labels.website, "");
      a.href = p.website; a.rel = "noopener"; a.target = "_blank";
      box.appendChild(a);
    }
    return box;
  }

  function householdPopup(p, id) {
    var box = document.createElement("div");
    box.appendChild(text("strong", "#" + id));
    box.appendChild(document.createElement("br"));
    box.appendChild(text("span", labels.code + ": " + (p.code ? p.code.slice(0, 3) + "-" + p.code.slice(3, 6) + "-" + p.code.slice(6) : labels.noCode)));
    if (p.kind === "outlier") {
      box.appendChild(document.createElement("br"));
      box.appendChild(text("span", p.inside_commune === false ? labels.outside + " (" + Math.round(p.outside_by_m) + " m)" : labels.far + " (" + Math.round(p.village_distance_m) + " m)", "badge badge--warn"));
    }
    box.appendChild(document.createElement("br"));
    var a = text("a", labels.open);
    a.href = p.url;
    box.appendChild(a);
    return box;
  }

  function clusterIcon(count) {
    var size = Math.round(Math.min(48, 20 + Math.sqrt(count) * 0.6));
    return L.divIcon({
      className: "cluster", iconSize: [size, size],
      html: "<span>" + (count >= 10000 ? Math.round(count / 1000) + "k" : numberFormat.format(count)) + "</span>"
    });
  }

  function draw(layerConf, data) {
    var group = state[layerConf.key].group;
    group.clearLayers();
    var colour = layerConf.colour;
    var features = data.features || [];
    features.forEach(function (f) {
      var p = f.properties || {};
      if (!f.geometry) { return; }
      if (f.geometry.type === "Point") {
        var ll = [f.geometry.coordinates[1], f.geometry.coordinates[0]];
        var marker;
        if (p.kind === "cluster") {
          marker = L.marker(ll, { icon: clusterIcon(p.count), keyboard: false, title: numberFormat.format(p.count) + " " + labels.households });
          marker.on("click", function () { map.setView(ll, Math.min(map.getZoom() + 2, config.pointZoom)); });
        } else if (p.kind === "household" || p.kind === "outlier") {
          marker = L.circleMarker(ll, { radius: p.kind === "outlier" ? 6 : 4, color: "#fff", weight: 1, fillColor: colour, fillOpacity: 0.9 });
          marker.bindPopup(householdPopup(p, f.id));
        } else {
          marker = L.circleMarker(ll, { radius: 7, color: "#fff", weight: 1.5, fillColor: p.colour || colour, fillOpacity: 0.95 });
          marker.bindPopup(placePopup(p));
          marker.bindTooltip(p.name);
          state.places[ll[0].toFixed(6) + "," + ll[1].toFixed(6)] = marker;
        }
        group.addLayer(marker);
      } else {
        var poly = L.geoJSON(f, {
          style: {
            color: colour, weight: layerConf.key === "villages" ? 1 : 1.6, dashArray: layerConf.key === "villages" ? "4 3" : null,
            fillColor: colour, fillOpacity: layerConf.key === "villages" ? 0.04 : 0.06
          }
        });
        poly.bindTooltip((p.full_name || p.name || "") + (p.approximate ? " (" + labels.approximate + ")" : ""), { sticky: true });
        group.addLayer(poly);
      }
    });
    if (layerConf.clustered) {
      var total = 0;
      features.forEach(function (f) { total += f.properties.count || 1; });
      setStatus(numberFormat.format(total) + " " + labels.households + (data.truncated ? " — " + labels.truncated : ""));
    }
  }

  function load(layerConf) {
    var entry = state[layerConf.key];
    if (!entry.on) { return; }
    var params = focusParams();
    if (layerConf.clustered || layerConf.key === "location_outliers") {
      var b = map.getBounds();
      params.set("bbox", [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) { return v.toFixed(5); }).join(","));
      params.set("zoom", Math.floor(map.getZoom()));
    } else if (entry.loaded) {
      return;
    }
    if (entry.controller) { entry.controller.abort(); }
    entry.controller = new AbortController();
    fetch(layerConf.url + "?" + params.toString(), { credentials: "same-origin", signal: entry.controller.signal })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (data) { entry.loaded = true; draw(layerConf, data); })
      .catch(function (err) { if (err.name !== "AbortError") { setStatus(labels.error + " " + layerConf.title); } });
  }

  state.places = {};
  config.layers.forEach(function (layerConf) {
    var group = L.layerGroup();
    state[layerConf.key] = { group: group, on: layerConf.on, loaded: false, controller: null };
    if (layerConf.on) { group.addTo(map); }
    if (list) {
      var row = document.createElement("div");
      row.className = "layerlist__item";
      var label = document.createElement("label");
      var box = document.createElement("input");
      box.type = "checkbox"; box.checked = layerConf.on; box.value = layerConf.key;
      box.addEventListener("change", function () {
        state[layerConf.key].on = box.checked;
        if (box.checked) { group.addTo(map); load(layerConf); } else { map.removeLayer(group); if (layerConf.clustered) { setStatus(""); } }
      });
      var swatch = document.createElement("span");
      swatch.className = "swatch" + (layerConf.geometry === "polygon" ? " swatch--line" : "");
      swatch.style.background = layerConf.geometry === "polygon" ? "transparent" : layerConf.colour;
      swatch.style.borderColor = layerConf.colour;
      label.appendChild(box); label.appendChild(swatch); label.appendChild(document.createTextNode(" " + layerConf.title));
      label.title = layerConf.description;
      row.appendChild(label);
      if (layerConf.legend && layerConf.legend.length) {
        var ul = document.createElement("ul");
        ul.className = "layerlist__legend";
        layerConf.legend.forEach(function (item) {
          var li = document.createElement("li");
          var sw = document.createElement("span");
          sw.className = "swatch"; sw.style.background = item.colour;
          li.appendChild(sw); li.appendChild(document.createTextNode(" " + item.name));
          ul.appendChild(li);
        });
        row.appendChild(ul);
      }
      list.appendChild(row);
    }
    load(layerConf);
  });

  var timer = null;
  map.on("moveend", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      config.layers.forEach(function (layerConf) {
        if (layerConf.clustered || layerConf.key === "location_outliers") { load(layerConf); }
      });
    }, 150);
  });

  /* ---- search (officials) ---- */
  var searchForm = document.getElementById("map-search");
  var results = document.getElementById("map-search-results");
  var highlight = null;
  if (searchForm && config.searchUrl) {
    searchForm.addEventListener("submit", function (event) {
      event.preventDefault();
      var params = focusParams();
      params.set("q", document.getElementById("map-search-q").value);
      results.textContent = "";
      results.appendChild(text("li", labels.loading, "muted"));
      fetch(config.searchUrl + "?" + params.toString(), { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          results.textContent = "";
          if (!data.results.length) { results.appendChild(text("li", labels.noResults, "muted")); return; }
          data.results.forEach(function (h) {
            var li = document.createElement("li");
            var button = text("button", (h.code || "#" + h.id) + (h.head ? " · " + h.head : ""), "linkish");
            button.type = "button";
            button.addEventListener("click", function () {
              if (h.lat === null) { window.location.href = h.url; return; }
              map.setView([h.lat, h.lon], 18);
              if (highlight) { map.removeLayer(highlight); }
              highlight = L.circleMarker([h.lat, h.lon], { radius: 11, color: "#f59e0b", weight: 3, fill: false }).addTo(map);
              highlight.bindPopup(householdPopup({ code: (h.code || "").replace(/-/g, ""), url: h.url, kind: "household" }, h.id)).openPopup();
            });
            li.appendChild(button);
            li.appendChild(text("span", " " + [h.village, h.commune].filter(Boolean).join(", "), "muted small"));
            results.appendChild(li);
          });
        })
        .catch(function () { results.textContent = ""; results.appendChild(text("li", labels.error, "muted")); });
    });
  }

  /* ---- place list (public maps) ---- */
  document.querySelectorAll(".placelink").forEach(function (a) {
    a.addEventListener("click", function (event) {
      event.preventDefault();
      var lat = parseFloat(a.dataset.lat), lon = parseFloat(a.dataset.lon);
      map.setView([lat, lon], 16);
      var marker = state.places[lat.toFixed(6) + "," + lon.toFixed(6)];
      if (marker) { marker.openPopup(); }
      document.getElementById("map").scrollIntoView({ behavior: "smooth", block: "center" });
    });
  });
})();
