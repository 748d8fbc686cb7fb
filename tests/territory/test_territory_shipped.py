"""The shipped Phú Thọ boundary file: complete, valid, small, with its licence notice."""

from __future__ import annotations

import json

import pytest
from vietnam_provinces import Ward

from langso.territory import geometry
from langso.territory.actions import SHIPPED_BOUNDARIES

FOLDER = SHIPPED_BOUNDARIES.parent


@pytest.fixture(scope="module")
def shipped():
    return json.loads(SHIPPED_BOUNDARIES.read_text(encoding="utf-8"))


def test_file_is_at_most_three_megabytes():
    assert SHIPPED_BOUNDARIES.stat().st_size <= 3_000_000


def test_one_feature_per_current_phu_tho_commune(shipped):
    codes = [f["id"] for f in shipped["features"]]
    expected = {f"{int(w.code):05d}" for w in Ward.iter_by_province(25)}
    assert len(codes) == 148 == len(set(codes))
    assert set(codes) == expected
    assert all(f["properties"]["code"] == f["id"] for f in shipped["features"])


def test_every_feature_is_valid_and_contains_its_centre(shipped):
    for feature in shipped["features"]:
        geom = geometry.parse_polygonal(feature["geometry"])
        assert geom.is_valid, feature["id"]
        assert geom.geom_type == "MultiPolygon"
        lat, lon = geometry.inner_centroid(geom)
        assert geometry.contains_point(geom, lat, lon), feature["id"]
        # Inside Phú Thọ (with Vĩnh Phúc and Hòa Bình): roughly 20.3–21.8 N, 104.8–105.8 E.
        minx, miny, maxx, maxy = geom.bounds
        assert 104.5 < minx < maxx < 106.0 and 20.2 < miny < maxy < 21.9, feature["id"]


def test_polygon_area_is_close_to_the_declared_area(shipped):
    ratios = sorted(
        geometry.area_km2(geometry.parse_polygonal(f["geometry"])) / f["properties"]["areaKm2"]
        for f in shipped["features"]
    )
    assert ratios[len(ratios) // 2] == pytest.approx(1.0, abs=0.01)  # median
    assert 0.93 < ratios[0] and ratios[-1] < 1.07  # the source's own spread (04828: +6.3 %)


def test_coordinates_are_rounded_to_five_decimals(shipped):
    ring = shipped["features"][0]["geometry"]["coordinates"][0][0]
    assert all(round(v, 5) == v for point in ring for v in point)


def test_licence_notice_and_source_travel_with_the_file(shipped):
    licence = (FOLDER / "LICENSE.txt").read_text(encoding="utf-8")
    readme = (FOLDER / "README.md").read_text(encoding="utf-8")
    assert "MIT License" in licence and "Copyright (c) 2021 Thang Le Quoc" in licence
    assert "vietnamese-provinces-database" in readme and "LICENSE.txt" in readme
    assert "scripts/simplify-boundaries" in readme
    assert "MIT" in shipped["metadata"]["license"]
    assert "thanglequoc/vietnamese-provinces-database" in shipped["metadata"]["source"]
