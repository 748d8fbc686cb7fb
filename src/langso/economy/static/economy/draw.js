// Click-to-draw a polygon on #draw-map; writes GeoJSON into the form's "geometry" field.
(function () {
  var el = document.getElementById("draw-map");
  var field = document.getElementById("id_geometry");
  if (!el || !field || !window.L) return;
  var c = (el.dataset.centre || "21.3,105.6").split(",").map(Number);
  var map = L.map(el, {attributionControl: false}).setView(c, 13);
  if (el.dataset.boundary) {
    try { var b = L.geoJSON(JSON.parse(el.dataset.boundary), {style: {color: "#555", weight: 1, fill: false}}).addTo(map); map.fitBounds(b.getBounds()); } catch (e) { /* no boundary */ }
  }
  var points = [], line = L.polyline([], {color: "#1f5c3a"}).addTo(map), poly = null;
  function write() {
    if (points.length < 3) { field.value = ""; return; }
    var ring = points.map(function (p) { return [+p.lng.toFixed(6), +p.lat.toFixed(6)]; });
    ring.push(ring[0]);
    field.value = JSON.stringify({type: "Polygon", coordinates: [ring]});
  }
  map.on("click", function (e) {
    if (poly) { map.removeLayer(poly); poly = null; points = []; }
    if (points.length >= 3 && map.latLngToContainerPoint(points[0]).distanceTo(e.containerPoint) < 12) {
      poly = L.polygon(points, {color: "#1f5c3a"}).addTo(map); line.setLatLngs([]); write(); return;
    }
    points.push(e.latlng); line.setLatLngs(points); write();
  });
})();
