"""The criteria pages through HTTP: who sees what, the forms, the province's decisions, evidence."""

from __future__ import annotations

import pytest
from django.test import Client

from langso.criteria.models import AssessmentStatus, Evidence, ReviewStep

from .factories import fill_entered, pdf_upload, result_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def clients(users):
    out = {"anonymous": Client()}
    for role, user in users.items():
        out[role] = Client()
        out[role].force_login(user)
    return out


def _html(response) -> str:
    return response.content.decode()


def test_commune_and_assessment_pages_for_each_caller(assessment, clients):
    urls = [f"/c/09154/criteria/", f"/c/09154/criteria/assessments/{assessment.pk}/", "/c/09154/criteria/gap/",
            f"/c/09154/criteria/assessments/{assessment.pk}/report.xlsx",
            f"/c/09154/criteria/assessments/{assessment.pk}/report.pdf"]
    for url in urls:
        assert clients["editor"].get(url).status_code == 200, url
        assert clients["reader"].get(url).status_code == 200, url
        assert clients["outsider"].get(url).status_code == 404, url
        assert clients["anonymous"].get(url).status_code == 302, url
    page = _html(clients["editor"].get(f"/c/09154/criteria/assessments/{assessment.pk}/"))
    assert "Bộ tiêu chí quốc gia về xã nông thôn mới giai đoạn 2026–2030" in page
    assert "chưa xác nhận" in page and "tự động" in page and "xã nhập" in page
    assert "edit-result" in page and "Gửi bản đánh giá" in page  # the commune's forms
    assert "Phê duyệt" not in page  # not the province's
    reader_page = _html(clients["reader"].get(f"/c/09154/criteria/assessments/{assessment.pk}/"))
    assert "edit-result" not in reader_page and "Ý kiến của tỉnh" in reader_page
    gap = _html(clients["editor"].get("/c/09154/criteria/gap/?year=2026"))
    assert "Tỷ lệ người trưởng thành" in gap and "39" in gap


def test_english_labels(assessment, clients):
    client = clients["editor"]
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = _html(client.get(f"/c/09154/criteria/assessments/{assessment.pk}/"))
    assert "unconfirmed" in page and "Indicators" in page and "Review history" in page
    assert "National criteria for new-rural communes, 2026–2030" in page


def test_commune_officer_enters_a_value_with_evidence_and_submits(assessment, clients, media):
    result = result_of(assessment, "1.1")
    url = f"/c/09154/criteria/assessments/{assessment.pk}/edit-result/"
    response = clients["editor"].post(url, {"result": result.pk, "met": "yes", "note": "Quy hoạch duyệt 2026",
                                            "file": pdf_upload("quyet-dinh.pdf"), "description": "Quyết định"})
    assert response.status_code == 302 and response["Location"].endswith("#ind-1.1")
    result.refresh_from_db()
    assert result.met_declared is True and result.status == "met" and result.evidence.count() == 1
    # A wrong file type is refused with the rule's message, nothing stored.
    response = clients["editor"].post(url, {"result": result.pk, "met": "yes", "note": "Quy hoạch duyệt 2026",
                                            "file": pdf_upload("virus.exe")}, follow=True)
    assert "Chỉ nhận tệp PDF" in _html(response) and Evidence.objects.count() == 1
    # The province's officer and outsiders cannot write the commune's assessment.
    assert clients["reader"].post(url, {"result": result.pk, "met": "no"}).status_code == 404
    assert clients["outsider"].post(url, {"result": result.pk, "met": "no"}).status_code == 404
    submit = f"/c/09154/criteria/assessments/{assessment.pk}/submit/"
    assert clients["reader"].post(submit).status_code == 404
    assert clients["editor"].get(submit).status_code == 405
    clients["editor"].post(submit, {"comment": "Gửi tỉnh"})
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED


def test_evidence_download_is_scoped(assessment, clients, users):
    result = result_of(assessment, "1.1")
    from langso.criteria import actions

    evidence = actions.add_evidence(users["editor"], result, pdf_upload("bien-ban.pdf", b"secret minutes"))
    url = f"/c/09154/criteria/evidence/{evidence.pk}/"
    response = clients["reader"].get(url)
    assert response.status_code == 200 and b"secret minutes" in b"".join(response.streaming_content)
    assert response["Content-Type"] == "application/pdf" and response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in response["Content-Disposition"]
    assert clients["outsider"].get(url).status_code == 404
    assert clients["outsider"].get(f"/c/00004/criteria/evidence/{evidence.pk}/").status_code == 404


