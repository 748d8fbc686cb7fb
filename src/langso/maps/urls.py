"""URLs of langso.maps: officials' maps, public thematic maps, layer GeoJSON, places, OGC API."""

from django.urls import path

from . import ogc, places, views

app_name = "maps"
urlpatterns = [
    path("c/<str:commune_code>/map/", views.commune_map, name="commune-map"),
    path("p/<str:province_code>/map/", views.province_map, name="province-map"),
    path("c/<str:commune_code>/places/", places.place_list, name="places"),
    path("c/<str:commune_code>/places/new/", places.place_create, name="place-create"),
    path("c/<str:commune_code>/places/<int:place_id>/edit/", places.place_edit, name="place-edit"),
    path("maps/search/", views.search_view, name="search"),
    path("maps/data/<slug:layer>.geojson", views.official_layer, name="layer"),
    path("maps/public/<slug:key>.geojson", views.public_layer, name="public-layer"),
    path("maps/<slug:theme>/", views.public_map, name="public-map"),
    path("ogc/", ogc.landing, name="ogc-landing"),
    path("ogc/conformance", ogc.conformance, name="ogc-conformance"),
    path("ogc/collections", ogc.collections, name="ogc-collections"),
    path("ogc/collections/<slug:collection_id>", ogc.collection, name="ogc-collection"),
    path("ogc/collections/<slug:collection_id>/items", ogc.items, name="ogc-items"),
    path("ogc/collections/<slug:collection_id>/items/<str:feature_id>", ogc.item, name="ogc-item"),
]
