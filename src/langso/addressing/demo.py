"""The demo's digital addresses: every household of the demo communes located and coded.

``issue_demo_addresses(seed, commune_codes)`` (called by ``langso demo`` after the population):

1. creates the demo points of interest (:func:`langso.maps.demo.create_demo_places`);
2. simulates the field survey: each household without GPS gets a point near its village
   centre, inside the commune, stored through :func:`~langso.addressing.actions.set_household_location`;
3. plants a few realistic survey mistakes outside the reference commune (about 1 household in
   400 moved 3–6 km, as when a digit of a coordinate is mistyped), so the outlier list and the
   "verified GPS" indicator have something to show — only on the first run;
4. issues a code to every household (:func:`~langso.addressing.actions.assign_codes`), checks every
   location and builds the map clusters.

Idempotent: a second run finds nothing to do. The same seed gives the same points.
"""

from __future__ import annotations

import hashlib

import numpy as np
import shapely

from langso.registry.models import Household
from langso.territory.models import AdministrativeUnit, Village

from . import actions, clusters
from .models import LocationCheck
from .quality import unit_geometry

REFERENCE_COMMUNE = "09154"
MISTAKE_SHARE = 1 / 400


def _rng(seed: int, code: str, what: str) -> np.random.Generator:
    digest = hashlib.sha256(f"{seed}:{code}:{what}".encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:8], "big"))


def _survey_points(commune: AdministrativeUnit, rng: np.random.Generator) -> dict[int, tuple[float, float]]:
    geom = unit_geometry(commune)
    centres = dict(
        (pk, (lat, lon)) for pk, lat, lon in Village.objects.filter(commune=commune, centre_lat__isnull=False)
        .values_list("pk", "centre_lat", "centre_lon")
    )
    fallback = (commune.centroid_lat, commune.centroid_lon)
    if geom is not None:
        p = geom.representative_point()
        fallback = (p.y, p.x)
    points = {}
    for pk, village_id in Household.objects.filter(commune=commune, dissolved_on__isnull=True,
                                                    latitude__isnull=True).values_list("pk", "village_id"):
        lat0, lon0 = centres.get(village_id, fallback)
        if lat0 is None:
            continue
        for _ in range(50):
            lat, lon = lat0 + rng.normal(0, 0.004), lon0 + rng.normal(0, 0.004)
            if geom is None or geom.contains(shapely.Point(lon, lat)):
                break
        else:
            lat, lon = lat0, lon0
        points[pk] = (round(lat, 6), round(lon, 6))
    return points


def _mistakes(commune: AdministrativeUnit, rng: np.random.Generator) -> dict[int, tuple[float, float]]:
    ids = list(Household.objects.filter(commune=commune, dissolved_on__isnull=True, latitude__isnull=False)
               .order_by("pk").values_list("pk", "latitude", "longitude"))
    count = int(len(ids) * MISTAKE_SHARE)
    if not count:
        return {}
    picked = rng.choice(len(ids), size=count, replace=False)
    out = {}
    for i in picked.tolist():
        pk, lat, lon = ids[i]
        angle = rng.uniform(0, 2 * np.pi)
        km = rng.uniform(3, 6)
        out[pk] = (round(lat + km / 111.2 * np.sin(angle), 6), round(lon + km / 103.6 * np.cos(angle), 6))
    return out


def issue_demo_addresses(seed: int, commune_codes: list[str]) -> dict[str, int]:
    """Locate, code, check and cluster every household of the listed current communes.

    Returns counts: ``places`` created, ``surveyed`` points added, ``mistakes`` planted,
    ``issued`` codes, ``outliers`` found, ``clusters`` rows written.
    """
    from langso.maps.demo import create_demo_places

    totals = {"places": create_demo_places(seed, commune_codes), "surveyed": 0, "mistakes": 0, "issued": 0,
              "outliers": 0, "clusters": 0}
    for commune in AdministrativeUnit.objects.current().communes().filter(code__in=commune_codes).order_by("code"):
        first_run = not LocationCheck.objects.filter(commune=commune).exists()
        survey = _survey_points(commune, _rng(seed, commune.code, "survey"))
        totals["surveyed"] += actions.record_survey_locations(None, commune, survey, source="demo survey")
        if first_run and commune.code != REFERENCE_COMMUNE:
            mistakes = _mistakes(commune, _rng(seed, commune.code, "mistakes"))
            totals["mistakes"] += actions.record_survey_locations(None, commune, mistakes, source="demo survey")
        totals["issued"] += actions.assign_codes(None, commune).issued
        summary = actions.check_locations(None, commune)
        totals["outliers"] += summary.outside + summary.far_from_village
        totals["clusters"] += clusters.refresh_commune(commune)
    return totals
