"""Participation rows of commune A for the access walk (tests/test_access_walk.py)."""

from __future__ import annotations

import datetime as dt
import io

from django.utils import timezone

FREE_TEXT_A = "Ý kiến riêng tư về trưởng thôn"
FEEDBACK_A = "Cống thoát nước trước nhà số bảy bị tắc"
FEEDBACK_CONTACT_A = "Vũ Thị Phản Ánh"
FEEDBACK_PHONE_A = "0977001122"


def _photo() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 120, 40)).save(out, format="JPEG")
    return out.getvalue()


def add_participation(world) -> None:
    """A listed built-in service, an open survey run with one response, and a feedback item of A."""
    from langso.participation import actions

    a, editor = world.territory["a"], world.users["editor"]
    today = timezone.localdate()
    world.objects["service_a"] = actions.enable_builtin(editor, a, "participation.feedback",
                                                        available_since=dt.date(2026, 1, 1))
    run = actions.open_survey(editor, a, survey_code="ntm-satisfaction", opens_on=today - dt.timedelta(days=1),
                              closes_on=today + dt.timedelta(days=20))
    codes = actions.codes_for_households(editor, run, [world["household_a"].pk])
    actions.submit_response(run, code=codes[world["household_a"].pk], answers={"roads": "4", "improve": FREE_TEXT_A},
                            today=today)
    world.objects["run_a"] = run
    world.objects["feedback_a"] = actions.submit_feedback(
        a, category="infrastructure", description=FEEDBACK_A, photo=_photo(), contact_name=FEEDBACK_CONTACT_A,
        contact_phone=FEEDBACK_PHONE_A,
    )
    world.private_a = sorted({*world.private_a, FEEDBACK_CONTACT_A, FEEDBACK_PHONE_A})
    world.secrets_a = sorted({*world.secrets_a, FEEDBACK_CONTACT_A, FEEDBACK_PHONE_A, FEEDBACK_A, FREE_TEXT_A})
    world.shown_a = sorted({*world.shown_a, FEEDBACK_CONTACT_A, FEEDBACK_PHONE_A, FEEDBACK_A})
