"""Payment QR pages, public business pages and the VietQR API (mounted at the site root)."""

from django.urls import path

from . import api, views

app_name = "payments"
urlpatterns = [
    path("c/<str:commune_code>/businesses/qr/", views.commune_qr, name="commune-qr"),
    path("c/<str:commune_code>/businesses/qr/standees-a5.pdf", views.commune_standees, {"size": "A5"},
         name="commune-standees-a5"),
    path("c/<str:commune_code>/businesses/qr/standees-a6.pdf", views.commune_standees, {"size": "A6"},
         name="commune-standees-a6"),
    path("c/<str:commune_code>/businesses/<int:business_id>/qr/", views.business_qr, name="business-qr"),
    path("c/<str:commune_code>/businesses/<int:business_id>/qr/edit/", views.profile_edit, name="profile-edit"),
    path("c/<str:commune_code>/businesses/<int:business_id>/qr/cashier/", views.cashier, name="cashier"),
    path("c/<str:commune_code>/businesses/<int:business_id>/qr/code.svg", views.qr_svg, name="qr-svg"),
    path("c/<str:commune_code>/businesses/<int:business_id>/qr/code.png", views.qr_png, name="qr-png"),
    path("c/<str:commune_code>/businesses/<int:business_id>/qr/standee-a5.pdf", views.standee, {"size": "A5"},
         name="standee-a5"),
    path("c/<str:commune_code>/businesses/<int:business_id>/qr/standee-a6.pdf", views.standee, {"size": "A6"},
         name="standee-a6"),
    path("b/<str:public_id>/", views.public_page, name="public"),
    path("b/<str:public_id>/qr.png", views.public_qr_png, name="public-qr-png"),
    path("b/<str:public_id>/cashier/", views.public_cashier, name="public-cashier"),
    path("api/payments/vietqr/encode", api.VietQREncodeView.as_view(), name="vietqr-encode"),
    path("api/payments/vietqr/decode", api.VietQRDecodeView.as_view(), name="vietqr-decode"),
]
