"""Location quality: is a household's point inside its commune, and near its village?

Rules (docs/address-codes.md, "Location quality"):

1. **Inside the commune.** The point must lie inside the boundary of the commune *valid on the
   check date* (``AdministrativeUnit.boundary``; for a date before the unit existed, the union of
   its legacy predecessors valid that day, through the lineage of the 2025 reform). A commune with
   no known boundary gives ``inside_commune = None`` ("cannot tell"), never a pass.
2. **Near its village.** The distance to the village centre must not exceed the village's radius:
   ``max(MIN_VILLAGE_RADIUS_M, VILLAGE_RADIUS_FACTOR × median distance of the village's located
   households)``. The median adapts the rule to the size of each village (a 200-household thôn
   and a sprawling bản differ) and a single stray point cannot move it. No village or no centre
   gives ``near_village = None``.

Everything is vectorised per commune with shapely 2 and numpy (a commune has thousands of
households; a province a million): one query for the points, one ``contains_xy`` call, one
upsert per 2,000 rows. Distances are metres in a local equirectangular frame
(:func:`langso.territory.geometry.to_local_metres`, error < 0.1 % within a commune).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import shapely
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from langso.registry.models import Household
from langso.territory.geometry import MEAN_RADIUS_M, to_local_metres
from langso.territory.models import AdministrativeUnit, Village

from .models import LocationCheck

MIN_VILLAGE_RADIUS_M = 1500.0
VILLAGE_RADIUS_FACTOR = 3.0
UPSERT_BATCH = 2000


def parse_boundary(text: str) -> BaseGeometry | None:
    """A shapely geometry from stored boundary text (a geometry, Feature or FeatureCollection),
    made valid if needed; ``None`` for empty or unreadable text (the territory importer is where
    boundaries are validated)."""
    if not text or not text.strip():
        return None
    try:
        data = json.loads(text)
        if data.get("type") == "FeatureCollection":
            geoms = [shape(f["geometry"]) for f in data["features"] if f.get("geometry")]
            geom = shapely.union_all(geoms) if geoms else None
        elif data.get("type") == "Feature":
            geom = shape(data["geometry"]) if data.get("geometry") else None
        else:
            geom = shape(data)
    except (ValueError, TypeError, KeyError, AttributeError, shapely.errors.ShapelyError):
        return None
    if geom is None or geom.is_empty:
        return None
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    return geom


@lru_cache(maxsize=512)
def _geometry(pk: int, length: int, source: str) -> BaseGeometry | None:
    # Keyed by the unit and the size/source of its stored boundary: a re-import gives a new key.
    text = AdministrativeUnit.objects.filter(pk=pk).values_list("boundary", flat=True).first() or ""
    geom = parse_boundary(text)
    if geom is not None:
        shapely.prepare(geom)
    return geom


def unit_geometry(unit: AdministrativeUnit) -> BaseGeometry | None:
    """The parsed (and prepared) boundary of ``unit``, or ``None`` when unknown or unreadable."""
    return _geometry(unit.pk, len(unit.boundary or ""), unit.boundary_source or "")


def _valid_on(unit: AdministrativeUnit, day: dt.date) -> bool:
    return (unit.valid_from is None or unit.valid_from <= day) and (unit.valid_to is None or unit.valid_to >= day)


def commune_boundary(commune: AdministrativeUnit, on: dt.date) -> BaseGeometry | None:
    """The boundary of ``commune`` as it stood on ``on``: its own if it was in force that day,
    otherwise the union of its legacy predecessors in force that day (reform lineage)."""
    if _valid_on(commune, on):
        return unit_geometry(commune)
    from langso.territory.queries import legacy_predecessors

    geoms = [unit_geometry(link.unit) for link in legacy_predecessors(commune) if _valid_on(link.unit, on)]
    geoms = [g for g in geoms if g is not None]
    if not geoms:
        return None
    union = shapely.union_all(geoms)
    shapely.prepare(union)
    return union


def distance_m(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    """Great-circle distance in metres (haversine on the mean Earth radius), element-wise."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dlmb = np.radians(lon2 - lon1)
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * MEAN_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


