"""Where the demo population lives: commune plans, boundaries, village names and centres."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from django.db import DEFAULT_DB_ALIAS

from langso.registry import bulk
from langso.territory.models import AdministrativeUnit, UnitType, Village, VillageType

from .data import tables


@dataclass
class CommunePlan:
    """One commune to populate: its profile, geometry and villages (ids, centres, weights)."""

    unit: AdministrativeUnit
    households: int
    payment_share: float
    gps_share: float
    cccd_province: int
    village_style: str
    names: str = "national"
    geometry: Any = None  # prepared shapely (Multi)Polygon in lon/lat, or None
    centre: tuple[float, float] | None = None  # (lat, lon)
    area_km2: float = 20.0
    village_ids: list[int] = field(default_factory=list)
    village_labels: list[str] = field(default_factory=list)
    village_centres: np.ndarray | None = None  # shape (V, 2): lon, lat
    village_weights: np.ndarray | None = None
    spread_deg: tuple[float, float] = (0.005, 0.005)  # sd of homes around a village centre (lon, lat)


def parse_boundary(text: str) -> Any:
    """A shapely geometry from GeoJSON text (geometry, Feature or FeatureCollection), or ``None``.

    Parsed by GEOS (``shapely.from_geojson``); an invalid polygon is repaired (``make_valid``).
    """
    if not text or not text.strip():
        return None
    geom = shapely.from_geojson(text)
    if geom.geom_type == "GeometryCollection":  # a FeatureCollection: keep its polygons
        parts = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")]
        geom = shapely.union_all(parts) if parts else None
    if geom is None or geom.is_empty:
        return None
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    return geom


def sample_in_polygon(geom: Any, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` points uniformly inside ``geom`` by rejection from its bounding box: array (n, 2) lon, lat."""
    shapely.prepare(geom)
    minx, miny, maxx, maxy = geom.bounds
    out = np.empty((0, 2))
    for _ in range(200):
        need = n - len(out)
        if need <= 0:
            break
        k = max(64, int(need * 2.5 * (maxx - minx) * (maxy - miny) / max(geom.area, 1e-12)))
        x = rng.uniform(minx, maxx, k)
        y = rng.uniform(miny, maxy, k)
        inside = shapely.contains_xy(geom, x, y)
        out = np.vstack([out, np.column_stack([x[inside], y[inside]])])
    if len(out) < n:  # a sliver of a polygon: fall back to a point surely inside
        point = geom.representative_point()
        out = np.vstack([out, np.tile([point.x, point.y], (n - len(out), 1))])
    return out[:n]


def _profile(unit: AdministrativeUnit, seed: int) -> dict[str, Any]:
    places = tables()["demo_places"]
    profile: dict[str, Any] = {"names": "national"}
    for former in places["former_provinces"]:
        if former["from"] <= unit.code <= former["to"]:
            profile.update({k: v for k, v in former.items() if k not in ("from", "to")})
    rng = np.random.default_rng([seed, int(unit.code)])
    low, high = places["default_profile"]["payment_share"]
    profile["payment_share"] = round(float(rng.uniform(low, high)), 3)
    low, high = places["default_profile"]["gps_share"]
    profile["gps_share"] = round(float(rng.uniform(low, high)), 3)
    profile.setdefault("cccd_province", "025")
    profile.setdefault("village_style", "thon")
    if unit.unit_type == UnitType.WARD:
        profile["village_style"] = "to_dan_pho"
    profile.update(places["profiles"].get(unit.code, {}))
    return profile


def plan_communes(units: list[AdministrativeUnit], households: int, seed: int) -> list[CommunePlan]:
    """Split ``households`` evenly over ``units`` (earlier communes take the remainder) with their profiles."""
    base, extra = divmod(households, len(units))
    plans = []
    for index, unit in enumerate(units):
        profile = _profile(unit, seed)
        geom = parse_boundary(unit.boundary)
        centre = None
        if geom is not None:
            shapely.prepare(geom)
            point = geom.centroid if geom.contains(geom.centroid) else geom.representative_point()
            centre = (point.y, point.x)
        elif unit.centroid_lat is not None and unit.centroid_lon is not None:
            centre = (unit.centroid_lat, unit.centroid_lon)
        area = unit.area_km2 or (_area_km2(geom) if geom is not None else 20.0)
        plans.append(CommunePlan(
            unit=unit, households=base + (1 if index < extra else 0), payment_share=profile["payment_share"],
            gps_share=profile["gps_share"], cccd_province=int(profile["cccd_province"]),
            village_style=profile["village_style"], names=profile["names"], geometry=geom, centre=centre,
            area_km2=area,
        ))
    return plans


def _area_km2(geom: Any) -> float:
    lat = geom.centroid.y
    return geom.area * 111.32 * 110.57 * math.cos(math.radians(lat))


