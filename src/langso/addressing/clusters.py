"""Households on the map at any zoom: H3 clusters when zoomed out, points when zoomed in.

A province has about a million households. A browser cannot draw them, and counting them per
cell on every pan would scan the table. So the households of each commune are counted per H3
cell (Uber's hierarchical hexagons, ``h3`` package) at resolutions 5–9 once, stored in
:class:`~langso.addressing.models.HouseholdCluster` with the cell's mean point, and a viewport
at zoom < :data:`POINT_ZOOM` reads only the cluster rows whose point falls in it (an index on
(resolution, latitude, longitude)). At :data:`POINT_ZOOM` and above the households themselves
are read, restricted to the communes whose extent meets the viewport (the (commune, village)
index), at most :data:`POINT_LIMIT`.

Freshness: a commune's clusters are rebuilt by the addressing actions and commands (bulk
assignment, ``langso refresh_map_clusters``, the demo) and, when a commune map is opened, if the
commune's fingerprint (count, largest id and coordinate sums of its located households) changed.
Points are always live.

Zoom → H3 resolution (average hexagon area, Uber H3 tables): ≤8 → 5 (253 km²), 9–10 → 6
(36 km²), 11–12 → 7 (5.2 km²), 13–14 → 8 (0.74 km²), 15 → 9 (0.11 km²), ≥16 → points.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import h3
import numpy as np
from django.db import transaction
from django.db.models import BigIntegerField, Count, F, Max, Sum
from django.db.models.functions import Cast

from langso.registry.models import Household
from langso.territory.models import AdministrativeUnit

from .models import ClusterState, HouseholdCluster

RESOLUTIONS = (5, 6, 7, 8, 9)
POINT_ZOOM = 16
POINT_LIMIT = 5000


def resolution_for_zoom(zoom: int) -> int | None:
    """The H3 resolution drawn at a web-map ``zoom`` (Leaflet/OSM levels), ``None`` for points."""
    if zoom >= POINT_ZOOM:
        return None
    if zoom <= 8:
        return 5
    return {9: 6, 10: 6, 11: 7, 12: 7, 13: 8, 14: 8, 15: 9}[zoom]


def _located(commune_ids: Iterable[int]):
    return Household.objects.filter(commune_id__in=list(commune_ids), dissolved_on__isnull=True,
                                     latitude__isnull=False, longitude__isnull=False)


def fingerprints(commune_ids: Iterable[int]) -> dict[int, str]:
    """``{commune id: fingerprint}`` of the located, active households (one GROUP BY): count,
    largest id and the sums of the coordinates in integer micro-degrees (integer sums are exact,
    so the fingerprint does not depend on the order a parallel plan adds the rows in)."""
    micro = {axis: Sum(Cast(F(axis) * 1_000_000, BigIntegerField())) for axis in ("latitude", "longitude")}
    rows = (
        _located(commune_ids).values("commune_id")
        .annotate(n=Count("pk"), top=Max("pk"), slat=micro["latitude"], slon=micro["longitude"])
    )
    return {r["commune_id"]: f"{r['n']}:{r['top']}:{r['slat']}:{r['slon']}" for r in rows}


def refresh_commune(commune: AdministrativeUnit, fingerprint: str | None = None) -> int:
    """Rebuild the clusters of one commune; returns the number of cluster rows written."""
    rows = np.array(list(_located([commune.pk]).values_list("latitude", "longitude")), dtype=float).reshape(-1, 2)
    if fingerprint is None:
        fingerprint = fingerprints([commune.pk]).get(commune.pk, "0")
    objs: list[HouseholdCluster] = []
    if len(rows):
        lat, lon = rows[:, 0], rows[:, 1]
        finest = [h3.latlng_to_cell(a, b, RESOLUTIONS[-1]) for a, b in zip(lat.tolist(), lon.tolist())]
        for res in RESOLUTIONS:
            cells = finest if res == RESOLUTIONS[-1] else [h3.cell_to_parent(c, res) for c in finest]
            names, inverse, counts = np.unique(np.array(cells), return_inverse=True, return_counts=True)
            slat = np.bincount(inverse, weights=lat)
            slon = np.bincount(inverse, weights=lon)
            objs += [
                HouseholdCluster(commune_id=commune.pk, resolution=res, cell=str(name), count=int(n),
                                 latitude=round(float(a / n), 6), longitude=round(float(b / n), 6))
                for name, n, a, b in zip(names.tolist(), counts.tolist(), slat.tolist(), slon.tolist())
            ]
    with transaction.atomic():
        HouseholdCluster.objects.filter(commune_id=commune.pk).delete()
        HouseholdCluster.objects.bulk_create(objs, batch_size=2000)
        ClusterState.objects.update_or_create(commune_id=commune.pk, defaults={"fingerprint": fingerprint})
    return len(objs)


def ensure_fresh(communes: Iterable[AdministrativeUnit]) -> int:
    """Rebuild the clusters of the given communes whose households changed; returns how many."""
    communes = list(communes)
    current = fingerprints([c.pk for c in communes])
    stored = dict(ClusterState.objects.filter(commune__in=communes).values_list("commune_id", "fingerprint"))
    rebuilt = 0
    for commune in communes:
        fp = current.get(commune.pk, "0")
        if stored.get(commune.pk) != fp:
            refresh_commune(commune, fp)
            rebuilt += 1
    return rebuilt


@dataclass(frozen=True)
class Bbox:
    """A viewport in WGS84 degrees."""

    west: float
    south: float
    east: float
    north: float

    def intersects(self, other: tuple[float, float, float, float]) -> bool:
        w, s, e, n = other
        return not (e < self.west or w > self.east or n < self.south or s > self.north)


def clusters_in(commune_ids: list[int] | None, bbox: Bbox, resolution: int) -> list[dict]:
    """Clusters of the resolution whose mean point is inside ``bbox``, merged across communes
    (a cell on a commune border has one row per commune). ``commune_ids=None``: every commune."""
    qs = HouseholdCluster.objects.filter(
        resolution=resolution, latitude__gte=bbox.south, latitude__lte=bbox.north,
        longitude__gte=bbox.west, longitude__lte=bbox.east,
    )
    if commune_ids is not None:
        qs = qs.filter(commune_id__in=commune_ids)
    merged: dict[str, list[float]] = {}
    for cell, n, lat, lon in qs.values_list("cell", "count", "latitude", "longitude").iterator(chunk_size=5000):
        acc = merged.setdefault(cell, [0, 0.0, 0.0])
        acc[0] += n
        acc[1] += lat * n
        acc[2] += lon * n
    return [
        {"cell": cell, "count": int(n), "lat": round(a / n, 6), "lon": round(b / n, 6)}
        for cell, (n, a, b) in merged.items()
    ]
