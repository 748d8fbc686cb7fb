"""Demo points of interest for the demo communes (``data/demo_places.yaml``).

Each place is put near one of the commune's village centres (a normal offset of ~300 m), kept
inside the commune's boundary, drawn from a generator seeded by ``seed`` and the commune code,
so the same seed gives the same map. Idempotent: a place that exists (same commune, category and
name) is left as it is.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import shapely
import yaml

from langso.addressing.quality import unit_geometry
from langso.territory.models import AdministrativeUnit, Village

from . import actions
from .categories import ensure_default_categories
from .models import Place

DATA = Path(__file__).parent / "data" / "demo_places.yaml"


def _rng(seed: int, code: str) -> np.random.Generator:
    digest = hashlib.sha256(f"{seed}:{code}:places".encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:8], "big"))


def create_demo_places(seed: int, commune_codes: list[str]) -> int:
    """Create the demo places of the listed current communes; returns how many were created."""
    ensure_default_categories()
    table = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    created = 0
    for commune in AdministrativeUnit.objects.current().communes().filter(code__in=commune_codes):
        entries = table.get(commune.code, [])
        if not entries:
            continue
        rng = _rng(seed, commune.code)
        geom = unit_geometry(commune)
        centres = list(Village.objects.filter(commune=commune, centre_lat__isnull=False)
                       .order_by("pk").values_list("centre_lat", "centre_lon"))
        if not centres:
            if geom is not None:
                point = geom.representative_point()
                centres = [(point.y, point.x)]
            elif commune.centroid_lat is not None:
                centres = [(commune.centroid_lat, commune.centroid_lon)]
            else:
                continue
        for entry in entries:
            category, name = entry[0], entry[1]
            description = entry[2] if len(entry) > 2 else ""
            lat0, lon0 = centres[int(rng.integers(len(centres)))]
            for _ in range(50):
                lat = lat0 + rng.normal(0, 0.0027)
                lon = lon0 + rng.normal(0, 0.0027)
                if geom is None or geom.contains(shapely.Point(lon, lat)):
                    break
            else:
                lat, lon = lat0, lon0
            if Place.objects.filter(commune=commune, category__key=category, name=name).exists():
                continue
            actions.create_place(None, commune, category=category, name=name, latitude=lat, longitude=lon,
                                 description=description, allow_outside=True)
            created += 1
    return created
