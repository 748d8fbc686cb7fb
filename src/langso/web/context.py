"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

import langso


def platform(request: HttpRequest) -> dict[str, Any]:
    return {
        "LANGSO_VERSION": langso.__version__,
        "TILE_URL": settings.LANGSO_TILE_URL,
        "TILE_ATTRIBUTION": settings.LANGSO_TILE_ATTRIBUTION,
    }
