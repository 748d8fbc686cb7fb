"""The read-only REST API (/api/). Each app's ``api.py`` registers its viewsets here.

Every route needs an authenticated caller (settings: ``IsAuthenticated``); commune-owned rows
come only through ``visible_to(scope)``. Format suffixes (``.json``) are off: JSON is the only
renderer, and fewer routes means fewer doors to guard.
"""

from rest_framework.routers import DefaultRouter

from langso.economy import api as economy_api
from langso.indicators import api as indicators_api
from langso.registry import api as registry_api
from langso.territory import api as territory_api

router = DefaultRouter()
router.include_format_suffixes = False
for module in (territory_api, registry_api, indicators_api, economy_api):
    module.register(router)

urlpatterns = router.urls
