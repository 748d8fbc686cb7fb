"""Boundary geometry in WGS84 longitude/latitude: parsing, checks, area, centre, displacement.

Pure shapely and numpy, no Django: the boundary importer and the dev script
``scripts/simplify-boundaries`` share these functions so that the shipped file is checked by
the same rules as any import.

Conventions: GeoJSON order (longitude, latitude) in degrees on WGS84 (EPSG:4326, RFC 7946 §4);
areas in km² on the WGS84 ellipsoid; distances in metres.
"""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Point, Polygon, mapping, shape
from shapely.geometry.base import BaseGeometry

# WGS84 ellipsoid (NIMA TR8350.2): semi-major axis in metres and flattening.
WGS84_A = 6378137.0
WGS84_F = 1 / 298.257223563
_E2 = WGS84_F * (2 - WGS84_F)
_E = math.sqrt(_E2)
# Mean Earth radius (IUGG R1) for the local metric frame used to measure displacements.
MEAN_RADIUS_M = 6371008.8

POLYGONAL = ("Polygon", "MultiPolygon")


class GeometryProblem(Exception):
    """A geometry broke a rule. ``rule`` is a stable code, ``vi``/``en`` the messages."""

    def __init__(self, rule: str, vi: str, en: str) -> None:
        super().__init__(rule, vi, en)
        self.rule, self.vi, self.en = rule, vi, en

    def __str__(self) -> str:
        return f"{self.vi} — {self.en}"


def parse_polygonal(obj: Any) -> BaseGeometry:
    """Turn a GeoJSON geometry object (a dict) into a shapely Polygon or MultiPolygon.

    Checks, in order: the object is a Polygon/MultiPolygon geometry, its coordinates parse, every
    coordinate is finite and within WGS84 range (longitude −180…180, latitude −90…90, which also
    catches swapped axes and projected metres such as VN-2000/UTM), and it is not empty.
    Validity (self-intersections) is *not* checked here: see :func:`repair`.

    Raises :class:`GeometryProblem` with rule ``geometry.missing``, ``geometry.type``,
    ``geometry.coordinates``, ``geometry.range`` or ``geometry.empty``.
    """
    if not isinstance(obj, dict):
        raise GeometryProblem(
            "geometry.missing", "Thiếu hình học (geometry)", "Geometry is missing"
        )
    kind = obj.get("type")
    if kind not in POLYGONAL:
        raise GeometryProblem(
            "geometry.type",
            f"Kiểu hình học phải là Polygon hoặc MultiPolygon, không phải {kind!r}",
            f"Geometry type must be Polygon or MultiPolygon, not {kind!r}",
        )
    try:
        # NaN is reported below as a range problem, not as a numpy warning on the console.
        with np.errstate(invalid="ignore"):
            geom = shape(obj)
        coords = shapely.get_coordinates(geom)
    except Exception as exc:  # shapely raises ValueError, TypeError, IndexError, GEOSException…
        raise GeometryProblem(
            "geometry.coordinates",
            f"Toạ độ không đọc được ({exc})",
            f"Coordinates cannot be read ({exc})",
        ) from exc
    if geom.is_empty or len(coords) == 0:
        raise GeometryProblem("geometry.empty", "Hình học rỗng", "Geometry is empty")
    if not np.isfinite(coords).all():
        raise GeometryProblem(
            "geometry.range",
            "Toạ độ không phải số hữu hạn",
            "Coordinates are not finite numbers",
        )
    lon, lat = coords[:, 0], coords[:, 1]
    if (np.abs(lon) > 180).any() or (np.abs(lat) > 90).any():
        raise GeometryProblem(
            "geometry.range",
            "Toạ độ ngoài phạm vi WGS84 (kinh độ −180…180, vĩ độ −90…90; có thể bị đảo trục "
            "hoặc dùng hệ VN-2000 mét)",
            "Coordinates outside WGS84 range (longitude −180…180, latitude −90…90; axes swapped "
            "or projected metres such as VN-2000?)",
        )
    return geom


def repair(geom: BaseGeometry) -> tuple[BaseGeometry, bool]:
    """Return ``(valid polygonal geometry, repaired?)``.

    An invalid geometry (self-intersection, bow-tie, ring not closed properly) is repaired with
    ``shapely.make_valid`` and only its polygonal parts are kept (make_valid may leave stray lines
    or points where a ring touched itself). Raises :class:`GeometryProblem` ``geometry.invalid``
    when nothing polygonal with an area is left.
    """
    if geom.is_valid:
        return geom, False
    fixed = shapely.make_valid(geom)
    polygons = [
        part
        for part in getattr(fixed, "geoms", [fixed])
        if isinstance(part, (Polygon, MultiPolygon)) and not part.is_empty
    ]
    flat: list[Polygon] = []
    for part in polygons:
        flat.extend(part.geoms if isinstance(part, MultiPolygon) else [part])
    flat = [p for p in flat if p.area > 0]
    if not flat:
        raise GeometryProblem(
            "geometry.invalid",
            f"Hình học không hợp lệ và không sửa được ({shapely.is_valid_reason(geom)})",
            f"Geometry is invalid and cannot be repaired ({shapely.is_valid_reason(geom)})",
        )
    repaired = flat[0] if len(flat) == 1 else MultiPolygon(flat)
    return repaired, True


