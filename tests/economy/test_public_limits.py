"""Failed look-ups of a lot's trace page (own resolver path and GS1 Digital Link) are rate-limited
per client address; scans of a real lot never are (a label is scanned by many buyers, often from
one carrier-NAT address)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from public_limits import check_misses_are_limited

from .conftest import GTIN

pytestmark = pytest.mark.django_db


def test_trace_misses_are_limited(economy, settings):
    lot = economy["lot"]
    check_misses_are_limited(
        settings,
        good=[reverse("economy:trace", args=[lot.public_id]), reverse("economy:digital-link", args=[GTIN, lot.code])],
        bad=[reverse("economy:trace", args=["x" * 16]), reverse("economy:digital-link", args=[GTIN, "L0000-00"]),
             reverse("economy:digital-link", args=["8938501001017", lot.code])],  # wrong check digit
    )
