"""Demo population: villages, households, residents and business households that look real.

:func:`generate_population` fills communes with a synthetic register whose shape follows
published facts, each kept with its source in ``registry/data/``:

- age and sex structure of Vietnam's 2019 Population and Housing Census and household sizes
  averaging 3.5 persons (``population_vn2019.yaml``); households are built from compositions
  (single, couple, nuclear, three generations, skipped generation, stem family) so that
  relations, ages and sexes are coherent: one head, a spouse of the other sex and similar age,
  children 18–40 years younger than their mother, grandparents sometimes;
- Vietnamese names in Vietnamese order (family, middle, given) with national family-name
  frequencies, middle and given names by sex and birth cohort (``names_vi.yaml``); children take
  their father's family name, wives keep theirs;
- homes inside the commune's real boundary (``AdministrativeUnit.boundary``), clustered around
  village centres that are inside it too (around the centroid when no boundary is known);
- CCCD numbers valid for each holder's birth year and sex (Circular 07/2016/TT-BCA art. 7),
  unique, mostly under the province code of the commune's former province; phones, online payment
  accounts and GPS shares per commune; 3–5 % business households (``demo_places.yaml``).

Everything is drawn from numpy generators seeded by ``seed``: the same seed, communes, household
count, chunk size and ``as_of`` date give identical rows in an empty database. Writing goes
through :mod:`langso.registry.bulk` in chunks (one transaction and one audit entry per chunk),
so memory stays bounded at any size.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import math
import multiprocessing
import pickle
import time
import traceback
from collections.abc import Callable, Iterator
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import numpy as np
import shapely
import yaml
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Count
from django.db.models.functions import Substr
from django.utils import timezone

from langso.lib.errors import RuleViolation
from langso.territory.models import AdministrativeUnit, UnitType, Village, VillageType

from . import bulk
from .identifiers import rules as cccd_rules
from .models import BusinessHousehold, Household, Relation, Resident

# Role codes of the compositions in population_vn2019.yaml.
ROLES = {"H": Relation.HEAD, "S": Relation.SPOUSE, "C": Relation.CHILD, "P": Relation.PARENT,
         "L": Relation.CHILD_IN_LAW, "G": Relation.GRANDCHILD}
_H, _S, _C, _P, _L, _G = range(6)
_ROLE_INDEX = {"H": _H, "S": _S, "C": _C, "P": _P, "L": _L, "G": _G}
_ROLE_VALUES = np.array([ROLES[k].value for k in "HSCPLG"], dtype=object)
MALE_AT_BIRTH = 111.5 / 211.5  # sex ratio at birth, 2019 census
# Bijective scramble of a per-prefix counter into the 6 random digits of a CCCD (odd, not a
# multiple of 5, so invertible modulo 10**6): numbers stay unique across chunks and runs.
_SERIAL_A, _SERIAL_B = 387_371, 104_729
_MAX_SLOTS = 8


class CommunesNotEmpty(Exception):
    """Raised when a commune to populate already has households (nothing is ever deleted)."""


@functools.cache
def tables() -> dict[str, Any]:
    """The data files ``population_vn2019``, ``names_vi`` and ``demo_places`` (parsed, cached)."""
    root = resources.files("langso.registry").joinpath("data")
    return {name: yaml.safe_load(root.joinpath(f"{name}.yaml").read_text("utf-8"))
            for name in ("population_vn2019", "names_vi", "demo_places")}


def _weights(mapping: dict[str, float]) -> tuple[np.ndarray, np.ndarray]:
    names = np.array(list(mapping), dtype=object)
    p = np.array(list(mapping.values()), dtype=float)
    return names, p / p.sum()


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


@dataclass
class GenerationReport:
    """Counts written and timings in seconds: ``seconds`` end to end; ``write_seconds`` the inserts;
    ``generate_seconds`` the time the writer waited for rows drawn and validated by the producer
    (a worker thread or a child process working one chunk ahead)."""

    households: int = 0
    residents: int = 0
    businesses: int = 0
    villages_created: int = 0
    chunks: int = 0
    seconds: float = 0.0
    generate_seconds: float = 0.0
    write_seconds: float = 0.0
    producer: str = ""  # "thread" or "process": where rows were drawn and validated
    writers: int = 1  # connections writing at once


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


# --- the people ------------------------------------------------------------------------------

@dataclass
class _Compositions:
    roles: np.ndarray  # (K, 8) role codes, -1 padding
    ordinal: np.ndarray  # (K, 8) k-th occurrence of the role in the composition
    size: np.ndarray
    p: np.ndarray
    head_age: np.ndarray  # (K, 4) mean, sd, min, max
    head_male: np.ndarray
    stem: np.ndarray  # bool: the first child is married and lives here with spouse and children
    skipped: np.ndarray


@functools.cache
def _compositions() -> _Compositions:
    pop = tables()["population_vn2019"]
    sizes = {int(k): v for k, v in pop["household_sizes"].items()}
    total = sum(sizes.values())
    rows = []
    for size, comps in pop["compositions"].items():
        weight_sum = sum(c["weight"] for c in comps)
        for comp in comps:
            rows.append((int(size), comp, sizes[int(size)] / total * comp["weight"] / weight_sum))
    k = len(rows)
    roles = np.full((k, _MAX_SLOTS), -1)
    ordinal = np.zeros((k, _MAX_SLOTS), dtype=int)
    for i, (size, comp, _) in enumerate(rows):
        assert len(comp["roles"]) == size and comp["roles"][0] == "H", comp
        seen: dict[str, int] = {}
        for j, role in enumerate(comp["roles"]):
            roles[i, j] = _ROLE_INDEX[role]
            ordinal[i, j] = seen.get(role, 0)
            seen[role] = ordinal[i, j] + 1
    p = np.array([r[2] for r in rows])
    return _Compositions(
        roles=roles, ordinal=ordinal, size=np.array([r[0] for r in rows]), p=p / p.sum(),
        head_age=np.array([r[1]["head_age"] for r in rows], dtype=float),
        head_male=np.array([r[1]["head_male"] for r in rows]),
        stem=np.array([r[1]["kind"] == "stem" for r in rows]),
        skipped=np.array([r[1]["kind"] == "skipped" for r in rows]),
    )


def _truncated_normal(rng: np.random.Generator, mean: np.ndarray, sd: np.ndarray, low: np.ndarray,
                      high: np.ndarray) -> np.ndarray:
    x = rng.normal(mean, sd)
    for _ in range(8):
        bad = (x < low) | (x > high)
        if not bad.any():
            break
        x[bad] = rng.normal(mean[bad], sd[bad])
    return np.clip(np.rint(x), low, high).astype(int)


def _born_to(rng: np.random.Generator, mother_age: np.ndarray) -> np.ndarray:
    """Age of the eldest child at home of mothers aged ``mother_age``: the mother was 18–40 at the
    birth, most often in her twenties (demo choice); a mother too young for the drawn gap has a
    child of any age up to her age minus 18."""
    gap = np.clip(18 + np.rint(rng.gamma(2.0, 2.4, len(mother_age))), 18, 40).astype(int)
    age = mother_age - gap
    short = age < 0
    age[short] = np.floor(rng.random(int(short.sum())) * np.maximum(mother_age[short] - 17, 1)).astype(int)
    return age


def draw_people(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """Draw ``n`` households' members: per-household and per-person arrays (ages in whole years).

    Returns ``comp``, ``size``, ``offset`` (index of the head in the person arrays), and per person
    ``hh`` (household index), ``role`` (0..5 = H S C P L G), ``age``, ``male``. Pure numpy.
    """
    c = _compositions()
    comp = rng.choice(len(c.p), size=n, p=c.p)
    size = c.size[comp]
    ha = c.head_age[comp]
    head_age = _truncated_normal(rng, ha[:, 0], ha[:, 1], ha[:, 2], ha[:, 3])
    head_male = rng.random(n) < c.head_male[comp]
    has_spouse = (c.roles[comp] == _S).any(axis=1)
    age_diff = np.clip(np.rint(rng.normal(3, 3, n)), -4, 12).astype(int)
    spouse_age = np.maximum(np.where(head_male, head_age - age_diff, head_age + age_diff), 18)
    mother_age = np.where(has_spouse & head_male, spouse_age, head_age)
    spacing = np.clip(np.rint(2 + rng.gamma(2.0, 1.2, n)), 1, 9).astype(int)
    first_child = _born_to(rng, mother_age)
    # a married child living with the parents (stem family) is an adult
    first_child = np.where(c.stem[comp], np.maximum(first_child, 20), first_child)
    child_male = np.where(c.stem[comp], rng.random(n) < 0.85, rng.random(n) < MALE_AT_BIRTH)
    in_law_age = np.maximum(first_child + np.where(child_male, -1, 1) * np.clip(
        np.rint(rng.normal(2.5, 2.5, n)), -3, 9).astype(int), 18)
    grand_mother = np.where(child_male, in_law_age, first_child)
    first_grandchild = _born_to(rng, grand_mother)
    parent_age = np.minimum(head_age + np.clip(np.rint(rng.normal(27, 4, n)), 18, 40).astype(int), 99)

    offset = np.cumsum(size) - size
    hh = np.repeat(np.arange(n), size)
    slot = np.arange(len(hh)) - offset[hh]
    role = c.roles[comp[hh], slot]
    k = c.ordinal[comp[hh], slot]
    m = len(hh)
    u = rng.random(m)
    # a younger sibling who would be "unborn" at the usual spacing is younger than the elder one instead
    child = first_child[hh] - k * spacing[hh]
    child = np.where(child < 0, np.floor(u * first_child[hh]).astype(int), child)
    grandchild = first_grandchild[hh] - k * spacing[hh]
    grandchild = np.where(grandchild < 0, np.floor(u * first_grandchild[hh]).astype(int), grandchild)
    grandchild = np.where(c.skipped[comp[hh]], rng.integers(1, 16, m), grandchild)
    age = np.select(
        [role == _H, role == _S, role == _C, role == _L, role == _G, role == _P],
        [head_age[hh], spouse_age[hh], child, in_law_age[hh], grandchild,
         parent_age[hh] + 3 * (k == 0) * (role == _P)],
    )
    two_parents = (c.roles[comp[hh]] == _P).sum(axis=1) == 2
    male = np.select(
        [role == _H, role == _S, (role == _C) & (k == 0), role == _L, role == _P],
        [head_male[hh], ~head_male[hh], child_male[hh], ~child_male[hh],
         np.where(two_parents, k == 0, rng.random(m) < 0.3)],
        default=rng.random(m) < MALE_AT_BIRTH,
    )
    return {"comp": comp, "size": size, "offset": offset, "hh": hh, "role": role, "age": np.minimum(age, 99),
            "male": male.astype(bool), "head_male": head_male, "child_male": child_male}


def _choice(rng: np.random.Generator, mapping: dict[str, float], n: int) -> np.ndarray:
    names, p = _weights(mapping)
    return names[rng.choice(len(names), size=n, p=p)]


def draw_names(rng: np.random.Generator, people: dict[str, np.ndarray], birth_year: np.ndarray,
               local_names: np.ndarray) -> np.ndarray:
    """Full names "Family Middle Given" for the people of :func:`draw_people` (object array).

    ``local_names`` (bool per household) marks households drawing family names partly from the
    Mường/Thái table. Children and the head's father carry the father's line; wives keep theirs.
    """
    names = tables()["names_vi"]
    n = len(people["size"])
    hh, role, male = people["hh"], people["role"], people["male"]

    def family(count: int) -> np.ndarray:
        out = _choice(rng, names["surnames"], count)
        local = local_names & (rng.random(count) < 0.7)
        out[local] = _choice(rng, names["surnames_muong_thai"], int(local.sum()))
        return out

    line, wife, in_law, mother = family(n), family(n), family(n), family(n)
    head_male = people["head_male"]
    head_family = np.where(head_male, line, wife)
    grand_line = np.where(people["child_male"], line, in_law)
    surname = np.select(
        [role == _H, (role == _S) & male, role == _S, role == _C, role == _L, role == _G, (role == _P) & male],
        [head_family[hh], line[hh], wife[hh], line[hh], in_law[hh], grand_line[hh], head_family[hh]],
        default=mother[hh],
    )
    younger = birth_year >= names["younger_from_year"]
    middle = np.empty(len(hh), dtype=object)
    given = np.empty(len(hh), dtype=object)
    for sex_code, sex_mask in (("M", male), ("F", ~male)):
        for cohort, cohort_mask in (("older", ~younger), ("younger", younger)):
            mask = sex_mask & cohort_mask
            count = int(mask.sum())
            middle[mask] = _choice(rng, names["middle_names"][sex_code][cohort], count)
            given[mask] = _choice(rng, names["given_names"][sex_code][cohort], count)
            clash = mask & (middle == given)  # "Minh Minh" is not a name
            while clash.any():
                given[clash] = _choice(rng, names["given_names"][sex_code][cohort], int(clash.sum()))
                clash = mask & (middle == given)
    return surname + " " + middle + " " + given


def _payment_scale(share: float, pyramid: list[list[float]]) -> float:
    """Scale k with mean(min(0.995, k × w(age))) = ``share`` over people aged 15+ of the pyramid."""
    ages, q = [], []
    for low, high, pct, _ in pyramid:
        for a in range(int(low), int(high) + 1):
            if a >= 15:
                ages.append(a)
                q.append(pct / (high - low + 1))
    w = _payment_weight(np.array(ages))
    q_arr = np.array(q) / sum(q)
    lo, hi = 0.0, 3.0
    for _ in range(50):
        mid = (lo + hi) / 2
        if (q_arr * np.minimum(0.995, mid * w)).sum() < share:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def _payment_weight(age: np.ndarray) -> np.ndarray:
    """Relative propensity to hold an online payment account by age (demo choice: lower at 15–17 and 65+)."""
    return np.select([age < 15, age < 18, age < 60, age < 70], [0.0, 0.6, 1.0, 0.8], default=0.45)


# --- chunks of rows ---------------------------------------------------------------------------

class PopulationGenerator:
    """Rows for :func:`langso.registry.bulk.register_population`, chunk by chunk.

    ``plans`` must have their villages (:func:`prepare_villages`). ``cccd_counters`` maps a
    6-digit CCCD prefix (province, sex-century digit, 2-digit year) to how many numbers with it
    exist already; ``business_counters`` a commune id to its count of businesses. Both advance as
    chunks are drawn, so numbers stay unique.
    """

    def __init__(self, plans: list[CommunePlan], seed: int, as_of: dt.date, *,
                 cccd_counters: dict[int, int] | None = None, business_counters: dict[int, int] | None = None):
        self.plans = plans
        self.seed = seed
        self.as_of = as_of
        self.cccd_counters = dict(cccd_counters or {})
        self.business_counters = dict(business_counters or {})
        places = tables()["demo_places"]
        pyramid = tables()["population_vn2019"]["age_groups"]
        self.places = places
        self.payment_scale = np.array([_payment_scale(p.payment_share, pyramid) for p in plans])
        self.gps_share = np.array([p.gps_share for p in plans])
        self.cccd_province = np.array([p.cccd_province for p in plans])
        self.local_names = np.array([p.names == "muong_thai" for p in plans])
        low, high = places["business_share"]
        self.business_share = float(np.random.default_rng([seed, 2]).uniform(low, high))
        self.elsewhere = np.array([int(code) for code in places["born_elsewhere_provinces"]])
        self.phones = np.array(places["phone_prefixes"], dtype=object)
        sectors = places["business_sectors"]
        self.sectors = np.array(list(sectors), dtype=object)
        weights = np.array([s["weight"] for s in sectors.values()], dtype=float)
        self.sector_p = weights / weights.sum()
        self.prefixes = [np.array(s["prefixes"], dtype=object) for s in sectors.values()]
        self.full_names = [p.unit.full_name for p in plans]
        self.century = {(start, sex): int(digit) for digit, (start, sex) in cccd_rules().century_sex.items()}

    def chunks(self, chunk_size: int) -> Iterator[tuple[list, list, list]]:
        """Yield ``(households, residents, businesses)`` row lists of at most ``chunk_size`` households."""
        commune_of = np.repeat(np.arange(len(self.plans)), [p.households for p in self.plans])
        for number, start in enumerate(range(0, len(commune_of), chunk_size)):
            rng = np.random.default_rng([self.seed, 3, number])
            yield self._chunk(rng, commune_of[start:start + chunk_size])

    def _chunk(self, rng: np.random.Generator, ci: np.ndarray) -> tuple[list, list, list]:
        n = len(ci)
        people = draw_people(rng, n)
        hh, age, male, role = people["hh"], people["age"], people["male"], people["role"]
        m = len(hh)
        pci = ci[hh]  # commune index per person
        as_of = np.datetime64(self.as_of, "D")
        dob = as_of - (age * 365.2425 + rng.uniform(0, 365, m)).astype("timedelta64[D]")
        years = dob.astype("datetime64[Y]").astype(int) + 1970
        names = draw_names(rng, people, years, self.local_names[ci])

        # CCCD: due at 14 (Law 26/2023/QH15); province of birth mostly the commune's former province.
        has_cccd = (age >= 14) & (rng.random(m) < self.places["cccd_share_14_plus"])
        province = np.where(rng.random(m) < self.places["born_elsewhere_share"],
                            self.elsewhere[rng.integers(0, len(self.elsewhere), m)], self.cccd_province[pci])
        century_digit = (years // 100 - 19) * 2 + (~male)
        key = province * 1000 + century_digit * 100 + years % 100
        cccd = self._cccd_numbers(key, has_cccd)

        # phones and payment accounts depend on age
        share = self.places["phone_share"]
        phone_p = np.select([age < 15, age < 18, age < 70], [share["under_15"], share["age_15_17"], share["age_18_69"]],
                            default=share["age_70_plus"])
        has_phone = rng.random(m) < phone_p
        phone = self.phones[rng.integers(0, len(self.phones), m)] + np.char.zfill(
            rng.integers(0, 10_000_000, m).astype(str), 7).astype(object)
        paying = rng.random(m) < np.minimum(0.995, self.payment_scale[pci] * _payment_weight(age))

        lat, lon, village = self._locations(rng, ci)
        head_dob = dob[people["offset"]]
        earliest = head_dob + np.timedelta64(18 * 365, "D")
        registered = np.maximum(as_of - rng.integers(0, 30 * 365, n).astype("timedelta64[D]"), earliest)
        registered = np.minimum(registered, as_of)

        households = self._household_rows(ci, village, lat, lon, registered)
        residents = list(map(
            bulk.ResidentRow, hh.tolist(), names.tolist(), dob.astype(object).tolist(),
            np.where(male, "M", "F").astype(object).tolist(), _ROLE_VALUES[role].tolist(), cccd.tolist(),
            np.where(has_phone, phone, "").tolist(), paying.tolist(),
        ))
        businesses = self._businesses(rng, people, ci, names, dob, lat, lon, households)
        return households, residents, businesses

    def _cccd_numbers(self, key: np.ndarray, has: np.ndarray) -> np.ndarray:
        """Unique CCCDs ``{prefix:06d}{serial:06d}`` where ``has``, else ``None`` (object array)."""
        out = np.full(len(key), None, dtype=object)
        idx = np.flatnonzero(has)
        if not len(idx):
            return out
        keys = key[idx]
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        uniq, first, counts = np.unique(sorted_keys, return_index=True, return_counts=True)
        base = np.array([self.cccd_counters.get(int(u), 0) for u in uniq])
        if (base + counts > 1_000_000).any():
            raise ValueError("more than a million CCCDs for one province, sex and birth year")
        rank = np.arange(len(keys)) - np.repeat(first, counts) + np.repeat(base, counts)
        # the offset varies with the prefix so that serials do not repeat across prefixes
        serial = (_SERIAL_A * rank + _SERIAL_B * np.repeat(uniq, counts)) % 1_000_000
        for u, b, c in zip(uniq.tolist(), base.tolist(), counts.tolist()):
            self.cccd_counters[u] = b + c
        numbers = np.char.add(np.char.zfill(sorted_keys.astype(str), 6), np.char.zfill(serial.astype(str), 6))
        out[idx[order]] = numbers.astype(object)
        return out

    def _locations(self, rng: np.random.Generator, ci: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per household: latitude and longitude (NaN without GPS) and the village index in its plan."""
        n = len(ci)
        lat = np.full(n, np.nan)
        lon = np.full(n, np.nan)
        village = np.zeros(n, dtype=int)
        gps = rng.random(n) < self.gps_share[ci]
        for c in np.unique(ci).tolist():
            plan = self.plans[c]
            rows = np.flatnonzero(ci == c)
            v = rng.choice(len(plan.village_weights), size=len(rows), p=plan.village_weights)
            village[rows] = v
            rows_gps = rows[gps[rows]]
            if plan.village_centres is None or not len(rows_gps):
                continue
            centre = plan.village_centres[village[rows_gps]]
            sx, sy = plan.spread_deg
            x = centre[:, 0] + rng.normal(0, sx, len(rows_gps))
            y = centre[:, 1] + rng.normal(0, sy, len(rows_gps))
            if plan.geometry is not None:
                outside = ~shapely.contains_xy(plan.geometry, x, y)
                for _ in range(30):
                    if not outside.any():
                        break
                    k = int(outside.sum())
                    x[outside] = centre[outside, 0] + rng.normal(0, sx, k)
                    y[outside] = centre[outside, 1] + rng.normal(0, sy, k)
                    outside[outside] = ~shapely.contains_xy(plan.geometry, x[outside], y[outside])
                x[outside], y[outside] = centre[outside, 0], centre[outside, 1]  # the centre is inside
            lon[rows_gps] = np.round(x, 6)
            lat[rows_gps] = np.round(y, 6)
        return lat, lon, village

    def _household_rows(self, ci: np.ndarray, village: np.ndarray, lat: np.ndarray, lon: np.ndarray,
                        registered: np.ndarray) -> list[bulk.HouseholdRow]:
        n = len(ci)
        commune = np.array([p.unit.pk for p in self.plans])[ci]
        village_id = np.full(n, None, dtype=object)
        address = np.empty(n, dtype=object)
        for c in np.unique(ci).tolist():
            plan, rows = self.plans[c], np.flatnonzero(ci == c)
            if plan.village_ids:
                village_id[rows] = np.array(plan.village_ids, dtype=object)[village[rows]]
                labels = np.array([f"{label}, {self.full_names[c]}" for label in plan.village_labels], dtype=object)
                address[rows] = labels[village[rows]]
            else:
                address[rows] = self.full_names[c]
        located = ~np.isnan(lat)  # NaN marks a home without GPS
        lat_obj = np.where(located, lat, None).tolist()
        lon_obj = np.where(located, lon, None).tolist()
        return list(map(bulk.HouseholdRow, commune.tolist(), village_id.tolist(), address.tolist(), lat_obj, lon_obj,
                        registered.astype(object).tolist()))

    def _businesses(self, rng: np.random.Generator, people: dict[str, np.ndarray], ci: np.ndarray,
                    names: np.ndarray, dob: np.ndarray, lat: np.ndarray, lon: np.ndarray,
                    households: list[bulk.HouseholdRow]) -> list[bulk.BusinessRow]:
        """3–5 % of households run a business, owned by the head or the spouse (adults)."""
        n = len(ci)
        chosen = np.flatnonzero(rng.random(n) < self.business_share)
        if not len(chosen):
            return []
        offset, role, age = people["offset"], people["role"], people["age"]
        owner = offset[chosen].copy()
        spouse = owner + 1
        use_spouse = (people["size"][chosen] > 1) & (rng.random(len(chosen)) < 0.35)
        use_spouse &= role[np.minimum(spouse, len(role) - 1)] == _S
        use_spouse &= (age[np.minimum(spouse, len(age) - 1)] >= 18)
        owner[use_spouse] = spouse[use_spouse]
        sector = rng.choice(len(self.sectors), size=len(chosen), p=self.sector_p)
        as_of = np.datetime64(self.as_of, "D")
        adult = dob[owner] + np.timedelta64(19 * 365, "D")
        opened = np.minimum(np.maximum(as_of - rng.integers(0, 15 * 365, len(chosen)).astype("timedelta64[D]"),
                                       adult), as_of)
        rows = []
        for h, o, s, day, pick in zip(chosen.tolist(), owner.tolist(), sector.tolist(), opened.astype(object).tolist(),
                                      rng.random(len(chosen)).tolist()):
            parts = names[o].split(" ")
            # "Tạp hóa Minh Anh": the owner's given name, or middle and given names of the first child
            suffix = parts[-1]
            child = offset[h] + 2
            if pick < 0.35 and child < offset[h] + people["size"][h] and role[child] == _C:
                child_parts = names[child].split(" ")
                if child_parts[-2] not in ("Văn", "Thị"):
                    suffix = " ".join(child_parts[-2:])
            prefixes = self.prefixes[s]
            prefix = prefixes[int(pick * 7919) % len(prefixes)]
            plan = self.plans[ci[h]]
            number = self.business_counters.get(plan.unit.pk, 0) + 1
            self.business_counters[plan.unit.pk] = number
            home = households[h]
            rows.append(bulk.BusinessRow(
                int(o), f"HKD-{plan.unit.code}-{number:05d}", f"{prefix} {suffix}", self.sectors[s], home.address,
                home.latitude, home.longitude, day,
            ))
        return rows


