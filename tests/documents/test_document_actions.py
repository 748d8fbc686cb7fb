"""Register, numbering, signing, issuing, replacing; the residence procedure; metrics."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404

from langso.audit.models import AuditEntry
from langso.documents import actions, trust, verification
from langso.documents.metrics import METRICS
from langso.documents.models import Document, DocumentType, RequestStatus, SignatureKind, Status
from langso.lib.errors import RuleViolation
from langso.lib.metrics import MetricContext

from .conftest import PIN, make_cccd

pytestmark = pytest.mark.django_db


def draft(actor, commune, **overrides) -> Document:
    values = dict(doc_type=DocumentType.DECISION, subject="Về việc thành lập Tổ công nghệ số cộng đồng",
                  body="Điều 1. Thành lập Tổ.\nĐiều 2. Hiệu lực từ ngày ký.", signer_name="Nguyễn Văn An",
                  recipients="Như Điều 2;\nLưu: VT.")
    values.update(overrides)
    return actions.create_draft(actor, commune, **values)


def test_draft_is_nfc_and_unnumbered(users, territory):
    doc = draft(users["editor"], territory["a"], subject="Về việc cấp giấy xác nhận".encode().decode(),
                signer_name="Nguye\u0302\u0303n Va\u0306n An")  # NFD input
    assert doc.status == Status.DRAFT and doc.number is None and doc.number_and_symbol == ""
    assert doc.signer_name == "Nguyễn Văn An"
    assert len(doc.verification_code) == 16
    assert AuditEntry.objects.filter(action="document.create", target_id=str(doc.pk)).exists()


def test_outsider_and_reader_cannot_draft(users, territory):
    for who in ("outsider", "reader"):
        with pytest.raises(Http404):
            draft(users[who], territory["a"])


def test_empty_subject_is_a_rule_violation(users, territory):
    with pytest.raises(RuleViolation) as caught:
        draft(users["editor"], territory["a"], subject="   ")
    assert caught.value.field == "subject" and caught.value.vi


def test_sign_numbers_per_commune_and_year(users, territory, installed_pki):
    editor = users["editor"]
    first = actions.sign_document(editor, draft(editor, territory["a"]), PIN)
    second = actions.sign_document(editor, draft(editor, territory["a"], doc_type=DocumentType.NOTICE), PIN)
    assert (first.number, first.number_and_symbol) == (1, "01/QĐ-UBND")
    assert second.number_and_symbol == "02/TB-UBND"
    assert first.status == Status.SIGNED and first.signature_kind == SignatureKind.DIGITAL
    signed = first.signed_file
    assert signed.pades_level == "B-LT" and bytes(signed.content).startswith(b"%PDF-")
    report = verification.verify_pdf(bytes(signed.content), trust.validation_context)
    assert report.verdict == verification.VALID, report
    assert report.sha256 == signed.sha256


def test_wrong_pin_uses_no_number(users, territory, installed_pki):
    editor = users["editor"]
    doc = draft(editor, territory["a"])
    with pytest.raises(RuleViolation) as caught:
        actions.sign_document(editor, doc, "999999")
    assert caught.value.rule == "document.sign"
    doc.refresh_from_db()
    assert doc.status == Status.DRAFT and doc.number is None
    assert actions.sign_document(editor, doc, PIN).number == 1


def test_no_credential_is_a_rule_violation(users, territory):
    doc = draft(users["editor"], territory["a"])
    with pytest.raises(RuleViolation) as caught:
        actions.sign_document(users["editor"], doc, PIN)
    assert caught.value.rule == "credential.missing"


def test_signed_document_is_never_edited_only_replaced(users, territory, installed_pki):
    editor = users["editor"]
    old = actions.issue_document(editor, actions.sign_document(editor, draft(editor, territory["a"]), PIN))
    with pytest.raises(RuleViolation) as caught:
        actions.update_draft(editor, old, subject="Sửa lén")
    assert caught.value.rule == "document.not_draft"
    with pytest.raises(RuleViolation):
        actions.sign_document(editor, old, PIN)
    new = actions.start_replacement(editor, old)
    assert new.status == Status.DRAFT and new.supersedes == old
    with pytest.raises(RuleViolation):
        actions.start_replacement(editor, old)
    actions.update_draft(editor, new, body="Điều 1. Nội dung đã đính chính.")
    new = actions.issue_document(editor, actions.sign_document(editor, new, PIN))
    old.refresh_from_db()
    assert old.status == Status.SUPERSEDED and new.status == Status.ISSUED
    assert old.signed_file.sha256 != new.signed_file.sha256


def test_issue_requires_signature(users, territory):
    with pytest.raises(RuleViolation):
        actions.issue_document(users["editor"], draft(users["editor"], territory["a"]))


def test_paper_document_takes_a_number_but_is_not_digital(users, territory):
    doc = actions.register_paper_document(users["editor"], territory["a"], doc_type=DocumentType.REPORT,
                                          subject="Báo cáo giấy", signer_name="Nguyễn Văn An",
                                          issued_on=dt.date(2026, 3, 2))
    assert doc.number_and_symbol == "01/BC-UBND" and doc.signature_kind == SignatureKind.PAPER


def test_metrics_count_issued_and_signed(users, territory, installed_pki):
    editor = users["editor"]
    today = dt.date.today()
    actions.issue_document(editor, actions.sign_document(editor, draft(editor, territory["a"]), PIN))
    actions.sign_document(editor, draft(editor, territory["a"]), PIN)  # signed, not issued: not counted
    actions.register_paper_document(editor, territory["a"], doc_type=DocumentType.NOTICE, subject="Giấy",
                                    signer_name="Nguyễn Văn An", issued_on=today)
    draft(editor, territory["a"])
    context = MetricContext(as_of=today)
    counts = {m.code: m.model.objects.filter(m.condition(context), commune=territory["a"]).count() for m in METRICS}
    assert counts == {"documents.issued": 2, "documents.issued_signed": 1}


def test_demo_authority_is_made_once(territory, settings):
    settings.LANGSO_PUBLIC_URL = "http://testserver"
    root, tsa = actions.ensure_demo_authority()
    again, _ = actions.ensure_demo_authority()
    assert root.pk == again.pk and root.is_demo and "DEMO" in root.name and tsa.is_demo
    credential = actions.issue_demo_credential(territory["a"], "246810")
    assert credential.is_demo and "DEMO" in credential.label and credential.active
    assert b"PRIVATE KEY" not in bytes(credential.wrapped_key)
    replacement = actions.issue_demo_credential(territory["a"], "246810")
    credential.refresh_from_db()
    assert not credential.active and replacement.active
    with pytest.raises(RuleViolation):
        actions.issue_demo_credential(territory["a"], "12")


def test_install_pkcs12_checks_the_pin(users, territory, pkcs12_a):
    with pytest.raises(RuleViolation) as caught:
        actions.install_pkcs12(users["editor"], territory["a"], pkcs12_a, "wrong-pin")
    assert caught.value.rule == "credential.open"
    credential = actions.install_pkcs12(users["editor"], territory["a"], pkcs12_a, PIN)
    assert not credential.is_demo and credential.active
    with pytest.raises(Http404):
        actions.install_pkcs12(users["outsider"], territory["a"], pkcs12_a, PIN)


# --- the residence procedure -------------------------------------------------------------------------

def submit(territory, resident, **overrides):
    values = dict(full_name="nguyễn thị mai", date_of_birth=resident.date_of_birth, cccd=resident.cccd,
                  address="Thôn Ngũ Kiên", purpose="Bổ sung hồ sơ vay vốn")
    values.update(overrides)
    return actions.submit_residence_request(territory["a"], **values)


def test_residence_request_end_to_end(users, territory, installed_pki, resident_a):
    request = submit(territory, resident_a)
    assert request.status == RequestStatus.SUBMITTED and len(request.reference_code) == 12
    request = actions.start_review(users["editor"], request)
    assert request.status == RequestStatus.IN_REVIEW
    assert list(actions.matching_residents(request)) == [resident_a]
    request = actions.approve_residence_request(users["editor"], request, PIN, signer_name="Nguyễn Văn An")
    assert request.status == RequestStatus.ISSUED and request.resident == resident_a
    document = request.document
    assert document.status == Status.ISSUED and document.doc_type == DocumentType.CERTIFICATE
    assert document.number_and_symbol == "01/XN-UBND"
    report = verification.verify_pdf(bytes(document.signed_file.content), trust.validation_context)
    assert report.verdict == verification.VALID


def test_residence_request_without_register_match_cannot_be_approved(users, territory, installed_pki, resident_a):
    request = actions.start_review(users["editor"], submit(territory, resident_a, full_name="Người Khác"))
    with pytest.raises(RuleViolation) as caught:
        actions.approve_residence_request(users["editor"], request, PIN, signer_name="Nguyễn Văn An")
    assert caught.value.rule == "request.no_match"
    assert not Document.objects.exists()


def test_residence_request_validation_and_refusal(users, territory, resident_a):
    with pytest.raises(RuleViolation) as caught:
        submit(territory, resident_a, cccd=make_cccd("025", "F", 1990, 1))  # CCCD encodes 1990, born 1985
    assert caught.value.rule == "cccd.birth_year"
    with pytest.raises(RuleViolation):
        submit(territory, resident_a, purpose=" ")
    request = submit(territory, resident_a)
    with pytest.raises(Http404):
        actions.refuse_residence_request(users["outsider"], request, "Không")
    with pytest.raises(RuleViolation):
        actions.refuse_residence_request(users["editor"], request, "  ")
    refused = actions.refuse_residence_request(users["editor"], request, "Đã chuyển khẩu")
    assert refused.status == RequestStatus.REJECTED
    with pytest.raises(RuleViolation):
        actions.start_review(users["editor"], refused) and actions.approve_residence_request(
            users["editor"], refused, PIN, signer_name="A")


def test_engine_counts_document_metrics_in_one_query(users, territory, installed_pki):
    from langso.indicators.engine import count_metrics

    editor = users["editor"]
    actions.issue_document(editor, actions.sign_document(editor, draft(editor, territory["a"]), PIN))
    actions.register_paper_document(editor, territory["a"], doc_type=DocumentType.NOTICE, subject="Giấy",
                                    signer_name="Nguyễn Văn An", issued_on=dt.date.today())
    counts = count_metrics(["documents.issued", "documents.issued_signed"], dt.date.today())
    assert counts["documents.issued"][territory["a"].pk] == 2
    assert counts["documents.issued_signed"][territory["a"].pk] == 1