@dataclass(frozen=True)
class PointVerdict:
    """The check of one point: see :class:`~langso.addressing.models.LocationCheck`."""

    inside_commune: bool | None
    outside_by_m: float | None
    village_distance_m: float | None
    near_village: bool | None

    @property
    def is_outlier(self) -> bool:
        return self.inside_commune is False or self.near_village is False


@dataclass
class CheckSummary:
    """Counts of one commune's check."""

    checked: int = 0
    inside: int = 0
    outside: int = 0
    unknown: int = 0
    far_from_village: int = 0


def outside_distance_m(geom: BaseGeometry, lat: float, lon: float) -> float:
    """Metres from a point to ``geom`` (0 inside)."""
    if geom.contains(shapely.Point(lon, lat)):
        return 0.0
    local = to_local_metres(geom, lat)
    point = to_local_metres(shapely.Point(lon, lat), lat)
    return float(local.distance(point))


def _village_centres(commune: AdministrativeUnit) -> dict[int, tuple[float, float]]:
    return {
        pk: (lat, lon)
        for pk, lat, lon in Village.objects.filter(commune=commune, centre_lat__isnull=False, centre_lon__isnull=False)
        .values_list("pk", "centre_lat", "centre_lon")
    }


def evaluate(commune: AdministrativeUnit, on: dt.date, ids: np.ndarray, lat: np.ndarray, lon: np.ndarray,
             village: np.ndarray) -> dict[str, np.ndarray]:
    """Vectorised verdicts for points of one commune (arrays of equal length; ``village`` holds
    village ids, 0 for none). Returns arrays ``inside`` (1, 0, or -1 unknown), ``outside_by``
    (metres, NaN unknown), ``vdist`` (metres, NaN) and ``near`` (1, 0, -1)."""
    n = len(ids)
    geom = commune_boundary(commune, on)
    inside = np.full(n, -1, dtype=np.int8)
    outside_by = np.full(n, np.nan)
    if geom is not None and n:
        hit = shapely.contains_xy(geom, lon, lat)
        inside = hit.astype(np.int8)
        outside_by[hit] = 0.0
        miss = np.flatnonzero(~hit)
        if len(miss):
            lat0 = float(np.mean(lat[miss]))
            local = to_local_metres(geom, lat0)
            k = math.cos(math.radians(lat0))
            pts = shapely.points(np.radians(lon[miss]) * MEAN_RADIUS_M * k, np.radians(lat[miss]) * MEAN_RADIUS_M)
            outside_by[miss] = shapely.distance(local, pts)
    centres = _village_centres(commune)
    vdist = np.full(n, np.nan)
    near = np.full(n, -1, dtype=np.int8)
    if centres and n:
        has = np.array([v in centres for v in village.tolist()], dtype=bool)
        if has.any():
            clat = np.array([centres[v][0] for v in village[has].tolist()])
            clon = np.array([centres[v][1] for v in village[has].tolist()])
            vdist[has] = distance_m(lat[has], lon[has], clat, clon)
            radius = np.zeros(n)
            for v in np.unique(village[has]).tolist():
                rows = has & (village == v)
                radius[rows] = max(MIN_VILLAGE_RADIUS_M, VILLAGE_RADIUS_FACTOR * float(np.median(vdist[rows])))
            near[has] = (vdist[has] <= radius[has]).astype(np.int8)
    return {"inside": inside, "outside_by": outside_by, "vdist": vdist, "near": near}


def _tri(value: int) -> bool | None:
    return None if value < 0 else bool(value)


def _num(value: float) -> float | None:
    return None if math.isnan(value) else round(float(value), 1)


