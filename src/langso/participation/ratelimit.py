"""Rate limits of the public forms, counted in Django's cache (fixed windows per client address).

Buckets and their defaults (requests per window, seconds) are in :data:`LIMITS`; a deployment
overrides them with the ``PARTICIPATION_RATE_LIMITS`` setting (same shape). Many phones of a
village can share one address behind a mobile carrier's NAT, so the limits are generous and the
tight one counts only *failed* code attempts (guessing).

Production needs a cache shared by every worker process (Redis or Memcached: ``CACHES``); the
default local-memory cache counts per process, so N workers allow N times the limit. Behind a
reverse proxy, ``REMOTE_ADDR`` must be the client's address (set by the proxy/WSGI server), or
every request counts against the proxy.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

LIMITS: dict[str, tuple[int, int]] = {
    "survey-submit": (60, 600),   # answer submissions
    "survey-bad-code": (20, 3600),  # wrong or used codes
    "feedback-submit": (10, 600),  # feedback sent
    "lookup": (120, 600),  # tracking-code and survey-code look-ups
}


def limit_of(bucket: str) -> tuple[int, int]:
    return getattr(settings, "PARTICIPATION_RATE_LIMITS", {}).get(bucket, LIMITS[bucket])


def client_address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _key(bucket: str, request: HttpRequest, window: int) -> str:
    return f"langso:participation:rl:{bucket}:{client_address(request)}:{int(time.time() // window)}"


def count(request: HttpRequest, bucket: str) -> int:
    """Add one request to ``bucket`` for this client and return the window's count so far."""
    _, window = limit_of(bucket)
    key = _key(bucket, request, window)
    if cache.add(key, 1, timeout=window + 5):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 5)
        return 1


def is_blocked(request: HttpRequest, bucket: str) -> bool:
    """True when the client has used up ``bucket`` in the current window (counts nothing)."""
    limit, window = limit_of(bucket)
    return (cache.get(_key(bucket, request, window)) or 0) >= limit


def too_many(request: HttpRequest) -> HttpResponse:
    """The 429 answer: a tiny page asking to wait, with ``Retry-After``."""
    body = render_to_string("participation/public/too_many.html", request=request)
    response = HttpResponse(body, status=429)
    response["Retry-After"] = "600"
    return response


def limit_posts(bucket: str) -> Callable:
    """View decorator: POSTs beyond the bucket's limit get :func:`too_many`; GETs are not counted."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method == "POST" and count(request, bucket) > limit_of(bucket)[0]:
                return too_many(request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
