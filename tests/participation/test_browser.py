"""The survey answer page in a real browser at 360 px, JavaScript off (a cheap phone), and the
officers' result chart. Headless Debian Chromium via Playwright against a live server.

Skipped when /usr/bin/chromium is missing, unless LANGSO_REQUIRE_BROWSER=1 (CI), then failed.
Never run `playwright install`.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from django.utils import timezone

from langso.participation import actions
from langso.participation.models import Response, SurveyCode

from .conftest import answer_all, close, codes_of

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser(monkeypatch):
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: apt-get install -y chromium (never `playwright install`)"
        if os.environ.get("LANGSO_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


def test_answer_page_on_a_small_phone_without_javascript(browser, live_server, run):
    today = timezone.localdate()
    type(run).objects.filter(pk=run.pk).update(opens_on=today - dt.timedelta(days=1),
                                               closes_on=today + dt.timedelta(days=3))
    code = codes_of(run)[0]
    context = browser.new_context(viewport={"width": 360, "height": 640}, java_script_enabled=False, locale="vi-VN")
    page = context.new_page()
    outside: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(live_server.url) else outside.append(r.url))
    page.goto(f"{live_server.url}/s/{run.pk}/")
    assert page.locator("main").bounding_box()["width"] <= 360
    wide = page.locator("body *").evaluate_all(
        "els => els.filter(e => e.getBoundingClientRect().right > 361).map(e => e.tagName)")
    assert wide == []
    page.fill("#code", actions.format_code(code).lower())
    page.check("input[name=roads][value='4']")
    page.check("input[name=overall][value='dk']")
    page.fill("#q-improve", "Thêm đèn đường")
    page.click("button.go")
    assert "/cam-on/" in page.url
    assert "Cảm ơn" in page.locator("h1").inner_text()
    assert Response.objects.count() == 1 and SurveyCode.objects.get(code=code).used
    assert outside == []


def test_result_chart_draws(browser, live_server, run, users, client):
    answer_all(run, 6, value="4")
    close(run)
    client.force_login(users["editor"])
    cookie = client.cookies["sessionid"]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{live_server.url}/c/09154/surveys/{run.pk}/")
    page.wait_for_function("() => window.Chart && Chart.getChart(document.querySelector('canvas[data-chart]'))")
    bars = page.evaluate("Chart.getChart(document.querySelector('canvas[data-chart]')).data.datasets[0].data")
    assert bars == [100.0] * 11
    assert errors == []
