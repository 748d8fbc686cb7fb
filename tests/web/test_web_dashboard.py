"""The province dashboard and its GeoJSON endpoint."""

from __future__ import annotations

import gzip
import json
import re

import pytest
from django.urls import reverse

from langso.territory.models import AdministrativeUnit

pytestmark = pytest.mark.django_db

SQUARE = json.dumps(
    {"type": "Polygon", "coordinates": [[[105.5, 21.3], [105.6, 21.3], [105.6, 21.4], [105.5, 21.4], [105.5, 21.3]]]}
)


def row_codes(html: str) -> list[str]:
    return re.findall(r'<tr data-code="(\d+)"', html)


def test_dashboard_lists_communes_with_latest_values(client, users, territory, indicators):
    client.force_login(users["reader"])
    response = client.get(reverse("web:province", args=["25"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert sorted(row_codes(html)) == ["09154", "09157"]
    assert "00004" not in html  # Ba Đình belongs to another province
    # Latest period only (202611, not 202610), Vietnamese number formats.
    assert "85,3%" in html and "10,0%" not in html
    assert "1.234" in html
    assert "Kỳ 11/2026" in html
    assert "tính đến ngày 28/11/2026" in html
    # Province roll-up and the target that applies in 2026 (≥ 80, verified).
    assert "60,5%" in html
    assert "≥ 80%" in html


def test_dashboard_shows_unverified_targets(client, users, territory, indicators):
    from langso.indicators.models import Target

    Target.objects.filter(year=2026).update(verified=False)
    client.force_login(users["reader"])
    html = client.get(reverse("web:province", args=["25"])).content.decode()
    assert "chưa xác minh" in html


def test_dashboard_sorts_on_the_server(client, users, territory, indicators):
    client.force_login(users["reader"])
    url = reverse("web:province", args=["25"])
    # By name: Thổ Tang (tho tang) before Vĩnh Phú (vinh phu), and the reverse.
    assert row_codes(client.get(url, {"sort": "name"}).content.decode()) == ["09157", "09154"]
    assert row_codes(client.get(url, {"sort": "name", "dir": "desc"}).content.decode()) == ["09154", "09157"]
    assert row_codes(client.get(url, {"sort": "pct", "dir": "desc"}).content.decode()) == ["09154", "09157"]
    assert row_codes(client.get(url, {"sort": "pct", "dir": "asc"}).content.decode()) == ["09157", "09154"]
    # C has no value of ``cnt``: last in both directions.
    assert row_codes(client.get(url, {"sort": "cnt", "dir": "asc"}).content.decode()) == ["09154", "09157"]
    assert row_codes(client.get(url, {"sort": "cnt", "dir": "desc"}).content.decode()) == ["09154", "09157"]
    # Unknown keys fall back to the default order (both communes report: by name).
    assert row_codes(client.get(url, {"sort": "nope"}).content.decode()) == ["09157", "09154"]


@pytest.fixture
def silent_commune(territory):
    """Xã An Bình (09160) of province 25: no household in its register, so no indicator value.
    By name it comes first (an binh < tho tang < vinh phu)."""
    from .conftest import make_commune

    return make_commune(territory["p25"], "09160", "An Bình")


def test_dashboard_lists_reporting_communes_first_and_marks_the_others(client, users, territory, indicators,
                                                                          silent_commune):
    client.force_login(users["reader"])
    url = reverse("web:province", args=["25"])
    html = client.get(url).content.decode()
    # Default: the communes with values by name, then the one with no data.
    assert row_codes(html) == ["09157", "09154", "09160"]
    # How many communes the province values add up, next to them.
    assert "<strong>2/3</strong> xã, phường có dữ liệu" in html
    assert html.index("xã, phường có dữ liệu") < html.index('class="kpis"')
    assert "Số liệu toàn tỉnh chỉ cộng các xã, phường này." in html
    # Only the silent commune is marked.
    rows = re.findall(r'<tr data-code="(\d+)"([^>]*)>(.*?)</tr>', html, re.S)
    marked = {code: "Chưa có dữ liệu" in body for code, _attrs, body in rows}
    assert marked == {"09157": False, "09154": False, "09160": True}
    assert [code for code, attrs, _body in rows if "row--nodata" in attrs] == ["09160"]
    # The name column still sorts by name alone; indicator columns put "no data" last.
    assert row_codes(client.get(url, {"sort": "name"}).content.decode()) == ["09160", "09157", "09154"]
    assert row_codes(client.get(url, {"sort": "pct", "dir": "asc"}).content.decode()) == ["09157", "09154", "09160"]
    # The default order is not claimed to be a sort by name.
    assert 'aria-sort' not in html.split("<tbody>")[0].split('id="commune-table"')[1]


def test_dashboard_reporting_count_in_english(client, users, territory, indicators, silent_commune):
    client.force_login(users["reader"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/p/25/"})
    html = client.get(reverse("web:province", args=["25"])).content.decode()
    assert "<strong>2/3</strong> communes reporting" in html
    assert "The province values add up these communes only." in html
    assert html.count(">No data</span>") == 1


def test_dashboard_says_when_every_commune_reports(client, users, territory, indicators):
    client.force_login(users["reader"])
    html = client.get(reverse("web:province", args=["25"])).content.decode()
    assert "<strong>2/2</strong> xã, phường có dữ liệu" in html
    assert "reporting--partial" not in html and "row--nodata" not in html


def test_dashboard_sorting_is_marked_for_the_browser(client, users, territory, indicators):
    client.force_login(users["reader"])
    html = client.get(reverse("web:province", args=["25"]), {"sort": "pct", "dir": "desc"}).content.decode()
    assert "data-sortable" in html
    assert 'data-sort="pct" data-sort-type="number"' in html
    assert 'aria-sort="descending"' in html
    assert 'data-value="85.25"' in html


def test_dashboard_without_values_says_so(client, users, territory):
    client.force_login(users["reader"])
    html = client.get(reverse("web:province", args=["25"])).content.decode()
    assert "Chưa có số liệu chỉ tiêu" in html
    assert "leaflet.js" not in html


def test_dashboard_map_config_and_assets_are_local(client, users, territory, indicators, settings):
    settings.LANGSO_TILE_URL = ""
    client.force_login(users["reader"])
    html = client.get(reverse("web:province", args=["25"]), {"indicator": "cnt"}).content.decode()
    config = json.loads(re.search(r'<script id="map-config" type="application/json">(.*?)</script>', html, re.S).group(1))
    assert config["geojson"] == "/p/25/communes.geojson"
    assert config["selected"] == "cnt"
    assert config["tileUrl"] is None
    assert [i["code"] for i in config["indicators"]] == ["pct", "cnt"]
    assert config["indicators"][0]["target"]["value"] == 80
    assert "/static/vendor/leaflet/leaflet.js" in html
    assert "/static/vendor/chartjs/chart.umd.min.js" in html
    assert "/static/vendor/be-vietnam-pro/400.css" in html
    for attr in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert not attr.startswith(("http:", "https:", "//")), attr


def test_dashboard_passes_a_configured_tile_layer(client, users, territory, indicators, settings):
    settings.LANGSO_TILE_URL = "http://tiles.lan/{z}/{x}/{y}.png"
    settings.LANGSO_TILE_ATTRIBUTION = "© Sở TN&MT"
    client.force_login(users["reader"])
    html = client.get(reverse("web:province", args=["25"])).content.decode()
    config = json.loads(re.search(r'<script id="map-config" type="application/json">(.*?)</script>', html, re.S).group(1))
    assert config["tileUrl"] == "http://tiles.lan/{z}/{x}/{y}.png"
    assert config["tileAttribution"] == "© Sở TN&MT"


def test_geojson_has_polygons_points_and_values(client, users, territory, indicators):
    a = territory["a"]
    a.boundary = SQUARE
    a.boundary_source = "test survey"
    a.save()
    c = territory["c"]
    c.centroid_lat, c.centroid_lon = 21.123456789, 105.987654321
    c.save()
    client.force_login(users["reader"])
    response = client.get(reverse("web:province-geojson", args=["25"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    assert "private" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["type"] == "FeatureCollection"
    assert data["period"] == "202611"
    features = {f["id"]: f for f in data["features"]}
    assert set(features) == {"09154", "09157"}
    assert features["09154"]["geometry"]["type"] == "Polygon"
    assert features["09154"]["properties"] == {
        "code": "09154", "name": "Xã Vĩnh Phú", "url": "/c/09154/", "point": False,
        "v": {"pct": 85.25, "cnt": 1234},
    }
    # No boundary: the centroid, rounded to 5 decimals.
    assert features["09157"]["geometry"] == {"type": "Point", "coordinates": [105.98765, 21.12346]}
    assert features["09157"]["properties"]["point"] is True
    assert features["09157"]["properties"]["v"] == {"pct": 40.0}


def test_geojson_feature_without_boundary_or_centroid_has_null_geometry(client, users, territory):
    client.force_login(users["reader"])
    data = json.loads(client.get(reverse("web:province-geojson", args=["25"])).content)
    assert all(f["geometry"] is None for f in data["features"])
    assert data["period"] is None


def test_geojson_simplifies_detailed_boundaries(client, users, territory):
    import math

    ring = [
        [105.5 + 0.05 * math.cos(2 * math.pi * i / 2000), 21.3 + 0.05 * math.sin(2 * math.pi * i / 2000)]
        for i in range(2000)
    ]
    ring.append(ring[0])
    a = territory["a"]
    a.boundary = json.dumps({"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [ring]}})
    a.save()
    client.force_login(users["reader"])
    data = json.loads(client.get(reverse("web:province-geojson", args=["25"])).content)
    geometry = next(f for f in data["features"] if f["id"] == "09154")["geometry"]
    assert geometry["type"] == "Polygon"
    assert 10 < len(geometry["coordinates"][0]) < 500
    assert all(len(str(x).split(".")[-1]) <= 5 for x, _ in geometry["coordinates"][0])


def test_geojson_follows_boundary_changes(client, users, territory):
    client.force_login(users["reader"])
    url = reverse("web:province-geojson", args=["25"])
    first = json.loads(client.get(url).content)
    AdministrativeUnit.objects.filter(pk=territory["a"].pk).update(boundary=SQUARE)
    second = json.loads(client.get(url).content)
    assert next(f for f in first["features"] if f["id"] == "09154")["geometry"] is None
    assert next(f for f in second["features"] if f["id"] == "09154")["geometry"]["type"] == "Polygon"


def test_geojson_revalidates_with_etag(client, users, territory, indicators):
    client.force_login(users["reader"])
    url = reverse("web:province-geojson", args=["25"])
    first = client.get(url)
    etag = first["ETag"]
    assert etag
    again = client.get(url, headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""


def test_geojson_is_gzipped_for_clients_that_accept_it(client, users, territory, indicators):
    a = territory["a"]
    a.boundary = SQUARE
    a.save()
    client.force_login(users["reader"])
    url = reverse("web:province-geojson", args=["25"])
    plain = client.get(url)
    for _ in range(2):  # compressed once, then served from the cache
        response = client.get(url, headers={"accept-encoding": "gzip, deflate"})
        assert response["Content-Encoding"] == "gzip"
        assert gzip.decompress(response.content) == plain.content
    assert "Accept-Encoding" in response["Vary"]
    assert response["ETag"] == plain["ETag"]


@pytest.mark.parametrize("who", ["editor", "outsider"])
def test_geojson_is_404_outside_the_province(client, users, territory, indicators, who):
    client.force_login(users[who])
    assert client.get(reverse("web:province-geojson", args=["25"])).status_code == 404


def test_geojson_for_superuser(client, territory, superuser):
    client.force_login(superuser)
    data = json.loads(client.get(reverse("web:province-geojson", args=["01"])).content)
    assert [f["id"] for f in data["features"]] == ["00004"]


def test_dashboard_handles_148_communes_in_constant_queries(client, users, territory, indicators):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .conftest import make_commune, make_value

    client.force_login(users["reader"])
    url = reverse("web:province", args=["25"])
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for i in range(146):
        commune = make_commune(territory["p25"], f"{10000 + i}", f"Xã {i}")
        make_value(indicators["pct"], commune, float(i % 100))
    with CaptureQueriesContext(connection) as large:
        response = client.get(url, {"sort": "pct", "dir": "desc"})
    assert len(row_codes(response.content.decode())) == 148
    assert len(large.captured_queries) == len(small.captured_queries)
    # Highest value first, missing values last.
    assert row_codes(response.content.decode())[0] == "10099"