# --- the whole run ---------------------------------------------------------------------------

def tune_connection_for_bulk(using: str = DEFAULT_DB_ALIAS, cache_mb: int = 512) -> None:
    """Give a SQLite connection a page cache of ``cache_mb`` MiB for a large load (default 2 MiB
    makes every index insert of a million-row table read pages back from the OS). Connection-only;
    nothing on PostgreSQL, whose buffers are the server's."""
    connection = connections[using]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = -{int(cache_mb) * 1024}")


def existing_cccd_counters(using: str = DEFAULT_DB_ALIAS) -> dict[int, int]:
    """How many recorded CCCDs share each 6-digit prefix (one GROUP BY; empty for an empty table)."""
    if not Resident.objects.using(using).filter(cccd__isnull=False).exists():
        return {}
    rows = (Resident.objects.using(using).filter(cccd__isnull=False).annotate(prefix=Substr("cccd", 1, 6))
            .values("prefix").annotate(n=Count("id")).values_list("prefix", "n"))
    return {int(prefix): n for prefix, n in rows if prefix.isdigit()}


def generate_population(
    actor: Any, units: list[AdministrativeUnit], households: int, *, seed: int = 1, chunk_size: int = 10_000,
    as_of: dt.date | None = None, progress: Callable[[GenerationReport], None] | None = None,
    using: str = DEFAULT_DB_ALIAS, producer: str | None = None, writers: int | None = None,
) -> GenerationReport:
    """Populate ``units`` (current communes) with ``households`` households split evenly.

    Creates villages where a commune has none, then writes households, residents and
    businesses through :func:`langso.registry.bulk.register_population`, ``chunk_size``
    households per transaction (memory stays bounded). ``as_of`` (default today) is the day ages
    are counted at. ``producer`` is where rows are drawn and validated while the previous chunk
    is written: ``"thread"`` or ``"process"`` (forked; the default for SQLite runs of several
    chunks, as SQLite's inserts hold the GIL). ``writers`` is how many connections write at once
    (default: 2 on PostgreSQL outside a transaction for runs of several chunks, else 1).

    Raises :class:`CommunesNotEmpty` if any commune already has households — nothing is ever
    deleted from the registry, so use a fresh database — ``ValueError`` for several writers on
    SQLite or inside a transaction, and what the bulk action raises
    (:class:`~langso.lib.errors.RuleViolation`, ``Http404``).
    """
    if households < 0 or chunk_size < 1:
        raise ValueError("households must be >= 0 and chunk_size >= 1")
    if not units:
        raise ValueError("no commune to populate")
    busy = sorted(Household.objects.using(using).filter(commune__in=units).values_list("commune__code", flat=True)
                  .distinct())
    if busy:
        raise CommunesNotEmpty(
            f"Các xã {', '.join(busy)} đã có hộ; sổ hộ không bao giờ bị xóa — hãy dùng một cơ sở dữ liệu mới. — "
            f"Communes {', '.join(busy)} already have households; the registry never deletes, so generate into a "
            f"fresh database.")
    as_of = as_of or timezone.localdate()
    report = GenerationReport()
    started = time.perf_counter()
    plans = plan_communes(units, households, seed)
    report.villages_created = prepare_villages(actor, plans, seed, using)
    counters = existing_cccd_counters(using)
    business_counters = dict(BusinessHousehold.objects.using(using).filter(commune__in=units)
                             .values("commune").annotate(n=Count("id")).values_list("commune", "n"))
    generator = PopulationGenerator(plans, seed, as_of, cccd_counters=counters, business_counters=business_counters)
    if producer is None:
        # A thread suits PostgreSQL (the server does the heavy work while the thread draws), but
        # SQLite's inserts hold the GIL between rows, so there a forked process draws instead.
        producer = ("process" if connections[using].vendor == "sqlite" and households > chunk_size
                    and "fork" in multiprocessing.get_all_start_methods() else "thread")
    report.producer = producer
    connection = connections[using]
    if writers is None:
        # PostgreSQL works each batch in its own server process: two connections keep two cores
        # busy. Inside a caller's transaction every row must go through that one connection.
        writers = 2 if (connection.vendor == "postgresql" and not connection.in_atomic_block
                        and households > 2 * chunk_size) else 1
    if writers > 1 and (connection.vendor != "postgresql" or connection.in_atomic_block):
        raise ValueError("several writers need PostgreSQL and no enclosing transaction")
    report.writers = writers

    def done(prepared: bulk.PreparedPopulation, seconds: float) -> None:
        report.write_seconds += seconds
        report.households += len(prepared.household_rows)
        report.residents += len(prepared.resident_rows)
        report.businesses += len(prepared.business_rows)
        report.chunks += 1
        report.seconds = time.perf_counter() - started
        if progress is not None:
            progress(report)

    # Millions of short-lived row objects without reference cycles: the cyclic garbage collector
    # would rescan them over and over (about a quarter of the drawing and validating time).
    gc_was_enabled = gc.isenabled()
    gc.disable()
    chunks = (_chunks_from_process if producer == "process" else _chunks_from_thread)(generator, chunk_size, as_of)
    try:
        if writers == 1:
            for prepared, waited in chunks:
                report.generate_seconds += waited
                t1 = time.perf_counter()
                bulk.write_population(actor, prepared, source="generate_population", using=using)
                done(prepared, time.perf_counter() - t1)
        else:
            _write_concurrently(actor, chunks, writers, report, done, using)
    finally:
        chunks.close()  # stops the producer if a write failed
        if gc_was_enabled:
            gc.enable()
    report.seconds = time.perf_counter() - started
    return report


