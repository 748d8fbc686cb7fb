"""``langso compute``: compute every indicator for every commune and roll up to provinces."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from langso.indicators.engine import compute


class Command(BaseCommand):
    help = "Tính mọi chỉ tiêu cho mọi xã và tổng hợp lên tỉnh / Compute every indicator for every commune and province."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--as-of", help="ngày tính / count records as at this date (YYYY-MM-DD; default today)")
        parser.add_argument("--period", help="mã kỳ / period code (default YYYYMM of --as-of)")

    def handle(self, *args, **options) -> None:
        as_of = None
        if options["as_of"]:
            try:
                as_of = dt.date.fromisoformat(options["as_of"])
            except ValueError as exc:
                raise CommandError(f"--as-of phải có dạng YYYY-MM-DD / must be YYYY-MM-DD: {options['as_of']!r}") from exc
        result = compute(as_of=as_of, period=options["period"])
        self.stdout.write(
            f"Kỳ {result.period} (tính đến {result.as_of:%d/%m/%Y}): {result.values_written} giá trị cho "
            f"{result.communes} xã trong {result.seconds:.2f} s (truy vấn {result.query_seconds:.2f} s) / "
            f"period {result.period}: {result.values_written} values for {result.communes} communes in {result.seconds:.2f} s"
        )
