"""Failed look-ups of a document's verification code or a request's reference code are
rate-limited per client address; uploads for verification are limited too (checking a signature
costs CPU). Real codes are never slowed down."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from langso.documents import actions
from langso.documents.models import DocumentType
from public_limits import assert_429, check_misses_are_limited

from .conftest import PIN

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(users, territory, installed_pki):
    editor = users["editor"]
    doc = actions.create_draft(editor, territory["a"], doc_type=DocumentType.NOTICE, subject="Về lịch tiếp dân",
                               body="Ủy ban nhân dân xã thông báo lịch tiếp dân.", signer_name="Nguyễn Văn An")
    return actions.issue_document(editor, actions.sign_document(editor, doc, PIN))


def test_code_misses_are_limited(issued, territory, resident_a, settings):
    request = actions.submit_residence_request(
        territory["a"], full_name="Nguyễn Thị Mai", date_of_birth=resident_a.date_of_birth, cccd=resident_a.cccd,
        address="Thôn Ngũ Kiên", purpose="Bổ sung hồ sơ vay vốn")
    check_misses_are_limited(
        settings,
        good=[reverse("documents:record", args=[issued.verification_code]),
              reverse("documents:record-pdf", args=[issued.verification_code]),
              reverse("documents:request-status", args=[request.reference_code])],
        bad=[reverse("documents:record", args=["ABCDEFGHJKLMNPQR"]),
             reverse("documents:record-pdf", args=["ABCDEFGHJKLMNPQR"]),
             reverse("documents:request-status", args=["ABCDEFGHJKLM"]),
             reverse("documents:request-pdf", args=[request.reference_code]),  # not issued yet
             reverse("documents:track") + "?code=ABCD-EFGH-JKLM"],
    )


def test_uploads_for_verification_are_limited(issued, settings):
    settings.LANGSO_RATE_LIMITS = {"verify-upload": (2, 600)}
    client = Client(REMOTE_ADDR="192.0.2.20")
    data = bytes(issued.signed_file.content)
    statuses = [client.post(reverse("documents:verify"), {"file": SimpleUploadedFile("a.pdf", data)}).status_code
                for _ in range(2)]
    assert statuses == [200, 200]
    assert_429(client.post(reverse("documents:verify"), {"file": SimpleUploadedFile("a.pdf", data)}))
    assert_429(client.post(reverse("documents:record", args=[issued.verification_code]),
                           {"file": SimpleUploadedFile("a.pdf", data)}))
    assert client.get(reverse("documents:verify")).status_code == 200  # the form itself is never limited
    assert client.get(reverse("documents:record", args=[issued.verification_code])).status_code == 200