def _village_names(style: str, count: int, taken: set[str], rng: np.random.Generator) -> list[tuple[str, str]]:
    """``count`` (name, village type) pairs: named villages first, then numbered ("Xóm 3")."""
    named = list(tables()["demo_places"]["village_names"].get(style, []))
    rng.shuffle(named)
    kind = {"thon": VillageType.THON, "xom": VillageType.XOM, "ban": VillageType.BAN,
            "to_dan_pho": VillageType.TO_DAN_PHO}[style]
    n_named = count if style != "to_dan_pho" else count // 2
    out = [(name, kind) for name in named if name not in taken][:n_named]
    number = 1
    while len(out) < count:
        if str(number) not in taken:
            out.append((str(number), kind))
        number += 1
    return out


def prepare_villages(actor: Any, plans: list[CommunePlan], seed: int, using: str = DEFAULT_DB_ALIAS) -> int:
    """Give every plan its villages: the commune's existing villages, or new ones created through
    :func:`langso.registry.bulk.register_villages` with centres inside the boundary. Returns the
    number created."""
    places = tables()["demo_places"]
    to_create: list[bulk.VillageRow] = []
    pending: dict[int, list[tuple[float, float]]] = {}
    for plan in plans:
        rng = np.random.default_rng([seed, int(plan.unit.code), 1])
        existing = list(Village.objects.using(using).filter(commune=plan.unit).order_by("id"))
        count = len(existing) or min(places["villages_max"], max(
            places["villages_min"], round(plan.households / places["households_per_village"])))
        if plan.geometry is not None:
            centres = sample_in_polygon(plan.geometry, count, rng)
        elif plan.centre is not None:
            radius_deg = math.sqrt(plan.area_km2 / math.pi) / 111.0
            centres = np.column_stack([plan.centre[1] + rng.normal(0, radius_deg / 2, count),
                                       plan.centre[0] + rng.normal(0, radius_deg / 2, count)])
        else:
            centres = None
        if existing:
            plan.village_ids = [v.pk for v in existing]
            plan.village_labels = [str(v) for v in existing]
            if centres is not None:  # keep a recorded centre if there is one
                for i, village in enumerate(existing):
                    if village.centre_lat is not None and village.centre_lon is not None:
                        centres[i] = (village.centre_lon, village.centre_lat)
        else:
            names = _village_names(plan.village_style, count, set(), rng)
            for i, (name, kind) in enumerate(names):
                lon, lat = (None, None) if centres is None else (float(centres[i, 0]), float(centres[i, 1]))
                to_create.append(bulk.VillageRow(plan.unit.pk, name, kind, lat, lon))
            pending[plan.unit.pk] = names
        plan.village_centres = centres
        plan.village_weights = rng.dirichlet(np.full(count, 4.0))
        lat = plan.centre[0] if plan.centre else 21.3
        spacing_km = math.sqrt(plan.area_km2 / (math.pi * count))
        plan.spread_deg = (0.35 * spacing_km / (111.32 * math.cos(math.radians(lat))), 0.35 * spacing_km / 110.57)
    created = bulk.register_villages(actor, to_create, using=using)
    by_commune: dict[int, list[Village]] = {}
    for village in created:
        by_commune.setdefault(village.commune_id, []).append(village)
    for plan in plans:
        if plan.unit.pk in by_commune:
            plan.village_ids = [v.pk for v in by_commune[plan.unit.pk]]
            plan.village_labels = [str(v) for v in by_commune[plan.unit.pk]]
    return len(created)


def assign_village_origins(codes: list[str]) -> int:
    """Demo only: record each demo village's former commune (before 1 July 2025) as the legacy
    commune that formed its commune whose centroid lies nearest the village centre.

    Real villages' former communes are known to the commune and entered by its officers
    (``registry.actions.set_village_origin``, admin); the demo villages are invented, so the
    nearest centroid stands in. Villages that already have one, or have no centre, are left.
    Returns the number recorded (through the audited action).
    """
    from langso.registry.actions import set_village_origin
    from langso.territory.queries import legacy_predecessors

    done = 0
    for commune in AdministrativeUnit.objects.current().communes().filter(code__in=codes):
        formers = [link.unit for link in legacy_predecessors(commune, level="commune")
                   if link.unit.centroid_lat is not None and link.unit.centroid_lon is not None]
        if not formers:
            continue
        for village in Village.objects.filter(commune=commune, legacy_commune__isnull=True, centre_lat__isnull=False):
            scale = math.cos(math.radians(village.centre_lat))
            nearest = min(formers, key=lambda u: (u.centroid_lat - village.centre_lat) ** 2
                          + ((u.centroid_lon - village.centre_lon) * scale) ** 2)
            set_village_origin(None, village, nearest)
            done += 1
    return done
