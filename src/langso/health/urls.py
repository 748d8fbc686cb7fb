"""Health pages (commune health workers) and the FHIR facade."""

from django.urls import path

from . import fhir, views

app_name = "health"
urlpatterns = [
    path("communes/<str:commune_code>/health/", views.home, name="home"),
    path("communes/<str:commune_code>/health/due/", views.due, name="due"),
    path("communes/<str:commune_code>/health/map/", views.epi_map, name="map"),
    path("communes/<str:commune_code>/health/outbreaks/", views.outbreaks, name="outbreaks"),
    path("communes/<str:commune_code>/health/outbreaks/<int:outbreak_id>/confirm/", views.outbreak_confirm,
         name="outbreak-confirm"),
    path("communes/<str:commune_code>/health/residents/<int:resident_id>/", views.record, name="record"),
    path("communes/<str:commune_code>/health/residents/<int:resident_id>/create/", views.record_create,
         name="record-create"),
    path("communes/<str:commune_code>/health/residents/<int:resident_id>/edit/", views.record_edit,
         name="record-edit"),
    path("communes/<str:commune_code>/health/residents/<int:resident_id>/visits/new/", views.visit_new,
         name="visit-new"),
    path("communes/<str:commune_code>/health/residents/<int:resident_id>/immunizations/add/", views.immunization_add,
         name="immunization-add"),
    path("fhir/metadata", fhir.metadata, name="fhir-metadata"),
    path("fhir/Patient/<int:resident_id>/$everything", fhir.patient_everything, name="fhir-everything"),
    path("fhir/<str:resource_type>", fhir.search, name="fhir-search"),
    path("fhir/<str:resource_type>/<str:fhir_id>", fhir.read, name="fhir-read"),
]
