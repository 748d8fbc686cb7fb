"""Template context shared by every page: platform facts and the signed-in user's navigation."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

import langso
from langso.accounts.access import Scope, readable_communes, readable_provinces, scope_for
from langso.accounts.models import Membership

# Phú Thọ, the province the platform was first built for: a superuser's default dashboard.
DEFAULT_PROVINCE_CODE = "25"
NAV_COMMUNES = 5


def navigation(user: Any) -> dict[str, Any]:
    """The links of the header for ``user``: ``provinces`` (dashboards it may open; for a
    superuser only the default one), ``communes`` (communes it keeps, at most
    :data:`NAV_COMMUNES`), ``health_communes`` (communes whose health station it works for) and
    ``memberships`` (labels for the user menu). At most four small queries."""
    if not getattr(user, "is_authenticated", False):
        return {"provinces": [], "communes": [], "health_communes": [], "memberships": []}
    scope = scope_for(user)
    provinces = readable_provinces(scope)
    if scope.everything:
        default = provinces.filter(code=DEFAULT_PROVINCE_CODE).first() or provinces.first()
        province_list = [default] if default else []
    else:
        province_list = list(provinces)
    communes = []
    if scope.writable:
        communes = list(readable_communes(scope).filter(pk__in=scope.writable)[:NAV_COMMUNES])
    health_communes = []
    if scope.health_readable and not scope.everything:
        health_communes = list(readable_communes(Scope(everything=True)).filter(pk__in=scope.health_readable)[:NAV_COMMUNES])
    memberships = list(
        Membership.objects.filter(user=user, unit__valid_to__isnull=True)
        .select_related("unit")
        .order_by("unit__level", "unit__code")
    )
    return {"provinces": province_list, "communes": communes, "health_communes": health_communes,
            "memberships": memberships}


def platform(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "LANGSO_VERSION": langso.__version__,
        "TILE_URL": settings.LANGSO_TILE_URL,
        "TILE_ATTRIBUTION": settings.LANGSO_TILE_ATTRIBUTION,
        # Lazy: the login page and JSON views never pay for it.
        "nav": SimpleLazyObject(lambda: navigation(user)),
    }
