"""Pure rules: OCOP stars and certificate dates (Decision 148/QĐ-TTg), GTIN check digits and
Digital Link URIs (GS1), platform URLs, and the equal-area computation of polygons."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from shapely.geometry import box

from langso.economy import geo, gs1, rules


@pytest.mark.parametrize("score, stars", [(100, 5), (90, 5), (89, 4), (70, 4), (69, 3), (50, 3), (49, 2), (30, 2),
                                          (29, 1), (0, 1)])
def test_stars_follow_the_decision_148_bands(score, stars):
    assert rules.stars_for(score) == stars


@pytest.mark.parametrize("score", [-1, 101])
def test_score_outside_range_is_refused(score):
    with pytest.raises(ValueError):
        rules.stars_for(score)


def test_six_groups_and_36_month_certificates():
    assert len(rules.ocop()["groups"]) == 6
    assert rules.certificate_expiry(dt.date(2025, 1, 10)) == dt.date(2028, 1, 9)
    assert rules.certificate_expiry(dt.date(2024, 2, 29)) == dt.date(2027, 2, 27)  # 29 Feb → 28 Feb 2027, the day before
    assert rules.expiring_soon(dt.date(2026, 12, 31), dt.date(2026, 11, 29))
    assert not rules.expiring_soon(dt.date(2027, 6, 1), dt.date(2026, 11, 29))
    assert not rules.expiring_soon(dt.date(2026, 11, 28), dt.date(2026, 11, 29))  # already expired


@pytest.mark.parametrize("gtin, normal", [("8938501001016", "08938501001016"), ("96385074", "00000096385074"),
                                          ("036000291452", "00036000291452"), ("0 8938501-001016", "08938501001016")])
def test_valid_gtins_are_padded_to_14(gtin, normal):
    assert gs1.normalise_gtin(gtin) == normal


@pytest.mark.parametrize("gtin, reason", [("8938501001017", "check_digit"), ("8938501001010", "check_digit"),
                                          ("12345", "length"), ("89385010010A6", "length")])
def test_invalid_gtins_say_why(gtin, reason):
    with pytest.raises(ValueError, match=reason):
        gs1.normalise_gtin(gtin)


def test_digital_link_percent_encodes_the_lot():
    assert gs1.digital_link("https://x.vn/", "08938501001016", "L 1/2") == "https://x.vn/01/08938501001016/10/L%201%2F2"


@pytest.mark.parametrize("url, platform, ok", [
    ("https://postmart.vn/gian-hang/a", "postmart", True), ("https://shop.postmart.vn/a", "postmart", True),
    ("https://postmart.vn.evil.com/a", "postmart", False), ("http://shopee.vn/x", "shopee", True),
    ("https://www.tiktok.com/@x", "tiktok", True), ("ftp://voso.vn/x", "voso", False),
    ("https://myfarm.example/", "website", True), ("javascript:alert(1)", "website", False),
    ("https://localhost/", "website", False),
])
def test_store_urls_must_be_on_the_platform(url, platform, ok):
    assert rules.url_matches_platform(url, platform) is ok


def test_area_of_the_whole_ellipsoid_matches_wgs84():
    # WGS84 surface area 510,065,621.724 km² (NIMA TR8350.2); northern hemisphere is half.
    hectares = geo.area_hectares(box(-180, 0, 180, 90))
    assert hectares * 2 / 100 == pytest.approx(510_065_621.724, rel=1e-9)


def test_area_of_a_small_field_against_the_ellipsoidal_zone_formula():
    # A 0.01° × 0.01° cell at 21.3° N: area = a²(1-e²)/2 · Δλ · Δ[q-term], computed independently here.
    a, f = 6378137.0, 1 / 298.257223563
    e2 = f * (2 - f)
    e = math.sqrt(e2)

    def zone(phi: float) -> float:
        s = math.sin(math.radians(phi))
        return s / (1 - e2 * s * s) + math.atanh(e * s) / e

    expected_m2 = a * a * (1 - e2) / 2 * math.radians(0.01) * (zone(21.31) - zone(21.30))
    assert geo.area_hectares(box(105.6, 21.30, 105.61, 21.31)) * 10_000 == pytest.approx(expected_m2, rel=1e-9)
    assert 114 < expected_m2 / 10_000 < 116  # ~1.1 km × 1.04 km


@pytest.mark.parametrize("bad, rule", [
    ("{", "Not valid GeoJSON"), ('{"type":"Point","coordinates":[105,21]}', "Only Polygon"),
    ('{"type":"Polygon","coordinates":[[[21,105],[21.1,105],[21.1,105.1],[21,105]]]}', "outside WGS84"),
    ('{"type":"Polygon","coordinates":[[[0,0],[1,1],[1,0],[0,1],[0,0]]]}', "crosses itself"),
])
def test_bad_polygons_are_refused(bad, rule):
    with pytest.raises(geo.GeometryError, match=rule):
        geo.parse_polygon(bad)


def test_feature_collections_are_merged():
    fc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}},
        {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [[[2, 0], [3, 0], [3, 1], [2, 0]]]}},
    ]}
    assert geo.parse_polygon(fc).geom_type == "MultiPolygon"
