"""``langso assign_address_codes``: issue digital address codes for a commune or a whole province,
then check every location and rebuild the map clusters. Idempotent: run it again at will.

    langso assign_address_codes --commune 09154
    langso assign_address_codes --province 25
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from langso.addressing import actions, clusters
from langso.territory.models import AdministrativeUnit


class Command(BaseCommand):
    help = "Cấp mã địa chỉ số cho các hộ / Issue digital address codes to households"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--commune", default="", help="mã xã / 5-digit commune code")
        parser.add_argument("--province", default="", help="mã tỉnh / 2-digit province code")
        parser.add_argument("--no-check", action="store_true", help="bỏ qua kiểm tra vị trí / skip location checks")

    def handle(self, *args, **options) -> None:
        units = AdministrativeUnit.objects.current()
        if options["commune"]:
            communes = list(units.communes().filter(code=options["commune"]))
        elif options["province"]:
            province = units.provinces().filter(code=options["province"]).first()
            if province is None:
                raise CommandError(f"Không có tỉnh {options['province']} / no province {options['province']}")
            communes = list(units.communes().filter(province=province).order_by("code"))
        else:
            raise CommandError("Cần --commune hoặc --province / give --commune or --province")
        if not communes:
            raise CommandError("Không có xã nào / no commune found")
        started = time.perf_counter()
        total = actions.AssignmentReport()
        for commune in communes:
            report = actions.assign_codes(None, commune)
            total.add(report)
            if not options["no_check"]:
                actions.check_locations(None, commune)
            clusters.refresh_commune(commune)
            if options["verbosity"] >= 2:
                self.stdout.write(f"  {commune.code} {commune.full_name}: {report.issued} mới / new")
        self.stdout.write(
            f"{len(communes)} xã / communes: {total.issued:,} mã mới / new codes, {total.already:,} đã có / already, "
            f"{total.unlocated:,} hộ chưa có toạ độ / without GPS, {len(total.outside_grid)} ngoài lưới / outside the "
            f"grid — {time.perf_counter() - started:.1f} s"
        )
