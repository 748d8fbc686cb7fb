"""URLs of langso.imports: a commune officer's import pages under ``c/<commune_code>/import/``.

All of them are write pages: anyone but the commune's officers (and superusers) gets 404.
"""

from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("c/<str:commune_code>/import/", views.upload, name="import_upload"),
    path("c/<str:commune_code>/import/export.xlsx", views.export, name="import_export"),
    path("c/<str:commune_code>/import/<int:pk>/", views.preview, name="import_job"),
    path("c/<str:commune_code>/import/<int:pk>/progress/", views.progress, name="import_progress"),
    path("c/<str:commune_code>/import/<int:pk>/errors.xlsx", views.errors_xlsx, name="import_errors"),
]
