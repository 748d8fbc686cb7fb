"""URL map. Every app mounts its own ``urls.py``; the API lives under /api/."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("langso.payments.urls")),
    path("", include("langso.documents.urls")),
    path("", include("langso.addressing.urls")),
    path("", include("langso.maps.urls")),
    path("", include("langso.participation.urls")),
    path("", include("langso.criteria.urls")),
    path("", include("langso.economy.urls")),
    path("", include("langso.health.urls")),
    path("", include("langso.imports.urls")),
    path("api/", include("langso.config.api_urls")),
    path("", include("langso.web.urls")),
]
