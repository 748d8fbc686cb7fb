"""The check every public look-up-by-code page passes (langso.lib.ratelimit.limit_misses): used by
the payments, documents, economy and participation tests with their own valid and unknown codes."""

from __future__ import annotations

from django.test import Client

LIMIT = 3
ATTACKER = "203.0.113.7"  # TEST-NET-3 addresses
NEIGHBOUR = "203.0.113.8"


def assert_429(response) -> None:
    assert response.status_code == 429, response.status_code
    assert 1 <= int(response["Retry-After"]) <= 600
    body = response.content.decode()
    assert body.index("Quá nhiều yêu cầu") < body.index("Too many requests")  # Vietnamese first


def check_misses_are_limited(settings, *, good: list[str], bad: list[str]) -> None:
    """``good`` URLs answer 200 however often they are opened; after :data:`LIMIT` misses (404 on
    the ``bad`` URLs, taken in turn: one shared bucket) the client gets 429 with ``Retry-After`` on
    every look-up, good ones included; another address and a forged ``X-Forwarded-For`` change
    nothing about that."""
    settings.LANGSO_RATE_LIMITS = {"code-miss": (LIMIT, 600)}
    client = Client(REMOTE_ADDR=ATTACKER)
    for _ in range(4 * LIMIT):  # many people scanning real codes behind one address: never throttled
        for url in good:
            assert client.get(url).status_code == 200, url
    for i in range(LIMIT):
        url = bad[i % len(bad)]
        assert client.get(url).status_code == 404, url
    for url in bad + good:
        assert_429(client.get(url))
    # Not an oracle either way, and the bucket is the connection's address, not a header.
    assert_429(client.get(good[0], HTTP_X_FORWARDED_FOR="198.51.100.1"))
    neighbour = Client(REMOTE_ADDR=NEIGHBOUR)
    assert neighbour.get(good[0]).status_code == 200
    assert neighbour.get(bad[0]).status_code == 404
