"""``langso refresh_map_clusters``: rebuild the households' H3 clusters of the officials' map.

    langso refresh_map_clusters                 # every commune whose households changed
    langso refresh_map_clusters --province 25 --all
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from langso.addressing import clusters
from langso.territory.models import AdministrativeUnit


class Command(BaseCommand):
    help = "Dựng lại cụm hộ trên bản đồ / Rebuild the map's household clusters"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--province", default="", help="mã tỉnh / 2-digit province code")
        parser.add_argument("--all", action="store_true", help="dựng lại cả xã không đổi / rebuild unchanged communes too")

    def handle(self, *args, **options) -> None:
        communes = AdministrativeUnit.objects.current().communes()
        if options["province"]:
            communes = communes.filter(province__code=options["province"])
        started = time.perf_counter()
        if options["all"]:
            rows = sum(clusters.refresh_commune(c) for c in communes)
            self.stdout.write(f"{communes.count()} xã / communes, {rows:,} cụm / cluster rows")
        else:
            rebuilt = clusters.ensure_fresh(communes)
            self.stdout.write(f"{rebuilt} xã dựng lại / communes rebuilt")
        self.stdout.write(f"{time.perf_counter() - started:.1f} s")