def inner_centroid(geom: BaseGeometry) -> tuple[float, float]:
    """Return ``(lat, lon)`` in degrees: the centroid if it lies inside the geometry, otherwise
    shapely's representative point (always inside).

    A crescent-shaped commune or one made of several islands can have its centroid outside
    itself; a map marker or "which commune is this point in" test needs a point inside.
    The centroid is taken in the longitude/latitude plane, which at commune scale (< 50 km)
    differs from the ellipsoidal centroid by well under a metre.
    """
    centre = geom.centroid
    if not geom.contains(centre):
        centre = geom.representative_point()
    return centre.y, centre.x


def _authalic_y(lat_deg: np.ndarray) -> np.ndarray:
    """Northing (m) of the cylindrical equal-area projection of the WGS84 ellipsoid."""
    s = np.sin(np.radians(lat_deg))
    q = (1 - _E2) * (s / (1 - _E2 * s * s) - (1 / (2 * _E)) * np.log((1 - _E * s) / (1 + _E * s)))
    return WGS84_A * q / 2


def area_km2(geom: BaseGeometry) -> float:
    """Area on the WGS84 ellipsoid in km².

    Projects to the Lambert cylindrical equal-area projection of the ellipsoid (Snyder,
    *Map Projections — A Working Manual*, USGS PP 1395, eq. 3-12 and 10-15), where planar area
    equals ellipsoidal area, then takes the planar area. Agrees with geodesic area to < 0.01 %
    at commune scale.
    """
    projected = shapely.transform(
        geom,
        lambda xy: np.column_stack((WGS84_A * np.radians(xy[:, 0]), _authalic_y(xy[:, 1]))),
    )
    return projected.area / 1e6


def to_local_metres(geom: BaseGeometry, lat0: float) -> BaseGeometry:
    """Project to a local equirectangular frame in metres centred on latitude ``lat0``.

    Distortion grows with the distance from ``lat0``: ~0.02 % at 10 km, enough to measure
    displacements of a few metres within one province.
    """
    k = math.cos(math.radians(lat0))
    return shapely.transform(
        geom,
        lambda xy: np.column_stack(
            (np.radians(xy[:, 0]) * MEAN_RADIUS_M * k, np.radians(xy[:, 1]) * MEAN_RADIUS_M)
        ),
    )


def max_displacement_m(original: BaseGeometry, simplified: BaseGeometry) -> float:
    """Largest distance in metres between the boundaries of two versions of one shape.

    The Hausdorff distance of the boundary lines (densified to quarter segments so that a vertex
    dropped in the middle of a long edge is seen), in the local metric frame of the original.
    """
    lat0 = original.centroid.y
    return float(
        shapely.hausdorff_distance(
            to_local_metres(original.boundary, lat0),
            to_local_metres(simplified.boundary, lat0),
            densify=0.25,
        )
    )


def round_coordinates(geom: BaseGeometry, decimals: int) -> BaseGeometry:
    """Round every coordinate to ``decimals`` places (5 ≈ 1.1 m, 6 ≈ 0.11 m at the equator).

    Rounding is applied coordinate by coordinate, so a vertex shared by two neighbouring
    polygons stays shared. If rounding makes the geometry invalid (two vertices collapsing on a
    narrow spike), falls back to ``shapely.set_precision``, which snaps to the same grid while
    keeping the result valid.
    """
    rounded = shapely.transform(geom, lambda xy: np.round(xy, decimals))
    if rounded.is_valid and not rounded.is_empty:
        return rounded
    return shapely.set_precision(geom, 10.0**-decimals)


def geojson_text(geom: BaseGeometry) -> str:
    """Compact GeoJSON geometry text (no spaces), as stored in ``AdministrativeUnit.boundary``."""
    return json.dumps(mapping(geom), separators=(",", ":"))


def contains_point(geom: BaseGeometry, lat: float, lon: float) -> bool:
    """True when (lat, lon) lies inside ``geom`` (boundary excluded)."""
    return bool(geom.contains(Point(lon, lat)))
