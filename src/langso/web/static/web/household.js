/* Làng số — household page: the household's position inside its commune's boundary.
 * No base map (offline by default): the commune outline gives the position its context. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("household-location").textContent);
  var map = L.map("household-map", { zoomSnap: 0.25, scrollWheelZoom: false });
  map.attributionControl.setPrefix(false);
  var point = L.latLng(data.lat, data.lon);
  var bounds = L.latLngBounds([point]);
  var outline = null;
  if (data.commune) {
    outline = L.geoJSON(data.commune, {
      style: { color: "#1f6f43", weight: 2, fillColor: "#cfe8d6", fillOpacity: 0.5 },
      pointToLayer: function (f, latlng) { return L.circleMarker(latlng, { radius: 3, color: "#1f6f43" }); }
    });
    bounds.extend(outline.getBounds());
  }
  // The view must exist before vector layers are added (Leaflet clips them to it).
  if (bounds.getNorthEast().equals(bounds.getSouthWest())) {
    map.setView(point, 15);
  } else {
    map.fitBounds(bounds, { padding: [12, 12] });
  }
  if (outline) { outline.addTo(map); }
  L.circleMarker(point, { radius: 8, color: "#ffffff", weight: 2, fillColor: "#c2410c", fillOpacity: 1 }).addTo(map);
})();
