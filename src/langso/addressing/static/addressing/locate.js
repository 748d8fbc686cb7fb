/* Làng số — a household's location: shows the point, the commune boundary and the village
 * centre; a click on the map proposes a new point (filled into the form, saved by "Save").
 * No base map unless LANGSO_TILE_URL is set. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("locate-config").textContent);
  var map = L.map("locate-map", { zoomSnap: 0.5, maxZoom: 19 });
  map.attributionControl.setPrefix(false);
  if (config.tileUrl) { L.tileLayer(config.tileUrl, { maxZoom: 19 }).addTo(map); }
  // The view first: Leaflet cannot draw vector layers on a map without one.
  if (config.point) {
    // The point and its village centre in view, so a stray point shows how far it strayed.
    var around = L.latLngBounds([config.point, config.village || config.point]);
    map.fitBounds(around.pad(0.4), { maxZoom: 17 });
  } else if (config.extent) {
    map.fitBounds([[config.extent[1], config.extent[0]], [config.extent[3], config.extent[2]]]);
  } else {
    map.setView([21.3, 105.4], 10);
  }
  if (config.boundary) {
    L.geoJSON(config.boundary, { style: { color: "#475569", weight: 1.6, fillOpacity: 0.05 } }).addTo(map);
  }
  if (config.village) {
    L.circleMarker(config.village, { radius: 5, color: "#94a3b8", weight: 2, fillOpacity: 0.2 }).addTo(map)
      .bindTooltip("●");
  }
  if (config.point) {
    L.circleMarker(config.point, { radius: 8, color: "#fff", weight: 2, fillColor: "#0f766e", fillOpacity: 1 }).addTo(map);
  }
  L.control.scale({ imperial: false }).addTo(map);
  var form = document.getElementById("locate-form");
  if (!form) { return; }
  var proposed = null;
  map.on("click", function (event) {
    var lat = event.latlng.lat.toFixed(6), lon = event.latlng.lng.toFixed(6);
    document.getElementById("id-lat").value = lat;
    document.getElementById("id-lon").value = lon;
    document.getElementById("id-coordinates").value = lat + ", " + lon;
    if (proposed) { map.removeLayer(proposed); }
    proposed = L.circleMarker(event.latlng, { radius: 8, color: "#f59e0b", weight: 3, fill: false }).addTo(map);
  });
})();
