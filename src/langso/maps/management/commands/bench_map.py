"""``langso bench_map``: viewport queries of the officials' households layer, timed per zoom.

Each request is what the map sends on a pan or zoom: ``GET /maps/data/households.geojson``
with the viewport's ``bbox`` (a 1366 × 768 px window at that zoom, centred on a random
household of the province), the ``zoom`` and the province focus, signed in as a province
officer (the widest ordinary scope: every commune of the province). It goes through Django's
whole request stack (sessions, authentication, scope, view, JSON) in this process — no network.

    langso bench_map --province 25                      # 100 requests per zoom 8…18
    langso bench_map --province 25 --requests 300 --zooms 9,12,15,16,18

Target (ARCHITECTURE.md): p95 ≤ 150 ms at any zoom with 1,000,000 households. Run it on a
scratch database (``LANGSO_VAR_DIR=/tmp/mapbench``) after ``generate_population`` and
``assign_address_codes --province`` (which also builds the clusters). Results go to
docs/benchmarks.md by hand, with the machine.
"""

from __future__ import annotations

import math
import random
import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client

from langso.accounts.actions import ensure_user, grant_membership
from langso.accounts.models import Role
from langso.addressing import clusters
from langso.registry.models import Household
from langso.territory.models import AdministrativeUnit

WIDTH_PX, HEIGHT_PX = 1366, 768
BENCH_USER = "bench.map"


def viewport(lat: float, lon: float, zoom: int) -> tuple[float, float, float, float]:
    """(west, south, east, north) of a WIDTH_PX × HEIGHT_PX web-mercator window at ``zoom``."""
    degrees_per_px = 360.0 / (256 * 2**zoom)
    half_w = WIDTH_PX / 2 * degrees_per_px
    half_h = HEIGHT_PX / 2 * degrees_per_px * math.cos(math.radians(lat))
    return lon - half_w, lat - half_h, lon + half_w, lat + half_h


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


class Command(BaseCommand):
    help = "Đo truy vấn khung nhìn bản đồ hộ / Time the households map's viewport queries"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--province", default="25")
        parser.add_argument("--requests", type=int, default=100, help="per zoom (default 100)")
        parser.add_argument("--zooms", default="8,9,10,11,12,13,14,15,16,17,18")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--warmup", type=int, default=5, help="untimed requests first (default 5)")

    def handle(self, *args, **options) -> None:
        province = AdministrativeUnit.objects.current().provinces().filter(code=options["province"]).first()
        if province is None:
            raise CommandError(f"no province {options['province']}")
        located = Household.objects.filter(commune__province=province, latitude__isnull=False)
        bounds = located.order_by("pk").values_list("pk", flat=True)
        low, high = bounds.first(), located.order_by("-pk").values_list("pk", flat=True).first()
        if low is None:
            raise CommandError("the province has no located household: generate a population first")
        stale = clusters.ensure_fresh(AdministrativeUnit.objects.current().communes().filter(province=province))
        if stale:
            self.stdout.write(f"clusters rebuilt for {stale} communes first")
        user = ensure_user(None, BENCH_USER, "bench-map-not-for-login", full_name="bench_map")
        grant_membership(None, user, province, Role.PROVINCE_OFFICER)
        client = Client(SERVER_NAME="localhost")
        client.force_login(user)
        rng = random.Random(options["seed"])

        def centre() -> tuple[float, float]:
            pk = rng.randint(low, high)
            row = located.filter(pk__gte=pk).order_by("pk").values_list("latitude", "longitude").first()
            return row or located.order_by("pk").values_list("latitude", "longitude").first()

        def request(zoom: int) -> tuple[float, int]:
            lat, lon = centre()
            w, s, e, n = viewport(lat, lon, zoom)
            url = (f"/maps/data/households.geojson?bbox={w:.5f},{s:.5f},{e:.5f},{n:.5f}&zoom={zoom}"
                   f"&province={province.code}")
            started = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                raise CommandError(f"{url}: HTTP {response.status_code}")
            return elapsed, response.content.count(b'"Feature"')

        zooms = [int(z) for z in options["zooms"].split(",")]
        for zoom in zooms[: max(1, options["warmup"])]:
            request(zoom)
        total = located.count()
        self.stdout.write(f"{connection.vendor}, {total:,} located households in {province.full_name}, "
                          f"{options['requests']} requests per zoom, viewport {WIDTH_PX}×{HEIGHT_PX} px")
        self.stdout.write(f"{'zoom':>4} {'served as':<14} {'features':>9} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
        every: list[float] = []
        worst = 0.0
        for zoom in zooms:
            times, counts = [], []
            for _ in range(options["requests"]):
                elapsed, count = request(zoom)
                times.append(elapsed)
                counts.append(count)
            every += times
            resolution = clusters.resolution_for_zoom(zoom)
            mode = "points" if resolution is None else f"H3 res {resolution}"
            p95 = percentile(times, 0.95)
            worst = max(worst, p95)
            self.stdout.write(f"{zoom:>4} {mode:<14} {statistics.mean(counts):>9.0f} {statistics.median(times):>8.1f} "
                              f"{p95:>8.1f} {max(times):>8.1f}")
        self.stdout.write(f"all zooms: p50 {statistics.median(every):.1f} ms, p95 {percentile(every, 0.95):.1f} ms; "
                          f"worst zoom p95 {worst:.1f} ms (target ≤ 150 ms)")
