"""The public pages (answer page, feedback, catalogue) and the officer pages, through HTTP."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from langso.participation import actions
from langso.participation.models import Feedback, Response, SurveyCode

from .conftest import TODAY, answer_all, close, codes_of
from .test_feedback_and_services import jpeg_with_gps


@pytest.fixture
def today_is_run_day(monkeypatch):
    """Public views use the real date; move the fixture run around it instead."""
    from django.utils import timezone

    return timezone.localdate()


@pytest.fixture
def live_run(run, today_is_run_day):
    type(run).objects.filter(pk=run.pk).update(opens_on=today_is_run_day - dt.timedelta(days=1),
                                               closes_on=today_is_run_day + dt.timedelta(days=5))
    run.refresh_from_db()
    return run


def editor_client(users) -> Client:
    client = Client()
    client.force_login(users["editor"])
    return client


def test_answer_page_is_tiny_and_needs_no_script(live_run):
    response = Client().get(reverse("participation:survey-answer", args=[live_run.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert len(response.content) < 16_000
    assert "<script" not in body and "<link" not in body and "@font-face" not in body
    assert 'name="viewport"' in body and 'type="radio"' in body
    assert body.count(" class=\"q\"") == len(live_run.definition["questions"])


def test_answer_page_round_trip(live_run):
    client = Client()
    code = codes_of(live_run)[0]
    data = {"code": actions.format_code(code), "roads": "5", "overall": "4", "improve": "Thêm cây xanh"}
    response = client.post(reverse("participation:survey-answer", args=[live_run.pk]), data)
    assert response.status_code == 302 and response["Location"] == reverse("participation:survey-thanks",
                                                                           args=[live_run.pk])
    assert Response.objects.count() == 1 and SurveyCode.objects.get(code=code).used
    again = client.post(reverse("participation:survey-answer", args=[live_run.pk]), data)
    assert again.status_code == 400 and "đã được dùng" in again.content.decode()
    assert 'value="5" checked' in again.content.decode()  # the answers are kept on the page
    assert Response.objects.count() == 1


def test_start_page_finds_the_run_from_the_code(live_run):
    client = Client()
    code = codes_of(live_run)[0]
    found = client.post(reverse("participation:survey-start"), {"code": code.lower()})
    assert found.status_code == 200 and f'action="/s/{live_run.pk}/"' in found.content.decode()
    assert actions.format_code(code) in found.content.decode()
    assert not SurveyCode.objects.get(code=code).used
    missing = client.post(reverse("participation:survey-start"), {"code": "AAAA-AAAA"})
    assert missing.status_code == 400


def test_closed_run_page_says_so(run):
    close(run)
    body = Client().get(reverse("participation:survey-answer", args=[run.pk])).content.decode()
    assert "đã đóng" in body and "<form method=\"post\" action" not in body


def test_wrong_codes_are_rate_limited(live_run, settings):
    settings.PARTICIPATION_RATE_LIMITS = {"survey-bad-code": (3, 3600)}
    client = Client()
    url = reverse("participation:survey-answer", args=[live_run.pk])
    statuses = [client.post(url, {"code": f"ZZZZZZZ{i}", "roads": "5"}).status_code for i in range(5)]
    assert statuses == [400, 400, 400, 429, 429]
    good = client.post(url, {"code": codes_of(live_run)[0], "roads": "5"})
    assert good.status_code == 429 and good["Retry-After"]  # blocked until the window passes
    assert Response.objects.count() == 0


def test_submissions_are_rate_limited(live_run, settings):
    settings.PARTICIPATION_RATE_LIMITS = {"survey-submit": (2, 600)}
    client = Client()
    url = reverse("participation:survey-answer", args=[live_run.pk])
    codes = codes_of(live_run)
    statuses = [client.post(url, {"code": codes[i], "roads": "5"}).status_code for i in range(3)]
    assert statuses == [302, 302, 429]
    assert client.get(url).status_code == 200  # reading is never limited


def test_feedback_round_trip_public(territory, users):
    actions.enable_builtin(users["editor"], territory["a"], "participation.feedback", available_since=TODAY)
    client = Client()
    photo = jpeg_with_gps()
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(reverse("participation:feedback-new", args=["09154"]), {
        "category": "environment", "description": "Bãi rác tự phát ở cuối xóm Đông.",
        "contact_name": "Trần Thị Gửi", "contact_phone": "0987654321",
        "photo": SimpleUploadedFile("x.jpg", photo, content_type="image/jpeg"),
    })
    assert response.status_code == 302
    item = Feedback.objects.get()
    assert b"SecretCam" not in bytes(item.photo)
    status = client.get(response["Location"]).content.decode()
    assert item.tracking_code in status and "Bãi rác tự phát" in status
    assert "Trần Thị Gửi" not in status and "0987654321" not in status
    tracked = client.get(reverse("participation:feedback-track") + f"?ma={item.tracking_code.lower()}")
    assert tracked.status_code == 302
    actions.answer_feedback(users["editor"], item, "Xã đã cho dọn bãi rác.")
    public = client.get(reverse("participation:feedback-public-list", args=["09154"])).content.decode()
    assert "Xã đã cho dọn bãi rác." in public
    assert "Bãi rác tự phát" not in public and "Trần Thị Gửi" not in public
    photo_url = reverse("participation:feedback-photo", args=["09154", item.pk])
    assert client.get(photo_url).status_code == 302  # officers only
    assert editor_client(users).get(photo_url)["Content-Type"] == "image/jpeg"


def test_feedback_form_refuses_a_bad_photo(territory, users):
    actions.enable_builtin(users["editor"], territory["a"], "participation.feedback", available_since=TODAY)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = Client().post(reverse("participation:feedback-new", args=["09154"]), {
        "category": "other", "description": "Một việc cần xã xem xét.",
        "photo": SimpleUploadedFile("x.jpg", b"<html>not an image</html>", content_type="image/jpeg"),
    })
    assert response.status_code == 400 and "JPEG" in response.content.decode()
    assert not Feedback.objects.exists()


def test_feedback_page_only_where_the_service_is_listed(territory):
    assert Client().get(reverse("participation:feedback-new", args=["09154"])).status_code == 404


def test_public_catalogue_lists_builtins_with_links(territory, users):
    actions.enable_builtin(users["editor"], territory["a"], "participation.feedback", available_since=TODAY)
    actions.add_service(users["editor"], territory["a"], field="education", name="Sổ liên lạc điện tử",
                        url="https://example.org/so", available_since=TODAY)
    body = Client().get(reverse("participation:public-services", args=["09154"])).content.decode()
    assert "Sổ liên lạc điện tử" in body and "https://example.org/so" in body
    assert reverse("participation:feedback-new", args=["09154"]) in body
    index = Client().get(reverse("participation:public-services-index")).content.decode()
    assert "Vĩnh Phú" in index and "Thổ Tang" not in index


def test_officer_pages_and_writes(run, territory, users):
    client = editor_client(users)
    answer_all(run, 5, text="Ý kiến riêng của một hộ")
    run_url = reverse("participation:run", args=["09154", run.pk])
    page = client.get(run_url).content.decode()
    assert "Khảo sát đang mở" in page and "Ý kiến riêng" not in page
    free = reverse("participation:run-free-text", args=["09154", run.pk])
    assert "Ý kiến riêng" not in client.get(free).content.decode()
    close(run)
    assert "Ý kiến riêng của một hộ" in client.get(free).content.decode()
    page = client.get(run_url).content.decode()
    assert 'id="chart-data"' in page and "vendor/chartjs/chart.umd.min.js" in page
    sheet = client.get(reverse("participation:run-issue-sheet", args=["09154", run.pk, territory["va"].pk]))
    assert sheet.status_code == 200 and len(re.findall(r'class="code"', sheet.content.decode())) == 12
    created = client.post(reverse("participation:run-new", args=["09154"]), {
        "survey_code": "ntm-satisfaction", "opens_on": "2026-12-01", "closes_on": "2026-12-31"})
    assert created.status_code == 302 and run.commune.survey_runs.count() == 2
    added = client.post(reverse("participation:service-new", args=["09154"]), {
        "field": "health", "name": "Đặt lịch tiêm", "url": "https://example.org/tiem", "available_since": "2026-11-01"})
    assert added.status_code == 302


def test_reader_reads_but_cannot_write(run, users):
    reader = Client()
    reader.force_login(users["reader"])
    assert reader.get(reverse("participation:run", args=["09154", run.pk])).status_code == 200
    assert reader.get(reverse("participation:run-issue-sheet", args=["09154", run.pk, 0])).status_code == 404
    assert reader.post(reverse("participation:run-codes-issue", args=["09154", run.pk])).status_code == 404
    assert reader.get(reverse("participation:province", args=["25"])).status_code == 200
    outsider = Client()
    outsider.force_login(users["outsider"])
    assert outsider.get(reverse("participation:run", args=["09154", run.pk])).status_code == 404
    assert outsider.get(reverse("participation:province", args=["25"])).status_code == 404


def test_feedback_officer_flow(territory, users):
    item = actions.submit_feedback(territory["a"], category="other", description="Đề nghị niêm yết công khai.")
    client = editor_client(users)
    base = ["09154", item.pk]
    assert client.post(reverse("participation:feedback-assign", args=base),
                       {"assignee": users["editor"].pk}).status_code == 302
    assert client.post(reverse("participation:feedback-answer", args=base),
                       {"answer": "Đã niêm yết tại nhà văn hóa."}).status_code == 302
    assert client.post(reverse("participation:feedback-close", args=base)).status_code == 302
    item.refresh_from_db()
    assert item.status == "closed" and item.assignee == users["editor"]
    listing = client.get(reverse("participation:feedback-list", args=["09154"]) + "?status=closed")
    assert item.tracking_code in listing.content.decode()
