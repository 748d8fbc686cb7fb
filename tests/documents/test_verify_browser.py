"""The public verification pages on a phone, in headless Debian Chromium (Playwright) against a live
server: a verification result (hashes, certificate serials, long names) must not make the page
wider than a 360 px screen.

Skipped when /usr/bin/chromium is missing, unless LANGSO_REQUIRE_BROWSER=1 (CI), then failed.
Never run `playwright install`.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from langso.documents import actions
from langso.documents.models import DocumentType

from .conftest import PIN

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
PHONE = {"width": 360, "height": 740}
NO_OVERFLOW = "document.documentElement.scrollWidth <= window.innerWidth"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def chromium(monkeypatch):
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: apt-get install -y chromium (never `playwright install`)"
        if os.environ.get("LANGSO_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


# Tests ask for ``signed_pdf`` before ``chromium``: signing runs its own event loop, which cannot
# start once Playwright's runs.
@pytest.fixture
def signed_pdf(users, territory, installed_pki, tmp_path):
    """An issued, signed notice of commune A and its PDF on disk."""
    editor = users["editor"]
    doc = actions.create_draft(editor, territory["a"], doc_type=DocumentType.NOTICE, subject="Về lịch tiếp dân",
                               body="Ủy ban nhân dân xã thông báo lịch tiếp dân.", signer_name="Nguyễn Văn An")
    doc = actions.issue_document(editor, actions.sign_document(editor, doc, PIN))
    path = tmp_path / "thong-bao.pdf"
    path.write_bytes(bytes(doc.signed_file.content))
    return doc, path


def open_phone(chromium):
    page = chromium.new_context(locale="vi-VN", viewport=PHONE).new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    return page, errors


def upload(page, path: Path) -> None:
    page.set_input_files("form[enctype] input[type=file]", str(path))
    page.click("form[enctype] button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_verify_result_fits_a_phone(signed_pdf, live_server, chromium):
    doc, path = signed_pdf
    page, errors = open_phone(chromium)
    page.goto(live_server.url + "/verify/")
    assert page.evaluate(NO_OVERFLOW)
    upload(page, path)
    report = page.locator("main").inner_text()
    assert "Hợp lệ" in report and "UBND Xã Vĩnh Phú (TEST)" in report
    # The long unbroken strings are there, and wrapped.
    assert doc.signed_file.sha256 in report.replace("\n", "")
    assert format(installed_serial(doc), "X") in report.replace("\n", "")
    assert page.evaluate(NO_OVERFLOW), page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert errors == []


def test_verification_record_with_a_result_fits_a_phone(signed_pdf, live_server, chromium):
    doc, path = signed_pdf
    page, errors = open_phone(chromium)
    page.goto(f"{live_server.url}/v/{doc.verification_code}/")
    assert page.evaluate(NO_OVERFLOW), page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    upload(page, path)
    assert "trùng khớp từng byte" in page.locator("main").inner_text()
    assert page.evaluate(NO_OVERFLOW), page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert errors == []


def installed_serial(doc) -> int:
    from cryptography import x509

    from langso.documents.models import SigningCredential

    credential = SigningCredential.objects.get(commune=doc.commune)
    return x509.load_der_x509_certificate(bytes(credential.certificate_der)).serial_number
