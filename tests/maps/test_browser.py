"""The maps in a real browser: the public tourism map on a phone (points drawn, nothing from the
internet, no household), and the officials' map (clusters, then points after a search).
Headless Debian Chromium via Playwright against a live server.

Skipped when /usr/bin/chromium is missing, unless LANGSO_REQUIRE_BROWSER=1 (CI), then failed.
Never run `playwright install`.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from langso.addressing import actions as addressing
from langso.addressing import clusters

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


def _watch(page, base: str) -> tuple[list[str], list[str]]:
    errors: list[str] = []
    outside: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: None if r.url.startswith(base) or r.url.startswith("data:") else outside.append(r.url))
    return errors, outside


def test_public_tourism_map_on_a_phone(browser, live_server, homes, places) -> None:
    a = homes["located"][0].commune
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, locale="vi-VN")
    page = context.new_page()
    errors, outside = _watch(page, live_server.url)
    layer_requests: list[str] = []
    page.on("request", lambda r: layer_requests.append(r.url) if ".geojson" in r.url else None)
    page.goto(f"{live_server.url}/maps/tourism/?commune={a.code}")
    page.wait_for_load_state("networkidle")
    assert page.locator("#map canvas").count() >= 1  # vectors are drawn on a canvas (preferCanvas)
    assert "Homestay Vườn Nhãn" in page.locator(".placelist").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.click(".placelink")
    page.wait_for_selector(".leaflet-popup-content")
    assert "Homestay Vườn Nhãn" in page.locator(".leaflet-popup-content").inner_text()
    assert errors == [] and outside == []
    assert layer_requests and all("/maps/public/" in url for url in layer_requests)


def test_officials_map_clusters_then_points_after_a_search(browser, live_server, homes, users, client) -> None:
    a = homes["located"][0].commune
    addressing.assign_codes(None, a)
    code = homes["located"][0].address_code.display
    client.force_login(users["editor"])
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    errors, outside = _watch(page, live_server.url)
    page.goto(f"{live_server.url}/c/{a.code}/map/")
    page.wait_for_load_state("networkidle")
    assert page.locator(".cluster").count() >= 1
    page.fill("#map-search-q", code.lower())
    page.press("#map-search-q", "Enter")
    page.locator("#map-search-results button").first.click()
    page.wait_for_selector(".leaflet-popup-content")
    assert code in page.locator(".leaflet-popup-content").inner_text()
    # zoomed in: the layer is fetched again (after a 150 ms pause) and comes back as points
    page.wait_for_function("document.querySelectorAll('.cluster').length === 0", timeout=10_000)
    assert errors == [] and outside == []
    context.close()
    # Checked once the browser is gone: the test thread must not use the in-memory SQLite connection
    # while the live server's threads answer the map's requests (a loaded machine made that race fail).
    assert clusters.ensure_fresh([a]) == 0  # the page rebuilt them
