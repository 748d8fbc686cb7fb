"""The choropleth payload of a province: its communes' boundaries with their indicator values.

Boundaries are stored as GeoJSON text (``AdministrativeUnit.boundary``), possibly at full
survey detail (hundreds of kB per commune). Sent as they are, 148 communes would be tens of MB,
too much for a commune LAN or a cheap phone. So each geometry is simplified once (Douglas–Peucker
with ~33 m tolerance, invisible at the zooms a dashboard uses) and its coordinates are rounded to
5 decimals (~1 m), then kept in Django's cache under a key that changes when a stored boundary
changes (primary key, text length, source and centroid of every unit: a re-import that keeps all
four would be served from the cache until it expires, for a day at most). Communes are
simplified one by one, so at high zoom neighbours may show hairline gaps; a shared-topology
simplification belongs to the boundary importer. Values are small and spliced in per request.
A unit with no boundary becomes a point at its centroid, or a feature with no geometry.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import shapely
from django.core.cache import cache
from django.db.models.functions import Length
from django.urls import reverse

from langso.territory.models import AdministrativeUnit

# Degrees; 0.0003° is about 33 m, one pixel at zoom 12. Phú Thọ's 148 communes (2.2 MB as
# stored) become ~570 kB, ~135 kB gzipped.
SIMPLIFY_TOLERANCE = 0.0003
# Geometries with fewer vertices than this are sent as stored (rounded only).
SIMPLIFY_ABOVE_VERTICES = 100
COORDINATE_DECIMALS = 5
CACHE_SECONDS = 24 * 3600
_CACHE_VERSION = 1


def _round(coords: Any) -> Any:
    if isinstance(coords, (int, float)):
        return round(coords, COORDINATE_DECIMALS)
    return [_round(c) for c in coords]


def compact_geometry(boundary: str) -> dict[str, Any] | None:
    """A simplified, rounded GeoJSON geometry from stored boundary text, or ``None``.

    Accepts a bare geometry, a Feature or a FeatureCollection (its features' geometries are
    united). Unreadable text gives ``None`` rather than an error: the map then shows the
    centroid, and the territory importer is where boundaries are validated.
    """
    if not boundary.strip():
        return None
    try:
        data = json.loads(boundary)
        if data.get("type") == "FeatureCollection":
            geoms = [shapely.geometry.shape(f["geometry"]) for f in data["features"] if f.get("geometry")]
            geom = shapely.union_all(geoms) if geoms else None
        elif data.get("type") == "Feature":
            geom = shapely.geometry.shape(data["geometry"]) if data.get("geometry") else None
        else:
            geom = shapely.geometry.shape(data)
    except (ValueError, TypeError, KeyError, AttributeError, shapely.errors.ShapelyError):
        return None
    if geom is None or geom.is_empty:
        return None
    if shapely.get_num_coordinates(geom) > SIMPLIFY_ABOVE_VERTICES:
        simplified = geom.simplify(SIMPLIFY_TOLERANCE, preserve_topology=True)
        if not simplified.is_empty:
            geom = simplified
    mapping = shapely.geometry.mapping(geom)
    return {"type": mapping["type"], "coordinates": _round(mapping["coordinates"])}


def _identity(unit: dict[str, Any]) -> str:
    """What the cached geometry of a unit row depends on."""
    return f"{unit['pk']}:{unit['boundary_len']}:{unit['boundary_source']}|{unit['centroid_lat']}|{unit['centroid_lon']}"


def _geometry_text(unit: dict[str, Any], boundary: str) -> str:
    geometry = compact_geometry(boundary)
    if geometry is None and unit["centroid_lat"] is not None and unit["centroid_lon"] is not None:
        geometry = {"type": "Point", "coordinates": _round([unit["centroid_lon"], unit["centroid_lat"]])}
    return json.dumps(geometry, separators=(",", ":"))


def geometries(units: list[dict[str, Any]]) -> dict[int, str]:
    """``{pk: compact geometry as GeoJSON text}`` for unit rows (dicts with ``pk``,
    ``boundary_len``, ``boundary_source``, ``centroid_lat``, ``centroid_lon``).

    One cache entry per set of units; on a miss, one query reads all their boundaries.
    """
    digest = hashlib.blake2b("\n".join(map(_identity, units)).encode(), digest_size=16).hexdigest()
    key = f"langso:geoms:{_CACHE_VERSION}:{digest}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    wanted = [u["pk"] for u in units if u["boundary_len"]]
    boundaries = dict(AdministrativeUnit.objects.filter(pk__in=wanted).values_list("pk", "boundary"))
    result = {u["pk"]: _geometry_text(u, boundaries.get(u["pk"], "")) for u in units}
    cache.set(key, result, CACHE_SECONDS)
    return result


def unit_geometry_json(unit: AdministrativeUnit) -> str:
    """The compact geometry of one unit as GeoJSON text (``"null"`` when nothing is known)."""
    row = {
        "pk": unit.pk,
        "boundary_len": len(unit.boundary),
        "boundary_source": unit.boundary_source,
        "centroid_lat": unit.centroid_lat,
        "centroid_lon": unit.centroid_lon,
    }
    key = f"langso:geom:{_CACHE_VERSION}:{hashlib.blake2b(_identity(row).encode(), digest_size=16).hexdigest()}"
    cached = cache.get(key)
    if cached is None:
        cached = _geometry_text(row, unit.boundary)
        cache.set(key, cached, CACHE_SECONDS)
    return cached


def province_communes_geojson(
    communes: Any,
    values: dict[int, dict[str, float | None]],
    period: str | None,
) -> str:
    """A GeoJSON FeatureCollection (as text) of ``communes`` (a queryset the caller scoped).

    Feature ``id`` is the commune code; properties: ``code``, ``name`` (full name), ``url``
    (commune page), ``point`` (true when only the centroid is known) and ``v`` —
    ``{indicator_code: value}`` from :func:`langso.indicators.queries.values_by_unit`.
    The collection carries ``period``. One query for the unit list, one more for the
    boundaries when they are not cached yet.
    """
    rows = list(
        communes.annotate(boundary_len=Length("boundary")).values(
            "pk", "code", "full_name", "centroid_lat", "centroid_lon", "boundary_len", "boundary_source"
        )
    )
    shapes = geometries(rows)
    url = reverse("web:commune", args=["00000"])
    parts = []
    for unit in rows:
        geometry = shapes[unit["pk"]]
        props = {
            "code": unit["code"],
            "name": unit["full_name"],
            "url": url.replace("00000", unit["code"]),
            "point": geometry.startswith('{"type":"Point"'),
            "v": values.get(unit["pk"], {}),
        }
        parts.append(
            '{"type":"Feature","id":%s,"geometry":%s,"properties":%s}'
            % (json.dumps(unit["code"]), geometry, json.dumps(props, ensure_ascii=False, separators=(",", ":")))
        )
    return '{"type":"FeatureCollection","period":%s,"features":[%s]}' % (json.dumps(period), ",".join(parts))
