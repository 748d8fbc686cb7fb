"""Fixtures of the addressing tests: commune A with a known square boundary and villages with
centres, households made through the registry actions."""

from __future__ import annotations

import json

import pytest

SQUARE_A = (105.50, 21.24, 105.54, 21.28)  # west, south, east, north (≈ 4.1 × 4.4 km)
CENTRE_A = (21.26, 105.52)  # lat, lon of village "Ngũ Kiên"


def square(bounds: tuple[float, float, float, float]) -> str:
    x0, y0, x1, y1 = bounds
    return json.dumps({"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]})


@pytest.fixture
def place_a(territory):
    """Commune A with its boundary and centroid; village va at CENTRE_A; returns territory.
    Also makes sure the default place categories exist (a transactional test elsewhere in the
    suite flushes the rows migration maps.0002 seeded)."""
    from langso.maps.categories import ensure_default_categories

    ensure_default_categories()
    a = territory["a"]
    a.boundary = square(SQUARE_A)
    a.boundary_source = "test square"
    a.centroid_lat, a.centroid_lon = 21.26, 105.52
    a.save()
    va = territory["va"]
    va.centre_lat, va.centre_lon = CENTRE_A
    va.save()
    return territory


def make_household(commune, village=None, lat=None, lon=None):
    from langso.registry.actions import create_household

    return create_household(None, commune, village=village, latitude=lat, longitude=lon)


@pytest.fixture
def homes(place_a):
    """Five located households of A around the village centre and one without GPS."""
    a, va = place_a["a"], place_a["va"]
    located = [make_household(a, va, CENTRE_A[0] + d, CENTRE_A[1] + d) for d in (0.0, 0.001, -0.001, 0.002, -0.002)]
    unlocated = make_household(a, va)
    return {"located": located, "unlocated": unlocated}


@pytest.fixture(autouse=True)
def _fresh_map_shapes():
    """The maps app caches commune shapes per process; each test builds its own territory."""
    from langso.maps import extents

    extents.forget()
    yield
    extents.forget()
