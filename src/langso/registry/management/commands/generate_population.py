"""``langso generate_population``: fill communes with a realistic demo register.

Examples::

    langso generate_population                                   # 5,000 households, 5 default communes
    langso generate_population --households 20000 --seed 7
    langso generate_population --communes 09154,07900 --households 2000
    langso generate_population --province 25 --households 1000000   # every current commune of Phú Thọ

Nothing in the registry is ever deleted, so the command refuses communes that already have
households: generate into a fresh database instead (``LANGSO_VAR_DIR=/tmp/x langso migrate`` …).
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from langso.lib.errors import RuleViolation
from langso.registry import demo
from langso.territory.models import AdministrativeUnit


class Command(BaseCommand):
    help = (
        "Sinh dân cư mẫu (thôn, hộ, nhân khẩu, hộ kinh doanh) cho các xã / Generate a demo population "
        "(villages, households, residents, business households) for communes."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--seed", type=int, default=1, help="hạt giống ngẫu nhiên / random seed (default 1)")
        parser.add_argument("--households", type=int, default=5000,
                            help="tổng số hộ, chia đều cho các xã / households in total, split evenly (default 5000)")
        parser.add_argument("--communes", default="",
                            help="mã xã, cách nhau bởi dấu phẩy / comma-separated commune codes "
                                 f"(default {','.join(demo.tables()['demo_places']['default_communes'])})")
        parser.add_argument("--province", default="",
                            help="mọi xã hiện hành của tỉnh này / every current commune of this 2-digit province")
        parser.add_argument("--chunk-size", type=int, default=10_000,
                            help="số hộ mỗi giao dịch / households per transaction (default 10000)")
        parser.add_argument("--as-of", type=dt.date.fromisoformat, default=None,
                            help="ngày tính tuổi / day ages are counted at, YYYY-MM-DD (default today)")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, **options) -> None:
        using = options["database"]
        units = self._units(options["communes"], options["province"], using)
        if options["households"] < 0 or options["chunk_size"] < 1:
            raise CommandError("--households phải ≥ 0 và --chunk-size ≥ 1 — --households must be >= 0, "
                               "--chunk-size >= 1")
        demo.tune_connection_for_bulk(using)
        self.stdout.write(f"{options['households']:,} hộ / households → "
                          + ", ".join(f"{u.full_name} ({u.code})" for u in units[:8])
                          + (f" … (+{len(units) - 8})" if len(units) > 8 else ""))

        def progress(report: demo.GenerationReport) -> None:
            if options["verbosity"] >= 2 or report.chunks % 10 == 0:
                self.stdout.write(f"  {report.households:,} hộ, {report.residents:,} nhân khẩu "
                                  f"({report.seconds:.1f} s)")

        try:
            report = demo.generate_population(
                None, units, options["households"], seed=options["seed"], chunk_size=options["chunk_size"],
                as_of=options["as_of"], progress=progress, using=using,
            )
        except demo.CommunesNotEmpty as exc:
            raise CommandError(str(exc)) from exc
        except RuleViolation as exc:
            raise CommandError(str(exc)) from exc
        seconds = max(report.seconds, 1e-9)
        self.stdout.write(self.style.SUCCESS(
            f"{report.households:,} hộ / households, {report.residents:,} nhân khẩu / residents, "
            f"{report.businesses:,} hộ kinh doanh / businesses, {report.villages_created:,} thôn mới / new villages "
            f"in {seconds:.2f} s: {report.households / seconds:,.0f} households/s, "
            f"{report.residents / seconds:,.0f} residents/s"
        ))

    def _units(self, communes: str, province: str, using: str) -> list[AdministrativeUnit]:
        current = AdministrativeUnit.objects.using(using).current().communes()
        if communes and province:
            raise CommandError("Dùng --communes hoặc --province, không cả hai — "
                               "give --communes or --province, not both")
        if province:
            units = list(current.filter(province__code=province).order_by("code"))
            if not units:
                raise CommandError(f"Tỉnh {province} chưa có xã nào; hãy chạy load_units — province {province} has "
                                   "no current commune; run load_units first")
            return units
        codes = [c.strip() for c in communes.split(",") if c.strip()] or list(
            demo.tables()["demo_places"]["default_communes"])
        found = {u.code: u for u in current.filter(code__in=codes)}
        missing = [c for c in codes if c not in found]
        if missing:
            raise CommandError(f"Không có xã hiện hành mã {', '.join(missing)}; hãy chạy load_units — no current "
                               f"commune with code {', '.join(missing)}; run load_units first")
        return [found[c] for c in dict.fromkeys(codes)]
