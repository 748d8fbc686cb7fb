"""Rate limits of the public pages, counted in Django's cache (fixed windows per client address).

Buckets and their defaults (requests per window, seconds) are in :data:`DEFAULTS`; a deployment
overrides any of them with the ``LANGSO_RATE_LIMITS`` setting (same shape; ``settings.py`` fills
the public-lookup bucket from the environment). docs/access.md, "Rate limits", gives the numbers
and why.

Two ways to use it:

- :func:`limit_misses` on a public page that opens a record by a code (``/v/<code>/``,
  ``/t/<id>/``, ``/b/<id>/`` …): only *failed* look-ups (404) are counted, in one bucket shared by
  every such page, so people scanning real codes are never slowed down while someone guessing
  codes is stopped after a few dozen misses. Once a client is blocked, *every* look-up gets 429
  until the window ends, valid codes included: otherwise "429 = wrong code, 200 = right code"
  would keep answering the guesser.
- :func:`limit_posts` on a form: POSTs beyond the bucket's limit get 429; GETs are not counted.

The client is ``REMOTE_ADDR`` (the settings trust no ``X-Forwarded-For``: a header anyone can
send must not choose the bucket). An IPv6 client is counted by its /64 network, which one
subscriber's line usually gets whole. Many phones of a village can share one IPv4 address behind
a mobile carrier's NAT, so the limits are generous.

Production needs a cache shared by every worker process (Redis or Memcached: ``CACHES``); the
default local-memory cache counts per process, so N workers allow N times the limit. Behind a
reverse proxy, ``REMOTE_ADDR`` must be the client's address (set by the proxy/WSGI server), or
every request counts against the proxy.
"""

from __future__ import annotations

import ipaddress
import json
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse

#: bucket -> (requests per window, window in seconds)
DEFAULTS: dict[str, tuple[int, int]] = {
    "code-miss": (30, 600),  # failed look-ups of a public code (every public code page together)
    "verify-upload": (60, 600),  # PDFs uploaded for signature verification (CPU-heavy)
    "survey-submit": (60, 600),  # survey answer submissions
    "survey-bad-code": (20, 3600),  # wrong or used survey codes
    "feedback-submit": (10, 600),  # feedback sent
    "lookup": (120, 600),  # tracking-code and survey-code look-ups, found or not
}

MESSAGE_VI = "Bạn (hoặc mạng của bạn) đã gửi quá nhiều yêu cầu. Vui lòng thử lại sau {minutes} phút."
MESSAGE_EN = "You (or your network) sent too many requests. Please try again in {minutes} minutes."


def limit_of(bucket: str) -> tuple[int, int]:
    """``(limit, window)`` of ``bucket``: the ``LANGSO_RATE_LIMITS`` setting (or the older
    ``PARTICIPATION_RATE_LIMITS``), else :data:`DEFAULTS`."""
    for name in ("LANGSO_RATE_LIMITS", "PARTICIPATION_RATE_LIMITS"):  # the second: its name before the move
        configured = getattr(settings, name, None) or {}
        if bucket in configured:
            limit, window = configured[bucket]
            return int(limit), int(window)
    return DEFAULTS[bucket]


def client_address(request: HttpRequest) -> str:
    """The counted client: ``REMOTE_ADDR``; an IPv6 address by its /64, IPv4-mapped IPv6 as IPv4."""
    raw = request.META.get("REMOTE_ADDR", "") or ""
    try:
        address = ipaddress.ip_address(raw.split("%", 1)[0])
    except ValueError:
        return raw[:64] or "unknown"
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{address}/64", strict=False))
    return str(address)


def _window_start(window: int, now: float) -> int:
    return int(now // window)


def _key(bucket: str, request: HttpRequest, window: int, now: float) -> str:
    return f"langso:rl:{bucket}:{client_address(request)}:{_window_start(window, now)}"


def count(request: HttpRequest, bucket: str) -> int:
    """Add one request to ``bucket`` for this client and return the window's count so far."""
    _, window = limit_of(bucket)
    key = _key(bucket, request, window, time.time())
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
    return (cache.get(_key(bucket, request, window, time.time())) or 0) >= limit


def retry_after(bucket: str) -> int:
    """Seconds until the current window of ``bucket`` ends (at least 1)."""
    _, window = limit_of(bucket)
    now = time.time()
    return max(1, int((_window_start(window, now) + 1) * window - now) + 1)


def _wants_json(request: HttpRequest) -> bool:
    accept = request.headers.get("Accept", "")
    return "json" in accept and "text/html" not in accept


def too_many(request: HttpRequest, bucket: str | None = None) -> HttpResponse:
    """The 429 answer, Vietnamese first, with ``Retry-After``: JSON for a client that asks for
    JSON only, otherwise a tiny self-contained page (no template, no assets: it must stay cheap)."""
    seconds = retry_after(bucket) if bucket else 600
    minutes = max(1, -(-seconds // 60))
    vi, en = MESSAGE_VI.format(minutes=minutes), MESSAGE_EN.format(minutes=minutes)
    if _wants_json(request):
        body = json.dumps({"error": "too_many_requests", "message": vi, "message_en": en, "retry_after": seconds},
                          ensure_ascii=False)
        response = HttpResponse(body, status=429, content_type="application/json; charset=utf-8")
    else:
        response = HttpResponse(_PAGE.format(vi=vi, en=en), status=429, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(seconds)
    response["Cache-Control"] = "no-store"
    return response


_PAGE = """<!doctype html>
<html lang="vi">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Quá nhiều yêu cầu · Làng số</title>
<style>body{{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#1d2521}}h1{{color:#0f3d25}}</style></head>
<body>
<h1>Quá nhiều yêu cầu</h1>
<p>{vi}</p>
<p lang="en"><strong>Too many requests.</strong> {en}</p>
<p><a href="/">Về trang đầu / Back to the start page</a></p>
</body>
</html>
"""


def limit_posts(bucket: str) -> Callable:
    """View decorator: POSTs beyond the bucket's limit get :func:`too_many`; GETs are not counted."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method == "POST" and count(request, bucket) > limit_of(bucket)[0]:
                return too_many(request, bucket)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def limit_misses(bucket: str = "code-miss") -> Callable:
    """View decorator for a public look-up by code: a 404 (raised or returned) counts one miss; a
    client with ``limit`` misses in the window gets :func:`too_many` for every look-up until the
    window ends. Found records count nothing."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if is_blocked(request, bucket):
                return too_many(request, bucket)
            try:
                response = view(request, *args, **kwargs)
            except Http404:
                count(request, bucket)
                raise
            if response.status_code == 404:
                count(request, bucket)
            return response

        return wrapped

    return decorate
