"""langso.lib.ratelimit: who is counted (REMOTE_ADDR, IPv6 by /64, never X-Forwarded-For), what is
counted (misses only, for look-ups), the 429 answer (Vietnamese first, HTML or JSON, Retry-After),
windows, and the settings read from the environment."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from types import SimpleNamespace

import pytest
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from langso.lib import ratelimit

rf = RequestFactory()


@ratelimit.limit_misses()
def lookup(request, code: str) -> HttpResponse:
    if code == "good":
        return HttpResponse("found")
    if code == "returned":
        return HttpResponse("not here", status=404)
    raise Http404("Không tìm thấy / Not found")


def get(code: str, addr: str = "192.0.2.1", **headers) -> HttpResponse:
    try:
        return lookup(rf.get(f"/x/{code}/", REMOTE_ADDR=addr, **headers), code)
    except Http404:
        return HttpResponse(status=404)


@pytest.fixture
def limit_3(settings):
    settings.LANGSO_RATE_LIMITS = {"code-miss": (3, 600)}


@pytest.mark.parametrize("addr, counted", [
    ("192.0.2.1", "192.0.2.1"),
    ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
    ("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),
    ("::ffff:192.0.2.9", "192.0.2.9"),
    ("", "unknown"),
])
def test_client_address(addr, counted) -> None:
    assert ratelimit.client_address(rf.get("/", REMOTE_ADDR=addr)) == counted


def test_the_forwarded_header_is_not_trusted(settings) -> None:
    # The settings trust no proxy header (no SECURE_PROXY_SSL_HEADER / USE_X_FORWARDED_* either): a
    # header the client writes itself must not choose the bucket.
    assert not getattr(settings, "USE_X_FORWARDED_HOST", False)
    request = rf.get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="198.51.100.7, 192.0.2.1")
    assert ratelimit.client_address(request) == "192.0.2.1"


def test_misses_block_every_lookup_of_that_client_only(limit_3) -> None:
    assert [get("good").status_code for _ in range(50)] == [200] * 50  # finds are never counted
    assert [get(c).status_code for c in ("bad1", "returned", "bad2")] == [404, 404, 404]
    blocked = get("good")
    assert blocked.status_code == 429 and 1 <= int(blocked["Retry-After"]) <= 600
    assert get("bad3").status_code == 429
    assert get("good", HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 429
    assert get("good", addr="192.0.2.2").status_code == 200
    assert get("good", addr="2001:db8:1:2::1").status_code == 200
    # An IPv6 client cannot escape by hopping addresses inside its /64.
    for i in range(3):
        get("bad", addr=f"2001:db8:1:2::{i + 10:x}")
    assert get("good", addr="2001:db8:1:2:abcd::99").status_code == 429
    assert get("good", addr="2001:db8:1:3::1").status_code == 200


def test_the_block_ends_with_the_window(limit_3, monkeypatch) -> None:
    now = [600 * 1_666_667 + 200.0]  # 200 s into a 600 s window
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: now[0]))
    for _ in range(3):
        get("bad")
    response = get("good")
    assert response.status_code == 429 and response["Retry-After"] == "401"
    now[0] += 400
    assert get("good").status_code == 200


def test_429_page_is_vietnamese_first(limit_3) -> None:
    for _ in range(3):
        get("bad")
    response = get("good")
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/html") and '<html lang="vi">' in body
    assert body.index("Quá nhiều yêu cầu") < body.index("Too many requests")
    assert response["Cache-Control"] == "no-store"


def test_429_is_json_for_a_client_asking_for_json(limit_3) -> None:
    for _ in range(3):
        get("bad")
    response = get("good", HTTP_ACCEPT="application/json")
    assert response.status_code == 429 and response["Content-Type"].startswith("application/json")
    data = json.loads(response.content)
    assert data["error"] == "too_many_requests" and data["retry_after"] == int(response["Retry-After"])
    assert data["message"].startswith("Bạn (hoặc mạng của bạn)") and data["message_en"].startswith("You")
    # A browser (HTML listed first or at all) gets the page.
    assert get("good", HTTP_ACCEPT="text/html,application/json;q=0.9")["Content-Type"].startswith("text/html")


def test_limits_come_from_settings_then_defaults(settings) -> None:
    settings.LANGSO_RATE_LIMITS = {"code-miss": (7, 60)}
    assert ratelimit.limit_of("code-miss") == (7, 60)
    assert ratelimit.limit_of("verify-upload") == ratelimit.DEFAULTS["verify-upload"]
    settings.PARTICIPATION_RATE_LIMITS = {"lookup": (5, 30)}  # the setting's name before the move
    assert ratelimit.limit_of("lookup") == (5, 30)


def _settings_with(env: dict[str, str]) -> subprocess.CompletedProcess:
    code = ("import django; django.setup(); from django.conf import settings; "
            "print(sorted(settings.LANGSO_RATE_LIMITS.items()))")
    full = {**os.environ, "DJANGO_SETTINGS_MODULE": "langso.config.settings", "LANGSO_TESTING": "1", **env}
    return subprocess.run([sys.executable, "-c", code], env=full, capture_output=True, text=True, timeout=60)


def test_limits_are_read_from_the_environment() -> None:
    done = _settings_with({"LANGSO_LOOKUP_MISS_LIMIT": "12", "LANGSO_LOOKUP_MISS_WINDOW": "300",
                           "LANGSO_VERIFY_UPLOAD_LIMIT": "9"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[('code-miss', (12, 300)), ('verify-upload', (9, 600))]"
    defaults = _settings_with({"LANGSO_LOOKUP_MISS_LIMIT": "", "LANGSO_LOOKUP_MISS_WINDOW": "",
                               "LANGSO_VERIFY_UPLOAD_LIMIT": ""})
    assert defaults.stdout.strip() == "[('code-miss', (30, 600)), ('verify-upload', (60, 600))]"
    refused = _settings_with({"LANGSO_LOOKUP_MISS_LIMIT": "0"})
    assert refused.returncode != 0 and "LANGSO_LOOKUP_MISS_LIMIT must be at least 1" in refused.stderr
