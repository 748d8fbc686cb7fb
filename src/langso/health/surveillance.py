"""Outbreak rules as pure functions (no database): the evaluation in :mod:`.actions` feeds them
rows and stores what they find. Parameters come from data/outbreak_rules.yaml.

Distances are great-circle (haversine, mean Earth radius 6,371,008.8 m — IUGG), accurate to
well under 1 m at 200 m, which is what the 199 m / 201 m boundary tests need.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

EARTH_RADIUS_M = 6_371_008.8


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres between two WGS84 points given in degrees."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def offset_point(lat: float, lon: float, north_m: float, east_m: float) -> tuple[float, float]:
    """The point ``north_m``/``east_m`` metres from (lat, lon) on the local tangent plane (tests,
    demo). Returns (lat, lon) in degrees."""
    dlat = math.degrees(north_m / EARTH_RADIUS_M)
    dlon = math.degrees(east_m / (EARTH_RADIUS_M * math.cos(math.radians(lat))))
    return lat + dlat, lon + dlon


# --- Decision 02/2016/QĐ-TTg: group B/C, monthly count above the 3-year mean -----------------

def above_baseline(month_count: int, previous_years: Sequence[int], baseline_years: int = 3) -> bool:
    """True when ``month_count`` exceeds the mean of the same month over the ``baseline_years``
    previous years (``previous_years``: their counts; missing years count as 0). Exactly at the
    mean is not an epidemic ("vượt quá" = strictly greater)."""
    counts = list(previous_years)[:baseline_years] + [0] * (baseline_years - len(previous_years))
    return month_count * baseline_years > sum(counts)  # integer form of count > mean


# --- Dengue foci -----------------------------------------------------------------------------

@dataclass(frozen=True)
class CasePoint:
    """A case for the focus rule: id, onset date, WGS84 location."""

    id: int
    onset: dt.date
    lat: float
    lon: float


@dataclass
class Focus:
    """Linked cases (≥ ``min_cases``); ``closed_on`` is set when ``closure_days`` have passed since
    the last onset at the evaluation date."""

    cases: list[CasePoint] = field(default_factory=list)
    closed_on: dt.date | None = None

    @property
    def first_onset(self) -> dt.date:
        return min(c.onset for c in self.cases)

    @property
    def last_onset(self) -> dt.date:
        return max(c.onset for c in self.cases)

    @property
    def key(self) -> str:
        """The id of its earliest case (by onset, then id), as text."""
        return str(min(self.cases, key=lambda c: (c.onset, c.id)).id)

    @property
    def centre(self) -> tuple[float, float]:
        return (sum(c.lat for c in self.cases) / len(self.cases), sum(c.lon for c in self.cases) / len(self.cases))


def linked(a: CasePoint, b: CasePoint, radius_m: float, window_days: int) -> bool:
    """Two cases belong to the same focus when at most ``radius_m`` metres (inclusive) and at most
    ``window_days`` days (inclusive) apart."""
    return abs((a.onset - b.onset).days) <= window_days and haversine_m(a.lat, a.lon, b.lat, b.lon) <= radius_m


def dengue_foci(cases: Sequence[CasePoint], as_of: dt.date, *, radius_m: float = 200, window_days: int = 14,
                min_cases: int = 2, closure_days: int = 14) -> list[Focus]:
    """Group cases with onset on or before ``as_of`` into foci: connected components of the
    "linked" relation (single linkage) with at least ``min_cases`` cases. A focus is closed on
    ``last onset + closure_days`` when that day is on or before ``as_of``.

    O(n²) in the cases of one commune and season: a few hundred at most.
    """
    pts = sorted((c for c in cases if c.onset <= as_of), key=lambda c: (c.onset, c.id))
    parent = list(range(len(pts)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(pts)):
        for j in range(i + 1, len(pts)):
            if (pts[j].onset - pts[i].onset).days > window_days:
                break
            if linked(pts[i], pts[j], radius_m, window_days):
                parent[find(j)] = find(i)
    groups: dict[int, list[CasePoint]] = {}
    for i, p in enumerate(pts):
        groups.setdefault(find(i), []).append(p)
    foci = []
    for members in groups.values():
        if len(members) < min_cases:
            continue
        focus = Focus(members)
        closing = focus.last_onset + dt.timedelta(days=closure_days)
        focus.closed_on = closing if closing <= as_of else None
        foci.append(focus)
    return sorted(foci, key=lambda f: (f.first_onset, f.key))


def focus_area(focus: Focus, radius_m: float = 200) -> dict:
    """The focus area as a GeoJSON geometry: the union of ``radius_m`` buffers around its cases,
    buffered on a local equirectangular projection centred on the focus (error < 0.1 % at 200 m)."""
    from shapely.geometry import Point, mapping
    from shapely.ops import unary_union

    lat0, lon0 = focus.centre
    kx = EARTH_RADIUS_M * math.cos(math.radians(lat0)) * math.pi / 180
    ky = EARTH_RADIUS_M * math.pi / 180
    local = unary_union([Point((c.lon - lon0) * kx, (c.lat - lat0) * ky).buffer(radius_m, 16) for c in focus.cases])
    from shapely.affinity import affine_transform

    wgs = affine_transform(local, [1 / kx, 0, 0, 1 / ky, lon0, lat0])
    geo = mapping(wgs)
    return _round(geo)


def _round(geo: dict) -> dict:
    def r(c):
        if isinstance(c, (list, tuple)) and c and isinstance(c[0], (int, float)):
            return [round(c[0], 6), round(c[1], 6)]
        return [r(x) for x in c]

    return {"type": geo["type"], "coordinates": r(geo["coordinates"])}
