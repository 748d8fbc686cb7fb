"""The cashier and the public page in headless Debian Chromium (Playwright) against a live server:
htmx swaps in a dynamic code that decodes to the amount typed, and no request leaves the server.

Skipped when /usr/bin/chromium is missing, unless LANGSO_REQUIRE_BROWSER=1 (CI), then failed.
Never run `playwright install`.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from langso.payments import actions
from langso.payments.vietqr import decode

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
zxingcpp = pytest.importorskip("zxingcpp")
Image = pytest.importorskip("PIL.Image")


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


def qr_in(element) -> list[str]:
    image = Image.open(io.BytesIO(element.screenshot()))
    return [r.text for r in zxingcpp.read_barcodes(image)]


def test_cashier_swaps_in_a_decodable_dynamic_code(chromium, live_server, business, users):
    profile = actions.set_payment_profile(None, business, bank_bin="970405", account_number="1500205123456",
                                          account_holder="Nguyễn Văn Đức")
    context = chromium.new_context(locale="vi-VN", viewport={"width": 390, "height": 900})
    page = context.new_page()
    outside: list[str] = []
    page.on("request", lambda r: None if r.url.startswith((live_server.url, "data:")) else outside.append(r.url))
    page.goto(live_server.url + "/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "pw-editor-123")
    page.press("#id_password", "Enter")
    page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/c/{business.commune.code}/businesses/{business.pk}/qr/cashier/")
    page.fill("#amount", "1.250.000")
    page.fill("#note", "Tiền phân bón")
    with page.expect_response(lambda r: "amount=" in r.url and r.request.headers.get("hx-request") == "true"):
        page.click("form.form button[type=submit]")
    page.wait_for_selector("#cashier-result svg")
    assert "1.250.000" in page.inner_text("#cashier-result")
    assert "amount=1.250.000" in page.url  # hx-push-url: the result can be bookmarked or reloaded
    texts = qr_in(page.locator("#cashier-result svg"))
    qr = decode(texts[0])
    assert (qr.amount, qr.purpose, qr.account) == (1_250_000, "Tien phan bon", "1500205123456")

    page.fill("#amount", "12,5")
    page.click("form.form button[type=submit]")
    page.wait_for_selector("#cashier-result [data-field=amount]")

    public = context.new_page()
    public.goto(f"{live_server.url}/b/{profile.public_id}/")
    assert qr_in(public.locator(".qr-frame svg")) == [profile.payload]
    assert "Nguyễn Văn Đức" not in public.content()
    assert outside == []
    context.close()