def check_commune(commune: AdministrativeUnit, on: dt.date | None = None,
                  household_ids: Iterable[int] | None = None) -> CheckSummary:
    """Check the located, active households of ``commune`` (all, or only ``household_ids``) and
    store one :class:`LocationCheck` per household (insert or update). Village radii are computed
    from all the commune's households even when only some are stored. Returns the counts.

    Called by the addressing actions (which authorise the actor); not an entry point for views.
    """
    on = on or timezone.localdate()
    rows = list(
        Household.objects.filter(commune=commune, dissolved_on__isnull=True, latitude__isnull=False,
                                 longitude__isnull=False)
        .values_list("pk", "latitude", "longitude", "village_id")
    )
    summary = CheckSummary()
    if not rows:
        return summary
    arr = np.array([(r[0], r[1], r[2], r[3] or 0) for r in rows], dtype=float)
    ids = arr[:, 0].astype(np.int64)
    lat, lon, village = arr[:, 1], arr[:, 2], arr[:, 3].astype(np.int64)
    verdict = evaluate(commune, on, ids, lat, lon, village)
    keep = np.ones(len(ids), dtype=bool)
    if household_ids is not None:
        wanted = np.array(sorted(set(household_ids)), dtype=np.int64)
        keep = np.isin(ids, wanted)
    objs = []
    for i in np.flatnonzero(keep).tolist():
        inside = _tri(int(verdict["inside"][i]))
        near = _tri(int(verdict["near"][i]))
        objs.append(LocationCheck(
            household_id=int(ids[i]), commune_id=commune.pk, latitude=float(lat[i]), longitude=float(lon[i]),
            inside_commune=inside, outside_by_m=_num(verdict["outside_by"][i]),
            village_distance_m=_num(verdict["vdist"][i]), near_village=near, checked_on=on,
        ))
        summary.checked += 1
        if inside is None:
            summary.unknown += 1
        elif inside:
            summary.inside += 1
        else:
            summary.outside += 1
        if near is False:
            summary.far_from_village += 1
    fields = ["commune", "latitude", "longitude", "inside_commune", "outside_by_m", "village_distance_m",
              "near_village", "checked_on", "checked_at"]
    now = timezone.now()
    for obj in objs:
        obj.checked_at = now
    with transaction.atomic():
        for start in range(0, len(objs), UPSERT_BATCH):
            LocationCheck.objects.bulk_create(objs[start:start + UPSERT_BATCH], update_conflicts=True,
                                              unique_fields=["household"], update_fields=fields)
    return summary


def verdict_for_point(commune: AdministrativeUnit, village_id: int | None, lat: float, lon: float,
                      on: dt.date | None = None) -> PointVerdict:
    """Check one prospective point (before it is saved): the same rules as :func:`check_commune`,
    with the village radius from the village's current households."""
    on = on or timezone.localdate()
    others = list(
        Household.objects.filter(commune=commune, village_id=village_id, dissolved_on__isnull=True,
                                 latitude__isnull=False).values_list("latitude", "longitude")[:5000]
    ) if village_id else []
    lats = np.array([lat] + [o[0] for o in others])
    lons = np.array([lon] + [o[1] for o in others])
    villages = np.full(len(lats), village_id or 0, dtype=np.int64)
    verdict = evaluate(commune, on, np.arange(len(lats)), lats, lons, villages)
    return PointVerdict(_tri(int(verdict["inside"][0])), _num(verdict["outside_by"][0]),
                        _num(verdict["vdist"][0]), _tri(int(verdict["near"][0])))


def current_checks() -> Q:
    """Checks whose point is still the household's point (a moved household needs a new check)."""
    return Q(latitude=F("household__latitude"), longitude=F("household__longitude"))


def outliers(commune: AdministrativeUnit):
    """Current checks of ``commune`` that fail a rule (outside the commune or far from the
    village), worst first, with the household and village loaded."""
    return (
        LocationCheck.objects.filter(commune=commune, household__dissolved_on__isnull=True)
        .filter(current_checks())
        .filter(Q(inside_commune=False) | Q(near_village=False))
        .select_related("household", "household__village", "household__address_code")
        .order_by("inside_commune", "-outside_by_m", "-village_distance_m")
    )
