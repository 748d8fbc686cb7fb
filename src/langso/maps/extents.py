"""Commune geometries for the map layers: simplified boundaries, extents, village areas.

Boundaries are stored as GeoJSON text, sometimes at survey detail. The map needs them small
(simplified with a ~33 m tolerance, rounded to 1 m) and needs each commune's extent to know
which communes a viewport touches. Both are computed once per process and kept while the
current communes are the same (see :func:`commune_shapes`).

Village areas: the register keeps only a centre per village, no boundary. The "villages" layer
therefore draws each village's *approximate* area as its Voronoi cell among the commune's
village centres, clipped to the commune (every point of the commune goes to the nearest village
centre). Features carry ``approximate: true`` and the pages say so.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

import shapely
from django.db.models import Count, Max, Sum
from django.db.models.functions import Length
from shapely.geometry import MultiPoint, mapping
from shapely.geometry.base import BaseGeometry

from langso.addressing.quality import parse_boundary
from langso.territory.models import AdministrativeUnit, Village

SIMPLIFY_TOLERANCE = 0.0003  # degrees, ≈ 33 m
DECIMALS = 5
CHECK_SECONDS = 30.0


def _round(coords: Any) -> Any:
    if isinstance(coords, (int, float)):
        return round(coords, DECIMALS)
    return [_round(c) for c in coords]


def compact(geom: BaseGeometry) -> dict[str, Any]:
    """A simplified (topology-preserving, ~33 m) GeoJSON geometry rounded to 5 decimals."""
    if shapely.get_num_coordinates(geom) > 100:
        simplified = geom.simplify(SIMPLIFY_TOLERANCE, preserve_topology=True)
        if not simplified.is_empty:
            geom = simplified
    m = mapping(geom)
    return {"type": m["type"], "coordinates": _round(m["coordinates"])}


@dataclass(frozen=True)
class CommuneShape:
    """One current commune for the map: ids, names, extent (west, south, east, north) and the
    compact GeoJSON geometry (``None`` without a boundary)."""

    pk: int
    code: str
    name: str
    full_name: str
    province_id: int | None
    province_code: str
    bbox: tuple[float, float, float, float] | None
    geometry: dict[str, Any] | None
    centre: tuple[float, float] | None  # (lat, lon)


_lock = threading.Lock()
_state: dict[str, Any] = {"fingerprint": None, "checked": 0.0, "shapes": {}}
_village_cache: dict[tuple, list[dict[str, Any]]] = {}


def _quick_fingerprint() -> tuple:
    agg = AdministrativeUnit.objects.current().communes().aggregate(n=Count("pk"), top=Max("pk"))
    return agg["n"], agg["top"]


def _fingerprint() -> tuple:
    agg = AdministrativeUnit.objects.current().communes().aggregate(
        n=Count("pk"), top=Max("pk"), size=Sum(Length("boundary"))
    )
    return agg["n"], agg["top"], agg["size"]


def forget() -> None:
    """Drop the cached shapes (after a boundary import; between tests)."""
    with _lock:
        _state.update({"fingerprint": None, "checked": 0.0, "shapes": {}})
    _village_cache.clear()


def commune_shapes() -> dict[int, CommuneShape]:
    """Every current commune's :class:`CommuneShape`, by primary key.

    Cached per process. A new or ended commune is seen at once (count and largest id are
    checked on every call, one index-only query); a re-imported boundary within
    :data:`CHECK_SECONDS` (the total boundary length is checked that often).
    """
    now = time.monotonic()
    fingerprint = _state["fingerprint"]
    if fingerprint is not None and now - _state["checked"] < CHECK_SECONDS:
        if _quick_fingerprint() == fingerprint[:2]:
            return _state["shapes"]
    fingerprint = _fingerprint()
    with _lock:
        if fingerprint != _state["fingerprint"]:
            shapes = {}
            rows = AdministrativeUnit.objects.current().communes().values_list(
                "pk", "code", "name", "full_name", "province_id", "province__code", "boundary",
                "centroid_lat", "centroid_lon",
            )
            for pk, code, name, full_name, province_id, province_code, boundary, clat, clon in rows:
                geom = parse_boundary(boundary)
                centre = (clat, clon) if clat is not None and clon is not None else None
                if geom is not None and centre is None:
                    point = geom.representative_point()
                    centre = (point.y, point.x)
                shapes[pk] = CommuneShape(
                    pk, code, name, full_name, province_id, province_code or "",
                    tuple(geom.bounds) if geom is not None else None,
                    compact(geom) if geom is not None else None, centre,
                )
            _state["shapes"] = shapes
            _state["fingerprint"] = fingerprint
        _state["checked"] = now
    return _state["shapes"]


def communes_touching(bbox: tuple[float, float, float, float] | None,
                      among: set[int] | None = None) -> list[int]:
    """Ids of current communes whose extent meets ``bbox`` (communes without a boundary always
    count: their households may be anywhere). ``among``: only these ids."""
    out = []
    for pk, shape in commune_shapes().items():
        if among is not None and pk not in among:
            continue
        if bbox is None or shape.bbox is None:
            out.append(pk)
            continue
        w, s, e, n = shape.bbox
        if not (e < bbox[0] or w > bbox[2] or n < bbox[1] or s > bbox[3]):
            out.append(pk)
    return out


def province_extent(province_id: int) -> tuple[float, float, float, float] | None:
    """The union of the extents of a province's current communes."""
    boxes = [s.bbox for s in commune_shapes().values() if s.province_id == province_id and s.bbox]
    if not boxes:
        return None
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def village_areas(commune_id: int) -> list[dict[str, Any]]:
    """Approximate village areas of a commune as GeoJSON features (Voronoi cells of the village
    centres clipped to the commune); villages without a centre are left out. Cached per commune
    while its villages and boundary are unchanged."""
    shape = commune_shapes().get(commune_id)
    villages = list(
        Village.objects.filter(commune_id=commune_id, centre_lat__isnull=False, centre_lon__isnull=False)
        .order_by("pk").values_list("pk", "name", "village_type", "centre_lat", "centre_lon")
    )
    key = (commune_id, tuple(villages), shape.bbox if shape else None)
    if key in _village_cache:
        return _village_cache[key]
    features = []
    geom = shapely.geometry.shape(shape.geometry) if shape and shape.geometry else None
    if geom is not None and not geom.is_valid:
        geom = shapely.make_valid(geom)
    centres = MultiPoint([(v[4], v[3]) for v in villages]) if villages else None
    cells: list[BaseGeometry | None] = [None] * len(villages)
    if geom is not None and centres is not None and len(villages) > 1:
        regions = shapely.voronoi_polygons(centres, extend_to=geom.envelope.buffer(0.05))
        for region in regions.geoms:
            for i, v in enumerate(villages):
                if cells[i] is None and region.contains(shapely.Point(v[4], v[3])):
                    cells[i] = region.intersection(geom)
                    break
    elif geom is not None and len(villages) == 1:
        cells[0] = geom
    for (pk, name, kind, lat, lon), cell in zip(villages, cells):
        properties = {"id": pk, "name": name, "village_type": kind, "commune": shape.code if shape else "",
                      "approximate": True, "centre": [round(lon, 6), round(lat, 6)]}
        if cell is None or cell.is_empty:
            geometry = {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]}
        else:
            geometry = compact(cell)
        features.append({"type": "Feature", "id": f"v{pk}", "geometry": geometry, "properties": properties})
    if len(_village_cache) > 2000:
        _village_cache.clear()
    _village_cache[key] = features
    return features
