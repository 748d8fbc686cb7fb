"""Pages of the web interface (mounted at the site root by ``langso.config.urls``)."""

from django.urls import path

from . import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("p/<str:province_code>/", views.province_dashboard, name="province"),
    path("p/<str:province_code>/communes.geojson", views.province_geojson, name="province-geojson"),
    path("c/<str:commune_code>/", views.commune_detail, name="commune"),
    path("c/<str:commune_code>/households/", views.household_list, name="households"),
    path(
        "c/<str:commune_code>/households/<int:household_id>/",
        views.household_detail,
        name="household",
    ),
]
