"""The pages in a real browser: headless Debian Chromium driven by Playwright against a live server.

Checks what only a browser shows: the map draws one SVG path per commune, the chart and legend
appear, column titles sort in place, the htmx search updates the list, no request leaves the
server (the platform must work with no internet).

Skipped when /usr/bin/chromium is missing, unless LANGSO_REQUIRE_BROWSER=1 (CI), then failed.
Never run `playwright install`: Debian's chromium is used (apt-get install chromium).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from .conftest import make_commune, make_household

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def square(lon: float, lat: float, size: float = 0.05) -> str:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


@pytest.fixture
def browser(monkeypatch):
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: apt-get install -y chromium (never `playwright install`)"
        if os.environ.get("LANGSO_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    # Playwright's sync API runs an event loop in this thread; the ORM calls of the test's
    # own fixtures happen before, but Django refuses any ORM call while a loop runs.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def scene(territory, users, indicators):
    a, c = territory["a"], territory["c"]
    a.boundary, a.centroid_lat, a.centroid_lon = square(105.50, 21.30), 21.325, 105.525
    c.boundary, c.centroid_lat, c.centroid_lon = square(105.56, 21.30), 21.325, 105.585
    a.save()
    c.save()
    household = make_household(
        a, "Nguyễn Văn A", village=territory["va"], head_cccd="025080000123",
        members=(("Trần Thị Thu Hương", "spouse"),), latitude=21.32, longitude=105.52,
        address="Số 5, thôn Ngũ Kiên",
    )
    make_household(a, "Lê Thị Bình", village=territory["va"])
    # A commune with no household in its register: no indicator value ("no data"), no boundary.
    # By name it would come first (An Bình < Thổ Tang < Vĩnh Phú).
    make_commune(territory["p25"], "09160", "An Bình")
    return {"household": household}


def open_page(browser, live_server):
    context = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    outside: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: None if r.url.startswith((live_server.url, "data:")) else outside.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    return page, outside, errors


def log_in(page, live_server, username: str, password: str) -> None:
    page.goto(live_server.url + "/login/")
    assert page.locator("h2").first.inner_text() == "Đăng nhập"
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click(".login__card button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_dashboard_map_chart_and_sorting(browser, live_server, scene):
    page, outside, errors = open_page(browser, live_server)
    log_in(page, live_server, "reader", "pw-reader-123")
    assert page.url == live_server.url + "/p/25/"
    page.wait_for_selector("#map[data-loaded='3']", timeout=15_000)  # 3 features, An Bình's without geometry
    # One SVG path per commune polygon, no base-map tiles.
    assert page.locator(".leaflet-overlay-pane path").count() == 2
    assert page.locator(".leaflet-tile-pane img").count() == 0
    assert "Tỷ lệ hộ có mã địa chỉ số" in page.locator("#map-legend").inner_text()
    assert page.locator("#chart").evaluate("c => c.width > 0 && c.height > 0")
    assert "1/2 xã, phường đạt mục tiêu ≥ 80% (2026)." in page.locator("#chart-note").inner_text()
    # Tooltip with the name and the Vietnamese-formatted value.
    page.locator(".leaflet-overlay-pane path").first.hover()
    tooltip = page.locator(".leaflet-tooltip").inner_text()
    assert "Xã" in tooltip and ("85,3%" in tooltip or "40,0%" in tooltip)
    # Another indicator: legend and chart follow, the URL remembers it.
    page.select_option("#indicator-select", "cnt")
    assert "Số hộ kinh doanh" in page.locator("#map-legend").inner_text()
    assert "indicator=cnt" in page.url
    # How many communes the province values add up, shown with them.
    assert "2/3 xã, phường có dữ liệu" in page.locator("#reporting").inner_text()
    # Default order: the communes with data by name (Thổ Tang, Vĩnh Phú), then An Bình (no data),
    # which is marked as such.
    codes = lambda: page.locator("#commune-table tbody tr").evaluate_all("rows => rows.map(r => r.dataset.code)")  # noqa: E731
    assert codes() == ["09157", "09154", "09160"]
    assert page.locator("#commune-table tr[data-code='09160'] .badge").inner_text() == "Chưa có dữ liệu"
    assert page.locator("#commune-table tbody .badge").count() == 1
    # Sorting in place by clicking column titles; communes with no value stay last.
    page.click("#commune-table thead a[data-sort='pct']")
    assert codes() == ["09154", "09157", "09160"]  # highest first
    assert page.locator("#commune-table thead th[aria-sort='descending'] a[data-sort='pct']").count() == 1
    page.click("#commune-table thead a[data-sort='pct']")
    assert codes() == ["09157", "09154", "09160"]
    assert "sort=pct" in page.url and "dir=asc" in page.url
    # The commune column sorts by name alone.
    page.click("#commune-table thead a[data-sort='name']")
    assert codes() == ["09160", "09157", "09154"]
    # Clicking a commune on the map opens its page.
    page.locator(".leaflet-overlay-pane path").nth(0).click()
    page.wait_for_load_state("networkidle")
    assert "/c/0915" in page.url
    assert outside == []
    assert errors == []


def test_household_search_and_page(browser, live_server, scene):
    page, outside, errors = open_page(browser, live_server)
    log_in(page, live_server, "reader", "pw-reader-123")
    page.goto(live_server.url + "/c/09154/households/")
    assert page.locator("table.table--households tbody tr").count() == 2
    # Live search through htmx, without accents.
    page.fill("#q", "nguyen van a")
    page.wait_for_function("document.querySelectorAll('table.table--households tbody tr').length === 1")
    assert "q=nguyen+van+a" in page.url or "q=nguyen%20van%20a" in page.url
    page.click("table.table--households tbody a")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/c/09154/households/{scene['household'].pk}/")
    assert page.locator("h1").inner_text() == "Nguyễn Văn A"
    members = page.locator("table.table--members").inner_text()
    assert "Trần Thị Thu Hương" in members and "05/03/1980" in members
    assert "•••••••••123" in members and "025080000123" not in members
    # The household's position on the commune outline: outline path + marker path.
    page.wait_for_selector("#household-map .leaflet-overlay-pane path")
    assert page.locator("#household-map .leaflet-overlay-pane path").count() == 2
    assert outside == []
    assert errors == []


def test_editor_sees_full_numbers_and_switches_language(browser, live_server, scene):
    page, outside, errors = open_page(browser, live_server)
    log_in(page, live_server, "editor", "pw-editor-123")
    assert page.url == live_server.url + "/c/09154/"
    page.goto(live_server.url + f"/c/09154/households/{scene['household'].pk}/")
    assert "025080000123" in page.locator("table.table--members").inner_text()
    page.click(".langswitch button[value=en]")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "5 Mar 1980" in page.locator("table.table--members").inner_text()
    # Log out through the user menu (a POST form).
    page.click(".usermenu summary")
    page.click(".usermenu button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "/login/" in page.url
    assert outside == []
    assert errors == []
