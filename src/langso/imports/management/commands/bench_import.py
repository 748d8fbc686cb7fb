"""``langso bench_import COMMUNE [--rows 100000] [--format xlsx|csv] [--keep]``: time the importer.

Writes a household list of ``--rows`` rows (households of 1–6 people, the head first, CCCDs as
text, some only with a birth year) to a temporary file, imports it into ``COMMUNE`` with full
validation, then imports it again (the re-import path: every person matched, nothing written),
and prints rows/s per stage. Use a scratch database (``LANGSO_VAR_DIR=/tmp/impbench langso demo
--households 2000``): the first run writes the rows. Record results in docs/benchmarks.md by hand.
"""

from __future__ import annotations

import csv
import random
import tempfile
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from langso.imports.actions import import_file
from langso.registry.identifiers import make_cccd
from langso.territory.models import AdministrativeUnit

HEADER = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD/CMND", "Quan hệ với chủ hộ", "Thôn/Xóm",
          "Địa chỉ", "Số điện thoại"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"]
MIDDLE_M, MIDDLE_F = ["Văn", "Đức", "Quốc", "Minh"], ["Thị", "Ngọc", "Thu", "Thanh"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hương", "Lan", "Long", "Mai", "Nam", "Phúc", "Thảo", "Tùng"]


def generate(rows: int, seed: int = 7, serial_base: int = 0) -> list[list]:
    """``rows`` data rows in :data:`HEADER` layout (deterministic for ``seed``)."""
    rng = random.Random(seed)
    # A province-of-birth code per seed, so runs with different seeds never share a CCCD.
    from langso.registry.identifiers import rules

    province = sorted(rules().provinces)[seed % len(rules().provinces)]
    out: list[list] = []
    serial = serial_base
    while len(out) < rows:
        size = rng.randint(1, 6)
        family = rng.choice(FAMILY)
        for k in range(size):
            if len(out) >= rows:
                break
            sex = "M" if (k == 0 or rng.random() < 0.5) else "F"
            relation = "Chủ hộ" if k == 0 else ("Vợ" if k == 1 and sex == "F" else "Con")
            year = rng.randint(1940, 1990) if k < 2 else rng.randint(1990, 2024)
            name = f"{family} {rng.choice(MIDDLE_M if sex == 'M' else MIDDLE_F)} {rng.choice(GIVEN)}"
            serial += 1
            ident = make_cccd(province, sex, year, serial) if year < 2012 else ""
            dob = str(year) if rng.random() < 0.02 else f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{year}"
            out.append([len(out) + 1, name, dob, "Nam" if sex == "M" else "Nữ", ident, relation,
                        f"Thôn {rng.randint(1, 12)}", f"Xóm {rng.randint(1, 30)}", f"09{rng.randint(10**7, 10**8 - 1)}"])
    return out


def write(path: Path, rows: list[list], fmt: str) -> None:
    if fmt == "csv":
        with open(path, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(HEADER)
            writer.writerows(rows)
        return
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["DANH SÁCH HỘ GIA ĐÌNH"])
    sheet.write_row(1, 0, HEADER)
    for r, row in enumerate(rows, start=2):
        sheet.write_number(r, 0, row[0])
        for c, value in enumerate(row[1:], start=1):
            sheet.write_string(r, c, value)
    book.close()


class Command(BaseCommand):
    help = "Time the household importer on a generated file (rows/s with full validation)."

    def add_arguments(self, parser):
        parser.add_argument("commune")
        parser.add_argument("--rows", type=int, default=100_000)
        parser.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args, **options):
        commune = AdministrativeUnit.objects.current().communes().filter(code=options["commune"]).first()
        if commune is None:
            raise CommandError(f"no current commune {options['commune']}")
        rows = generate(options["rows"], options["seed"], serial_base=options["seed"] * 1000)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"bench.{options['format']}"
            write(path, rows, options["format"])
            stages: dict[str, float] = {}
            for label in ("first import", "re-import"):
                marks: dict[str, float] = {}
                started = time.perf_counter()

                def progress(stage: str, done: int, total: int, marks=marks, started=started) -> None:
                    marks[stage] = time.perf_counter() - started

                result = import_file(None, commune, path, skip_bad_rows=True, progress=progress)
                seconds = time.perf_counter() - started
                outcome = result.outcome
                stages[label] = seconds
                read = marks.get("check", 0.0)
                self.stdout.write(
                    f"{label}: {outcome.total_rows} rows in {seconds:.2f} s = {outcome.total_rows / seconds:,.0f} rows/s "
                    f"(read+check {read:.2f} s, write {seconds - read:.2f} s); created {outcome.residents_created}, "
                    f"unchanged {outcome.residents_unchanged}, rejected {len(outcome.errors)}")
