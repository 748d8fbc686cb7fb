"""URLs of langso.economy (mounted at the site root).

Public (no login): ``t/<public_id>/`` (a lot's trace page, the platform's own resolver path) and
``01/<gtin>/10/<lot>`` (GS1 Digital Link 1.4 resolver path of lots whose product has a GTIN).
Commune officers: ``c/<commune_code>/economy/…``.
"""

from django.urls import path

from . import public, views

app_name = "economy"
urlpatterns = [
    path("t/<str:public_id>/", public.trace_page, name="trace"),
    path("01/<str:gtin>/10/<str:lot_code>", public.digital_link, name="digital-link"),
    path("c/<str:commune_code>/economy/", views.hub, name="hub"),
    path("c/<str:commune_code>/economy/areas.geojson", views.areas_geojson, name="areas-geojson"),
    path("c/<str:commune_code>/economy/cooperatives/new/", views.create, {"kind": "cooperative"},
         name="cooperative-new"),
    path("c/<str:commune_code>/economy/cooperatives/<int:cooperative_id>/status/", views.cooperative_status,
         name="cooperative-status"),
    path("c/<str:commune_code>/economy/producers/new/", views.create, {"kind": "producer"}, name="producer-new"),
    path("c/<str:commune_code>/economy/areas/new/", views.create, {"kind": "area"}, name="area-new"),
    path("c/<str:commune_code>/economy/areas/<int:area_id>/", views.area_detail, name="area"),
    path("c/<str:commune_code>/economy/areas/<int:area_id>/technologies/", views.area_technologies,
         name="area-technologies"),
    path("c/<str:commune_code>/economy/producers/<int:producer_id>/ecommerce/", views.producer_ecommerce,
         name="producer-ecommerce"),
    path("c/<str:commune_code>/economy/stores/<int:store_id>/close/", views.store_close, name="store-close"),
    path("c/<str:commune_code>/economy/products/new/", views.create, {"kind": "product"}, name="product-new"),
    path("c/<str:commune_code>/economy/linkages/new/", views.create, {"kind": "linkage"}, name="linkage-new"),
    path("c/<str:commune_code>/economy/stores/new/", views.create, {"kind": "store"}, name="store-new"),
    path("c/<str:commune_code>/economy/products/<int:product_id>/", views.product_detail, name="product"),
    path("c/<str:commune_code>/economy/products/<int:product_id>/ocop/", views.product_ocop, name="product-ocop"),
    path("c/<str:commune_code>/economy/products/<int:product_id>/listings/", views.product_listing,
         name="product-listing"),
    path("c/<str:commune_code>/economy/products/<int:product_id>/lots/", views.product_lot, name="product-lot"),
    path("c/<str:commune_code>/economy/lots/<int:lot_id>/", views.lot_detail, name="lot"),
    path("c/<str:commune_code>/economy/lots/<int:lot_id>/events/", views.lot_event, name="lot-event"),
    path("c/<str:commune_code>/economy/lots/<int:lot_id>/labels.pdf", views.lot_labels, name="lot-labels"),
    path("c/<str:commune_code>/economy/lots/<int:lot_id>/epcis.json", views.lot_epcis, name="lot-epcis"),
]
