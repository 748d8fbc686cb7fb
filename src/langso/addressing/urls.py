"""URLs of langso.addressing: a commune's addresses, a household's address, cards."""

from django.urls import path

from . import views

app_name = "addressing"
urlpatterns = [
    path("c/<str:commune_code>/addresses/", views.commune_addresses, name="commune"),
    path("c/<str:commune_code>/addresses/assign/", views.assign, name="assign"),
    path("c/<str:commune_code>/addresses/check/", views.check, name="locations-update"),
    path("c/<str:commune_code>/addresses/identifiers/import/", views.import_identifiers, name="identifiers-import"),
    path("c/<str:commune_code>/addresses/cards.pdf", views.village_cards, name="cards"),
    path("c/<str:commune_code>/households/<int:household_id>/address/", views.household_address, name="household"),
    path("c/<str:commune_code>/households/<int:household_id>/address/location/", views.set_location,
         name="location-update"),
    path("c/<str:commune_code>/households/<int:household_id>/address/issue/", views.issue, name="issue"),
    path("c/<str:commune_code>/households/<int:household_id>/address/card.pdf", views.card, name="card"),
]
