"""Pages: the access walk over every documents URL, the officer's flow, the public verification page
and the resident's procedure through HTTP."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from langso.documents import actions
from langso.documents.models import Document, DocumentType, RequestStatus, ResidenceRequest, Status

from .conftest import PIN

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(users, territory, installed_pki):
    editor = users["editor"]
    doc = actions.create_draft(editor, territory["a"], doc_type=DocumentType.NOTICE, subject="Về lịch tiếp dân",
                               body="Ủy ban nhân dân xã thông báo lịch tiếp dân.", signer_name="Nguyễn Văn An")
    return actions.issue_document(editor, actions.sign_document(editor, doc, PIN))


def login(client, users, who):
    if who != "anonymous":
        client.force_login(users[who])
    return client


OFFICER_READ = ["documents:list", "documents:requests"]
OFFICER_WRITE_GET = ["documents:new"]


@pytest.mark.parametrize("who,expected", [("anonymous", 302), ("outsider", 404), ("reader", 200), ("editor", 200)])
def test_register_pages_access(client, users, territory, issued, who, expected):
    login(client, users, who)
    code = territory["a"].code
    for name in OFFICER_READ:
        assert client.get(reverse(name, args=[code])).status_code == expected, name
    for name in ("documents:detail", "documents:pdf"):
        assert client.get(reverse(name, args=[code, issued.pk])).status_code == expected, name


@pytest.mark.parametrize("who,expected", [("anonymous", 302), ("outsider", 404), ("reader", 404), ("editor", 200)])
def test_write_pages_access(client, users, territory, who, expected):
    login(client, users, who)
    assert client.get(reverse("documents:new", args=[territory["a"].code])).status_code == expected


@pytest.mark.parametrize("who", ["outsider", "reader"])
def test_write_posts_refused_and_nothing_changes(client, users, territory, installed_pki, who):
    doc = actions.create_draft(users["editor"], territory["a"], doc_type=DocumentType.DECISION, subject="S", body="B",
                               signer_name="N")
    login(client, users, who)
    code = territory["a"].code
    for name in ("documents:sign", "documents:issue", "documents:replace"):
        response = client.post(reverse(name, args=[code, doc.pk]), {"pin": PIN})
        assert response.status_code == 404, name
    doc.refresh_from_db()
    assert doc.status == Status.DRAFT and doc.number is None


def test_outsider_cannot_reach_a_document_through_own_commune(client, users, territory, issued):
    login(client, users, "outsider")
    response = client.get(reverse("documents:detail", args=[territory["b"].code, issued.pk]))
    assert response.status_code == 404


def test_officer_drafts_signs_and_issues(client, users, territory, installed_pki):
    login(client, users, "editor")
    code = territory["a"].code
    response = client.post(reverse("documents:new", args=[code]), {
        "doc_type": "decision", "subject": "Về việc công nhận thôn thông minh", "body": "Điều 1. Công nhận.",
        "recipients": "Lưu: VT.", "authority": "TM. ỦY BAN NHÂN DÂN", "signer_title": "CHỦ TỊCH",
        "signer_name": "Nguyễn Văn An"})
    doc = Document.objects.get()
    assert response.status_code == 302 and response.url == reverse("documents:detail", args=[code, doc.pk])
    preview = client.get(reverse("documents:pdf", args=[code, doc.pk]))
    assert preview["Content-Type"] == "application/pdf" and preview.content.startswith(b"%PDF-")
    bad = client.post(reverse("documents:sign", args=[code, doc.pk]), {"pin": "000000"}, follow=True)
    assert "PIN" in bad.content.decode()
    client.post(reverse("documents:sign", args=[code, doc.pk]), {"pin": PIN})
    doc.refresh_from_db()
    assert doc.status == Status.SIGNED and doc.number_and_symbol == "01/QĐ-UBND"
    client.post(reverse("documents:issue", args=[code, doc.pk]))
    doc.refresh_from_db()
    assert doc.status == Status.ISSUED
    page = client.get(reverse("documents:list", args=[code])).content.decode()
    assert "01/QĐ-UBND" in page
    # A signed document has no edit form any more.
    assert client.get(reverse("documents:edit", args=[code, doc.pk])).status_code == 302


def test_public_verify_page_reports_valid_and_registered(client, issued):
    page = client.get(reverse("documents:verify"))
    assert page.status_code == 200
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = bytes(issued.signed_file.content)
    response = client.post(reverse("documents:verify"), {"file": SimpleUploadedFile("d.pdf", data)})
    html = response.content.decode()
    assert "Hợp lệ" in html and "UBND Xã Vĩnh Phú (TEST)" in html and "PAdES B-LT" in html
    assert "Trùng khớp từng byte" in html and issued.number_and_symbol in html
    assert "+07:00" in html


def test_public_verify_page_reports_altered(client, issued):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = bytearray(issued.signed_file.content)
    data[data.index(b"/Title") + 8] ^= 1
    html = client.post(reverse("documents:verify"), {"file": SimpleUploadedFile("d.pdf", bytes(data))}).content.decode()
    assert "KHÔNG hợp lệ: văn bản đã bị thay đổi sau khi ký." in html
    assert "Trùng khớp từng byte" not in html


def test_record_page_from_qr(client, issued):
    url = reverse("documents:record", args=[issued.verification_code])
    html = client.get(url).content.decode()
    assert issued.number_and_symbol in html and "Về lịch tiếp dân" in html and issued.signed_file.sha256 in html
    pdf = client.get(reverse("documents:record-pdf", args=[issued.verification_code]))
    assert pdf.content == bytes(issued.signed_file.content)
    assert client.get(reverse("documents:record", args=["NOPENOPENOPENOPE"])).status_code == 404


def test_record_of_a_draft_is_not_public(client, users, territory):
    doc = actions.create_draft(users["editor"], territory["a"], doc_type=DocumentType.NOTICE, subject="S", body="B",
                               signer_name="N")
    assert client.get(reverse("documents:record", args=[doc.verification_code])).status_code == 404


def test_printed_qr_points_to_the_record(issued):
    assert actions.verification_url(issued) == "http://testserver" + reverse("documents:record",
                                                                              args=[issued.verification_code])


def test_resident_procedure_over_http(client, users, territory, installed_pki, resident_a):
    code = territory["a"].code
    assert code in client.get(reverse("documents:services")).content.decode()
    response = client.post(reverse("documents:residence-form", args=[code]), {
        "full_name": "Nguyễn Thị Mai", "date_of_birth": "14/03/1985", "cccd": resident_a.cccd,
        "address": "Thôn Ngũ Kiên", "purpose": "Bổ sung hồ sơ vay vốn"})
    assert response.status_code == 302
    reference = re.search(r"/services/requests/([A-Z0-9]+)/", response.url).group(1)
    status_page = client.get(response.url).content.decode()
    assert "Đã tiếp nhận" in status_page and reference in status_page
    assert client.get(reverse("documents:request-pdf", args=[reference])).status_code == 404
    tracked = client.get(reverse("documents:track"), {"code": reference.lower()})
    assert tracked.status_code == 302

    officer = client.__class__()
    officer.force_login(users["editor"])
    req = ResidenceRequest.objects.get(reference_code=reference)
    officer.post(reverse("documents:request-review", args=[code, req.pk]))
    assert "Đang xem xét" in client.get(response.url).content.decode()
    detail = officer.get(reverse("documents:request", args=[code, req.pk])).content.decode()
    assert "khớp / match" in detail
    officer.post(reverse("documents:request-approve", args=[code, req.pk]),
                 {"pin": PIN, "signer_name": "Nguyễn Văn An", "signer_title": "CHỦ TỊCH"})
    req.refresh_from_db()
    assert req.status == RequestStatus.ISSUED
    done = client.get(response.url).content.decode()
    assert "Đã ký, trả kết quả" in done and "01/XN-UBND" in done
    pdf = client.get(reverse("documents:request-pdf", args=[reference]))
    assert pdf.status_code == 200 and pdf.content == bytes(req.document.signed_file.content)
    # The public record of a personal certificate hides its content.
    record = client.get(reverse("documents:record", args=[req.document.verification_code])).content.decode()
    assert "Nguyễn Thị Mai" not in record and resident_a.cccd not in record
    assert client.get(reverse("documents:record-pdf", args=[req.document.verification_code])).status_code == 404


def test_residence_form_shows_rule_errors(client, territory, installed_pki, resident_a):
    response = client.post(reverse("documents:residence-form", args=[territory["a"].code]), {
        "full_name": "Nguyễn Thị Mai", "date_of_birth": "1985-03-14", "cccd": "123",
        "address": "Thôn Ngũ Kiên", "purpose": "Vay vốn"})
    assert response.status_code == 200 and "12 chữ số" in response.content.decode()
    assert not ResidenceRequest.objects.exists()


def test_residence_form_only_for_communes_that_sign(client, territory, installed_pki):
    assert client.get(reverse("documents:residence-form", args=[territory["b"].code])).status_code == 404


def test_demo_ca_certificate_and_crl_are_public(client, installed_pki):
    pem = client.get(reverse("documents:demo-root"))
    assert pem.status_code == 200 and b"BEGIN CERTIFICATE" in pem.content
    crl = client.get(reverse("documents:demo-crl"))
    assert crl.status_code == 200 and crl["Content-Type"] == "application/pkix-crl"