def _write_concurrently(actor: Any, chunks: Iterator[tuple[bulk.PreparedPopulation, float]], writers: int,
                       report: GenerationReport, done: Callable[[bulk.PreparedPopulation, float], None],
                       using: str) -> None:
    """Write chunks on ``writers`` PostgreSQL connections at once. Keys are reserved here, in chunk
    order, so the same seed still gives the same ids in an empty database."""
    opened: list[Any] = []

    def write(prepared: bulk.PreparedPopulation, keys: bulk.Keys) -> float:
        connection = connections[using]  # this thread's own connection
        if connection not in opened:
            connection.inc_thread_sharing()  # so the caller's thread may close it at the end
            opened.append(connection)
        t0 = time.perf_counter()
        bulk.write_population(actor, prepared, keys=keys, source="generate_population", using=using)
        return time.perf_counter() - t0

    in_flight: deque[tuple[Future, bulk.PreparedPopulation]] = deque()
    try:
        with ThreadPoolExecutor(max_workers=writers, thread_name_prefix="demo-writer") as pool:
            for prepared, waited in chunks:
                report.generate_seconds += waited
                keys = bulk.reserve_keys(prepared, using=using)
                in_flight.append((pool.submit(write, prepared, keys), prepared))
                while len(in_flight) >= writers:
                    future, finished = in_flight.popleft()
                    done(finished, future.result())
            while in_flight:
                future, finished = in_flight.popleft()
                done(finished, future.result())
    finally:
        for connection in opened:
            connection.close()


