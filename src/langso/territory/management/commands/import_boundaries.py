"""``langso import_boundaries PATH [--province CODE]``: set commune boundaries from a GeoJSON
FeatureCollection keyed by commune code, all or nothing; ``--shipped`` loads Phú Thọ's 148."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from langso.lib.errors import RuleViolation
from langso.territory.actions import (
    SHIPPED_BOUNDARIES,
    SHIPPED_PROVINCE,
    SHIPPED_SOURCE,
    BoundaryImportError,
    import_boundaries,
)


class Command(BaseCommand):
    help = (
        "Nhập ranh giới xã từ GeoJSON FeatureCollection (mã xã ở id hoặc properties.code), "
        "tất cả hoặc không / Import commune boundaries from a GeoJSON FeatureCollection (commune code "
        "in id or properties.code), all or nothing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", nargs="?", type=Path, help="GeoJSON FeatureCollection (UTF-8, WGS84)")
        parser.add_argument("--province", help="mã tỉnh 2 số: mọi xã phải thuộc tỉnh này / 2-digit province "
                            "code every commune must belong to")
        parser.add_argument("--source", help="nguồn ghi vào boundary_source / provenance stored in "
                            "boundary_source (default: the file name)")
        parser.add_argument("--shipped", action="store_true",
                            help="ranh giới 148 xã Phú Thọ kèm theo / the shipped boundaries of Phú Thọ's 148 communes")

    def handle(self, *args, **options) -> None:
        path, province, source = options["path"], options["province"], options["source"]
        if options["shipped"]:
            if path is not None:
                raise CommandError("Dùng PATH hoặc --shipped, không cả hai — give PATH or --shipped, not both")
            path, province, source = SHIPPED_BOUNDARIES, province or SHIPPED_PROVINCE, source or SHIPPED_SOURCE
        elif path is None:
            raise CommandError("Thiếu PATH (hoặc --shipped) — PATH (or --shipped) is required")
        try:
            report = import_boundaries(path, province=province, boundary_source=source or path.name)
        except BoundaryImportError as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            n = len(exc.problems)
            raise CommandError(
                f"Không nhập: {n} lỗi, cơ sở dữ liệu không thay đổi — Not imported: {n} problems, "
                "database unchanged"
            ) from exc
        except RuleViolation as exc:
            raise CommandError(str(exc)) from exc
        for line in report.lines():
            self.stdout.write(line)
