"""The read-only REST API (/api/). Each app registers its viewsets in its ``api.py``."""

from rest_framework.routers import DefaultRouter

router = DefaultRouter()

urlpatterns = router.urls
