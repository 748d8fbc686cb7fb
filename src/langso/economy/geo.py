"""Raw-material area polygons: parsing GeoJSON and the area in hectares.

Area. The polygon's WGS84 longitude/latitude are mapped with the **cylindrical equal-area
projection of the WGS84 ellipsoid** (Lambert; Snyder, *Map Projections — A Working Manual*, USGS
PP 1395, 1987, eqs. 3-12 and 10-15): ``x = a·λ``, ``y = a·q(φ)/2`` with ``q`` the authalic
function of the geodetic latitude. The projection preserves area exactly on the ellipsoid, so the
planar area of the projected ring (shapely) equals the ellipsoidal area of the region it bounds.
The only difference from a geodesic computation (e.g. pyproj's ``Geod.geometry_area_perimeter``)
is that an edge is a straight line in the projection rather than a geodesic on the ellipsoid;
for fields a few kilometres across in Vietnam's latitudes (8–24° N) that changes the area by
far less than 0.01 %, well below GPS drawing error (tests compare a 0.01° square with the exact
ellipsoidal zone formula). No extra dependency (pyproj, PROJ data) is needed.
"""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon, mapping, shape
from shapely.geometry.base import BaseGeometry

# WGS84 (NIMA TR8350.2)
A = 6378137.0
F = 1 / 298.257223563
E2 = F * (2 - F)
E = math.sqrt(E2)
# Largest area accepted for one raw-material area: 100 km² (a province-scale zone is several areas).
MAX_HECTARES = 10_000.0


class GeometryError(ValueError):
    """A polygon that cannot be used; ``vi``/``en`` say why."""

    def __init__(self, vi: str, en: str) -> None:
        self.vi, self.en = vi, en
        super().__init__(en)


def _q(phi: float) -> float:
    s = math.sin(phi)
    return (1 - E2) * (s / (1 - E2 * s * s) - (1 / (2 * E)) * math.log((1 - E * s) / (1 + E * s)))


def _project(xy: np.ndarray) -> np.ndarray:
    """(N, 2) lon/lat degrees → (N, 2) metres in the ellipsoidal cylindrical equal-area projection."""
    lon, lat = np.radians(xy[:, 0]), np.radians(xy[:, 1])
    s = np.sin(lat)
    q = (1 - E2) * (s / (1 - E2 * s * s) - (1 / (2 * E)) * np.log((1 - E * s) / (1 + E * s)))
    return np.column_stack([A * lon, A * q / 2])


def area_hectares(geom: BaseGeometry) -> float:
    """Ellipsoidal area of a WGS84 (lon, lat) Polygon/MultiPolygon in hectares (1 ha = 10,000 m²)."""
    return float(shapely.transform(geom, _project).area) / 10_000.0


def parse_polygon(text_or_obj: str | dict[str, Any]) -> BaseGeometry:
    """A GeoJSON Polygon or MultiPolygon (a bare geometry, a Feature, or a FeatureCollection of
    polygons, which are merged) → a valid shapely geometry in WGS84 lon/lat.

    Raises :class:`GeometryError` for bad JSON, another geometry type, coordinates outside
    WGS84 ranges (or swapped lat/lon giving latitudes beyond ±90), an invalid (self-crossing)
    ring, or an empty polygon.
    """
    try:
        obj = json.loads(text_or_obj) if isinstance(text_or_obj, str) else text_or_obj
    except json.JSONDecodeError as exc:
        raise GeometryError("Không đọc được GeoJSON.", f"Not valid GeoJSON ({exc.msg}).") from exc
    if not isinstance(obj, dict):
        raise GeometryError("GeoJSON phải là một đối tượng.", "GeoJSON must be an object.")
    if obj.get("type") == "Feature":
        obj = obj.get("geometry") or {}
    if obj.get("type") == "FeatureCollection":
        parts = [parse_polygon(f) for f in obj.get("features") or []]
        if not parts:
            raise GeometryError("Tập đối tượng rỗng.", "The FeatureCollection is empty.")
        geom = shapely.union_all(parts)
    else:
        if obj.get("type") not in ("Polygon", "MultiPolygon"):
            raise GeometryError("Chỉ nhận vùng (Polygon/MultiPolygon).", "Only Polygon or MultiPolygon geometries.")
        try:
            geom = shape(obj)
        except (ValueError, TypeError, AttributeError, IndexError) as exc:
            raise GeometryError("Tọa độ vùng không hợp lệ.", "The polygon's coordinates are malformed.") from exc
    if geom.is_empty or not isinstance(geom, (Polygon, MultiPolygon)):
        raise GeometryError("Vùng rỗng.", "The polygon is empty.")
    west, south, east, north = geom.bounds
    if west < -180 or east > 180 or south < -90 or north > 90:
        raise GeometryError("Tọa độ ngoài phạm vi WGS84 (kinh độ trước, vĩ độ sau).",
                            "Coordinates outside WGS84 ranges (longitude first, then latitude).")
    if not geom.is_valid:
        raise GeometryError("Ranh giới vùng tự cắt nhau.", "The polygon's boundary crosses itself.")
    if area_hectares(geom) <= 0:
        raise GeometryError("Vùng có diện tích bằng 0.", "The polygon has no area.")
    return geom


def to_geojson(geom: BaseGeometry, decimals: int = 6) -> str:
    """Compact GeoJSON geometry text rounded to ``decimals`` (6 ≈ 0.1 m)."""
    def rnd(c: Any) -> Any:
        return round(c, decimals) if isinstance(c, float) else [rnd(x) for x in c]

    m = mapping(geom)
    return json.dumps({"type": m["type"], "coordinates": rnd(json.loads(json.dumps(m["coordinates"])))},
                      separators=(",", ":"))
