"""Helpers for the territory tests: small GeoJSON features around a point."""

from __future__ import annotations

from typing import Any

import pytest


def square(lon: float, lat: float, size: float = 0.01) -> dict[str, Any]:
    """A GeoJSON Polygon: a square of ``size`` degrees with its south-west corner at (lon, lat)."""
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def feature(code: Any = None, geometry: dict[str, Any] | None = None, *, key: str = "id", **props: Any) -> dict[str, Any]:
    """A Feature keyed by ``code`` in ``id`` (``key="id"``) or ``properties.code``."""
    out: dict[str, Any] = {"type": "Feature", "properties": dict(props),
                           "geometry": geometry if geometry is not None else square(105.5, 21.18)}
    if code is not None:
        if key == "id":
            out["id"] = code
        else:
            out["properties"]["code"] = code
    return out


def collection(*features: dict[str, Any]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": list(features)}


@pytest.fixture
def geo():
    """The builders above, for tests that prefer a fixture to an import."""
    return {"square": square, "feature": feature, "collection": collection}
