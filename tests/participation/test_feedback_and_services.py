"""Citizen feedback (deadline, photo cleaning, assign/answer/close, overdue) and the online-service
catalogue with its self-registered built-in services."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from langso.lib.errors import RuleViolation
from langso.participation import actions, builtins, deadlines, photos
from langso.participation.models import Feedback, FeedbackStatus, OnlineService

from .conftest import TODAY

NOON = dt.datetime(2026, 11, 27, 12, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))  # a Friday


def jpeg_with_gps(size=(64, 48), orientation: int | None = None) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0131] = "SecretCam 1.0"  # Software
    gps = {1: "N", 2: (21.0, 18.0, 0.0), 3: "E", 4: (105.0, 36.0, 0.0)}
    exif[0x8825] = gps
    if orientation:
        exif[0x0112] = orientation
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_photo_is_reencoded_without_metadata():
    raw = jpeg_with_gps()
    assert b"SecretCam" in raw
    clean = photos.clean_photo(raw)
    assert b"SecretCam" not in clean and b"PhoneMaker" not in clean and b"Exif" not in clean
    image = Image.open(io.BytesIO(clean))
    assert image.format == "JPEG" and not image.getexif() and image.size == (64, 48)


def test_photo_orientation_is_applied_before_stripping():
    clean = photos.clean_photo(jpeg_with_gps((64, 48), orientation=6))  # rotate 90°
    assert Image.open(io.BytesIO(clean)).size == (48, 64)


def test_png_with_text_chunk_and_alpha():
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "home of Nguyen Van A")
    out = io.BytesIO()
    Image.new("RGBA", (10, 10), (0, 0, 0, 0)).save(out, format="PNG", pnginfo=info)
    clean = photos.clean_photo(out.getvalue())
    assert b"Nguyen" not in clean and Image.open(io.BytesIO(clean)).mode == "RGB"


@pytest.mark.parametrize("data, rule", [
    (b"GIF89a" + b"\x00" * 100, "photo.type"),
    (b"not an image at all", "photo.type"),
    (b"\xff" * (photos.MAX_BYTES + 1), "photo.size"),
])
def test_bad_photos_are_refused(data, rule):
    with pytest.raises(RuleViolation) as exc:
        photos.clean_photo(data)
    assert exc.value.rule == rule and exc.value.field == "photo"


def test_gif_is_refused():
    out = io.BytesIO()
    Image.new("RGB", (4, 4)).save(out, format="GIF")
    with pytest.raises(RuleViolation) as exc:
        photos.clean_photo(out.getvalue())
    assert exc.value.rule == "photo.type"


def test_deadline_counts_working_days():
    assert deadlines.add_working_days(dt.date(2026, 11, 27), 1) == dt.date(2026, 11, 30)  # Fri → Mon
    assert deadlines.add_working_days(dt.date(2026, 11, 27), 10) == dt.date(2026, 12, 11)
    rule = deadlines.rule_for("environment")
    assert rule.working_days == 10 and rule.verified is False and "20/2008" in rule.source


def test_submit_feedback_with_photo_and_location(territory):
    item = actions.submit_feedback(territory["a"], category="environment", description="Rác đổ bên bờ kênh thôn.",
                                   photo=jpeg_with_gps(), latitude=21.3, longitude=105.6,
                                   contact_name="Người Gửi", contact_phone="0912 345 678", now=NOON)
    assert item.tracking_code.startswith("PA") and len(item.tracking_code) == 10
    assert item.received_on == dt.date(2026, 11, 27) and item.deadline_on == dt.date(2026, 12, 11)
    assert item.deadline_rule == "default-10-working-days"
    assert item.contact_phone == "0912345678"
    assert b"SecretCam" not in bytes(item.photo)


@pytest.mark.parametrize("kwargs, field", [
    ({"category": "nope"}, "category"),
    ({"description": "ngắn"}, "description"),
    ({"latitude": 21.0}, "latitude"),
    ({"latitude": 48.8, "longitude": 2.3}, "latitude"),
    ({"contact_phone": "12"}, "contact_phone"),
])
def test_feedback_validation(territory, kwargs, field):
    base = {"category": "other", "description": "Một việc cần xã xem xét."}
    with pytest.raises(RuleViolation) as exc:
        actions.submit_feedback(territory["a"], **{**base, **kwargs}, now=NOON)
    assert exc.value.field == field
    assert not Feedback.objects.exists()


def test_assign_answer_close_and_overdue(territory, users):
    item = actions.submit_feedback(territory["a"], category="infrastructure", description="Ổ gà trước cổng trường.",
                                   now=NOON)
    assert not item.is_overdue(item.deadline_on) and item.is_overdue(item.deadline_on + dt.timedelta(days=1))
    assert Feedback.objects.overdue(item.deadline_on + dt.timedelta(days=1)).count() == 1
    with pytest.raises(RuleViolation):
        actions.assign_feedback(users["editor"], item, users["outsider"])  # not an officer of A
    with pytest.raises(RuleViolation):
        actions.close_feedback(users["editor"], item, today=TODAY)  # not answered yet
    actions.assign_feedback(users["editor"], item, users["editor"])
    assert item.status == FeedbackStatus.IN_PROGRESS
    actions.answer_feedback(users["editor"], item, "Xã đã cho vá đường.", today=item.deadline_on + dt.timedelta(days=2))
    assert item.is_overdue(TODAY + dt.timedelta(days=30))  # answered late stays flagged
    first = item.answered_on
    actions.answer_feedback(users["editor"], item, "Đã vá xong.", today=item.deadline_on + dt.timedelta(days=5))
    assert item.answered_on == first  # the first answer's day counts
    actions.close_feedback(users["editor"], item, today=TODAY)
    item.refresh_from_db()
    assert item.status == FeedbackStatus.CLOSED and item.answer == "Đã vá xong."
    with pytest.raises(RuleViolation):
        actions.answer_feedback(users["editor"], item, "Sửa lại")


def test_builtins_register_themselves():
    registered = builtins.registered()
    assert {"documents.residence_confirmation", "participation.feedback", "participation.surveys"} <= set(registered)
    assert registered["documents.residence_confirmation"].field == "security_order"


def test_document_service_needs_a_signing_credential(territory, users):
    with pytest.raises(RuleViolation) as exc:
        actions.enable_builtin(users["editor"], territory["a"], "documents.residence_confirmation", available_since=TODAY)
    assert exc.value.rule == "participation.service.unavailable"


def test_enable_builtin_once_and_withdraw(territory, users):
    service = actions.enable_builtin(users["editor"], territory["a"], "participation.feedback", available_since=TODAY)
    assert service.is_builtin and service.field == "community_monitoring"
    with pytest.raises(RuleViolation) as exc:
        actions.enable_builtin(users["editor"], territory["a"], "participation.feedback", available_since=TODAY)
    assert exc.value.rule == "participation.service.duplicate"
    with pytest.raises(RuleViolation):
        actions.withdraw_service(users["editor"], service, withdrawn_on=TODAY - dt.timedelta(days=1))
    actions.withdraw_service(users["editor"], service, withdrawn_on=TODAY)
    again = actions.enable_builtin(users["editor"], territory["a"], "participation.feedback", available_since=TODAY)
    assert OnlineService.objects.filter(builtin_key="participation.feedback").count() == 2 and again.pk != service.pk


def test_external_service_needs_a_link(territory, users):
    with pytest.raises(RuleViolation) as exc:
        actions.add_service(users["editor"], territory["a"], field="health", name="Đặt lịch khám", url="javascript:x",
                            available_since=TODAY)
    assert exc.value.field == "url"
    service = actions.add_service(users["editor"], territory["a"], field="health", name="Đặt lịch khám",
                                  url="https://example.org/kham", available_since=TODAY)
    assert service.url and not service.is_builtin


def test_bad_builtin_declaration_is_reported():
    with pytest.raises(ValueError, match="field"):
        builtins._parse({"key": "x.y", "field": "sport", "name_vi": "a", "name_en": "a", "url_name": "x"}, "mod[0]")
