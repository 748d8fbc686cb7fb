"""Failed look-ups of a feedback tracking code are rate-limited per client address (the public
look-up limit shared with the other apps' code pages); real tracking codes are never slowed down."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from langso.participation import actions
from public_limits import LIMIT, assert_429, check_misses_are_limited

pytestmark = pytest.mark.django_db


@pytest.fixture
def feedback(territory, users):
    actions.enable_builtin(users["editor"], territory["a"], "participation.feedback",
                           available_since=territory["a"].valid_from)
    return actions.submit_feedback(territory["a"], category="environment", description="Bãi rác tự phát ở cuối xóm.")


def test_tracking_code_misses_are_limited(feedback, settings):
    track = reverse("participation:feedback-track")
    check_misses_are_limited(
        settings,
        good=[reverse("participation:feedback-status", args=[feedback.tracking_code])],
        bad=[reverse("participation:feedback-status", args=["PA23456789"]), f"{track}?ma=PA-9876-5432"],
    )


def test_the_tracking_box_redirects_a_real_code_until_the_client_is_blocked(feedback, settings):
    settings.LANGSO_RATE_LIMITS = {"code-miss": (LIMIT, 600)}
    client = Client(REMOTE_ADDR="192.0.2.10")
    track = reverse("participation:feedback-track")
    for _ in range(3 * LIMIT):
        assert client.get(track, {"ma": feedback.tracking_code.lower()}).status_code == 302
    assert [client.get(track, {"ma": f"PA{i}BCDEFGH"}).status_code for i in range(LIMIT)] == [404] * LIMIT
    assert_429(client.get(track, {"ma": feedback.tracking_code}))