def test_province_decides_through_the_page(assessment, clients, users):
    fill_entered(assessment, users["editor"])
    from langso.criteria import actions

    actions.submit_assessment(users["editor"], assessment)
    decide = f"/c/09154/criteria/assessments/{assessment.pk}/decide/"
    assert clients["editor"].post(decide, {"action": "approve"}).status_code == 404  # the commune does not decide
    assert clients["outsider"].post(decide, {"action": "approve"}).status_code == 404
    response = clients["reader"].post(decide, {"action": "return", "comment": ""}, follow=True)
    assert "Cần ghi nội dung" in _html(response)
    clients["reader"].post(decide, {"action": "comment", "comment": "Góp ý 7.2"})
    clients["reader"].post(decide, {"action": "approve", "comment": "Đồng ý"})
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.APPROVED
    reopen = f"/c/09154/criteria/assessments/{assessment.pk}/reopen/"
    assert clients["editor"].post(reopen, {"indicator": "1.2", "reason": "x"}).status_code == 404
    clients["reader"].post(reopen, {"indicator": "1.2", "reason": "Cập nhật"})
    assert list(ReviewStep.objects.filter(assessment=assessment).values_list("kind", flat=True))[-3:] == [
        "commented", "approved", "reopened"]
    page = _html(clients["editor"].get(f"/c/09154/criteria/assessments/{assessment.pk}/"))
    assert "Tỉnh đã mở lại" in page and "Cập nhật" in page


def test_start_an_assessment_from_the_commune_page(ready, clients):
    page = _html(clients["editor"].get("/c/09154/criteria/?year=2026"))
    assert "Bắt đầu bản tự đánh giá" in page
    from langso.criteria.models import Assessment

    set_2026 = ready["sets"]["ntm-xa-2026-2030"]
    assert clients["reader"].post("/c/09154/criteria/new/", {"criteria_set": set_2026.pk, "year": 2026}).status_code == 404
    response = clients["editor"].post("/c/09154/criteria/new/", {"criteria_set": set_2026.pk, "year": 2026})
    assessment = Assessment.objects.get(commune=ready["territory"]["a"])
    assert response["Location"] == f"/c/09154/criteria/assessments/{assessment.pk}/"
    response = clients["editor"].post("/c/09154/criteria/new/", {"criteria_set": set_2026.pk, "year": 2026}, follow=True)
    assert "đã có bản đánh giá" in _html(response)


def test_province_pages(assessment, clients, users):
    for url in ["/p/25/criteria/", "/p/25/criteria/targets/", "/p/25/criteria/classification/",
                "/p/25/criteria/certifications/", "/p/25/criteria/report.xlsx", "/p/25/criteria/report.pdf",
                "/p/25/criteria/export.adx", "/p/25/criteria/export.json"]:
        assert clients["reader"].get(url).status_code == 200, url
        assert clients["editor"].get(url).status_code == 404, url
        assert clients["outsider"].get(url).status_code == 404, url
    page = _html(clients["reader"].get("/p/25/criteria/?year=2026"))
    assert "Đã đánh giá, chưa đạt mức nào" in page and "Xã Vĩnh Phú" in page and "Chưa có dữ liệu" in page
    targets_page = _html(clients["reader"].get("/p/25/criteria/targets/"))
    assert "ECO-1" in targets_page and "Chưa có dữ liệu" in targets_page


def test_province_classifies_and_records_through_forms(sets, territory, clients):
    c = territory["c"]
    response = clients["reader"].post("/p/25/criteria/classification/", {
        "commune": c.pk, "scheme": "group-2026-2030", "value": "group3", "source": "Quyết định 5/QĐ-UBND"})
    assert response.status_code == 302
    from langso.criteria.actions import classification_of

    assert classification_of(c, "group-2026-2030", 2026).value == "group3"
    response = clients["reader"].post("/p/25/criteria/certifications/", {
        "unit": c.pk, "level": "standard", "year": 2026, "decision_number": "7/QĐ-UBND", "decided_on": "2026-10-01",
        "issuing_body": "UBND tỉnh Phú Thọ"})
    assert response.status_code == 200 and "Cần bản đánh giá đã duyệt" in _html(response)


def test_criteria_set_reference_pages(sets, clients):
    assert clients["anonymous"].get("/criteria/sets/").status_code == 302
    page = _html(clients["outsider"].get("/criteria/sets/"))
    assert "ntm-xa-2026-2030" in page and "Quyết định 51/2025/QĐ-TTg" in page
    detail = _html(clients["editor"].get("/criteria/sets/ntm-xa-2026-2030/"))
    assert "Xã nhóm 3" in detail and "PAY-ADULT" in detail and "ô chỉ tiêu chưa nhập nội dung" in detail
    assert clients["editor"].get("/criteria/sets/no-such-set/").status_code == 404
