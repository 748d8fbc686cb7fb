// Draws the GeoJSON of data-features on #trace-map with no base-map tiles (works offline): the
// commune's outline for context and the raw-material area, zoomed to the area.
(function () {
  var el = document.getElementById("trace-map");
  if (!el || !window.L) return;
  var data = JSON.parse(el.dataset.features || '{"type":"FeatureCollection","features":[]}');
  var map = L.map(el, {attributionControl: false, scrollWheelZoom: false});
  var focus = null;
  L.geoJSON(data, {
    style: function (f) {
      return f.properties.kind === "commune"
        ? {color: "#6b7a70", weight: 1.5, dashArray: "4 3", fill: false}
        : {color: "#1f5c3a", weight: 2, fillColor: "#5fae6e", fillOpacity: 0.5};
    },
    onEachFeature: function (f, layer) { if (f.properties.kind !== "commune") focus = layer; }
  }).addTo(map);
  if (focus) { map.fitBounds(focus.getBounds().pad(1.5), {maxZoom: 16}); } else { map.setView([21.3, 105.6], 10); }
  L.control.scale({imperial: false}).addTo(map);
})();
