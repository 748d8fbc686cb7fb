"""Geometry helpers: WGS84 checks, repair, ellipsoidal area, inner centre, displacement."""

from __future__ import annotations

import math

import numpy as np
import pytest
from shapely.geometry import Polygon

from langso.territory import geometry

from .conftest import square


def ellipsoid_cell_area_km2(lat0: float, lat1: float, dlon: float) -> float:
    """Independent check: integrate the WGS84 area element numerically."""
    a, f = 6378137.0, 1 / 298.257223563
    e2 = f * (2 - f)
    phi = np.radians(np.linspace(lat0, lat1, 200001))
    integrand = np.cos(phi) / (1 - e2 * np.sin(phi) ** 2) ** 2
    return a * a * (1 - e2) * math.radians(dlon) * np.trapezoid(integrand, phi) / 1e6


@pytest.mark.parametrize("lat", [0.0, 21.0, 60.0])
def test_area_matches_the_ellipsoid(lat):
    cell = geometry.parse_polygonal(square(105.0, lat, 1.0))
    assert geometry.area_km2(cell) == pytest.approx(ellipsoid_cell_area_km2(lat, lat + 1, 1.0), rel=1e-6)


def test_area_of_a_commune_sized_square():
    # 0.01° × 0.01° at 21° N ≈ 1.107 km × 1.039 km.
    assert geometry.area_km2(geometry.parse_polygonal(square(105.5, 21.0))) == pytest.approx(1.150, rel=2e-3)


def test_inner_centroid_stays_inside_a_crescent():
    # A "C": the plain centroid falls in the empty middle.
    c_shape = Polygon([(0, 0), (3, 0), (3, 1), (1, 1), (1, 2), (3, 2), (3, 3), (0, 3)])
    assert not c_shape.contains(c_shape.centroid)
    lat, lon = geometry.inner_centroid(c_shape)
    assert geometry.contains_point(c_shape, lat, lon)


def test_inner_centroid_is_the_centroid_when_inside():
    lat, lon = geometry.inner_centroid(geometry.parse_polygonal(square(105.0, 21.0, 1.0)))
    assert (lat, lon) == pytest.approx((21.5, 105.5))


@pytest.mark.parametrize(
    ("obj", "rule"),
    [
        (None, "geometry.missing"),
        ({"type": "Point", "coordinates": [105.0, 21.0]}, "geometry.type"),
        ({"type": "Polygon", "coordinates": "nonsense"}, "geometry.coordinates"),
        ({"type": "Polygon", "coordinates": [[[105, 21], [106, 21]]]}, "geometry.coordinates"),
        ({"type": "Polygon", "coordinates": []}, "geometry.empty"),
        (square(21.0, 105.0), "geometry.range"),  # latitude and longitude swapped
        (square(580000.0, 2340000.0, 1000.0), "geometry.range"),  # VN-2000 / UTM metres
        ({"type": "Polygon", "coordinates": [[[105, 21], [float("nan"), 21], [105, 22], [105, 21]]]},
         "geometry.range"),
    ],
)
def test_parse_rejects(obj, rule):
    with pytest.raises(geometry.GeometryProblem) as caught:
        geometry.parse_polygonal(obj)
    assert caught.value.rule == rule
    assert " — " in str(caught.value)  # Vietnamese — English


def test_repair_a_bow_tie():
    bow_tie = geometry.parse_polygonal(
        {"type": "Polygon", "coordinates": [[[105, 21], [105.01, 21.01], [105.01, 21], [105, 21.01], [105, 21]]]}
    )
    assert not bow_tie.is_valid
    fixed, repaired = geometry.repair(bow_tie)
    assert repaired and fixed.is_valid and fixed.geom_type in geometry.POLYGONAL
    assert fixed.area == pytest.approx(0.5 * 0.01 * 0.01)


def test_repair_refuses_a_polygon_with_no_area():
    flat = geometry.parse_polygonal({"type": "Polygon", "coordinates": [[[105, 21], [105.01, 21], [105.02, 21], [105, 21]]]})
    with pytest.raises(geometry.GeometryProblem) as caught:
        geometry.repair(flat)
    assert caught.value.rule == "geometry.invalid"


def test_valid_geometry_is_not_touched():
    g = geometry.parse_polygonal(square(105.0, 21.0))
    assert geometry.repair(g) == (g, False)


def test_displacement_in_metres():
    a = geometry.parse_polygonal(square(105.0, 21.0))
    b = geometry.parse_polygonal(square(105.0001, 21.0))
    # 0.0001° of longitude at 21° N: 6,371,008.8 m × cos 21° × π/180 × 1e-4.
    expected = 6371008.8 * math.cos(math.radians(21.005)) * math.radians(1e-4)
    assert geometry.max_displacement_m(a, b) == pytest.approx(expected, rel=1e-3)


def test_rounding_keeps_shared_vertices_and_validity():
    g = geometry.parse_polygonal(square(105.123456789, 21.987654321))
    r = geometry.round_coordinates(g, 5)
    assert r.is_valid
    assert all(round(x, 5) == x and round(y, 5) == y for x, y in r.exterior.coords)


def test_geojson_text_is_compact():
    text = geometry.geojson_text(geometry.parse_polygonal(square(105.0, 21.0)))
    assert text.startswith('{"type":"Polygon","coordinates":[[[105.0,21.0]') and " " not in text