def _chunks_from_thread(generator: PopulationGenerator, chunk_size: int,
                        as_of: dt.date) -> Iterator[tuple[bulk.PreparedPopulation, float]]:
    """Prepared chunks drawn and validated by a worker thread one chunk ahead of the caller,
    with the seconds the caller waited for each."""
    chunks = generator.chunks(chunk_size)

    def produce() -> bulk.PreparedPopulation | None:
        batch = next(chunks, None)
        return None if batch is None else bulk.prepare_population(*batch, today=as_of)

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="demo-generator") as pool:
        pending = pool.submit(produce)
        while True:
            t0 = time.perf_counter()
            prepared = pending.result()
            waited = time.perf_counter() - t0
            if prepared is None:
                return
            pending = pool.submit(produce)  # one chunk ahead: memory stays bounded
            yield prepared, waited


def _chunks_from_process(generator: PopulationGenerator, chunk_size: int,
                         as_of: dt.date) -> Iterator[tuple[bulk.PreparedPopulation, float]]:
    """Prepared chunks from a forked child process (it inherits the generator; it never touches
    the database). The pipe holds back the child once a chunk waits, so memory stays bounded."""
    receiver, sender = multiprocessing.get_context("fork").Pipe(duplex=False)
    child = multiprocessing.get_context("fork").Process(
        target=_produce_into, args=(sender, generator, chunk_size, as_of), name="demo-generator", daemon=True)
    child.start()
    sender.close()
    try:
        while True:
            t0 = time.perf_counter()
            kind, payload = pickle.loads(receiver.recv_bytes())
            waited = time.perf_counter() - t0
            if kind == "done":
                return
            if kind == "rule":
                raise RuleViolation(*payload)
            if kind == "error":
                raise RuntimeError(f"demo generator process failed:\n{payload}")
            yield payload, waited
    finally:
        receiver.close()
        child.join(timeout=5)
        if child.is_alive():
            child.terminate()
            child.join()


def _produce_into(sender: Any, generator: PopulationGenerator, chunk_size: int, as_of: dt.date) -> None:
    """Child process: draw, validate and send every chunk (without input rows: half the bytes)."""
    gc.disable()
    try:
        for batch in generator.chunks(chunk_size):
            prepared = bulk.prepare_population(*batch, today=as_of).without_input_rows()
            sender.send_bytes(pickle.dumps(("chunk", prepared), protocol=pickle.HIGHEST_PROTOCOL))
        sender.send_bytes(pickle.dumps(("done", None)))
    except RuleViolation as exc:
        sender.send_bytes(pickle.dumps(("rule", (exc.field, exc.rule, exc.vi, exc.en, exc.source))))
    except BaseException:  # noqa: BLE001 — reported to the parent, which raises
        sender.send_bytes(pickle.dumps(("error", traceback.format_exc())))
    finally:
        sender.close()
