"""``langso import_households COMMUNE FILE [--skip-bad-rows] [--mapping field=col,…] [--dry-run]
[--errors report.xlsx]``: import a household list (.xlsx/.xls/.csv) into a commune, with a progress bar.

Runs as a system job (no acting user; the audit entries say so). Exit status 1 when rows were
rejected and nothing was written (all-or-nothing), or when the file cannot be read.
"""

from __future__ import annotations

import sys
import time

from django.core.management.base import BaseCommand, CommandError

from langso.imports.actions import import_file
from langso.imports.parsing import FIELDS
from langso.imports.reports import error_report
from langso.lib.errors import RuleViolation
from langso.territory.models import AdministrativeUnit


def progress_bar(stream) -> callable:
    """A ``progress(stage, done, total)`` callback drawing ``stage [#####.....] 50%`` on ``stream``."""
    state = {"last": -1.0}

    def draw(stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - state["last"] < 0.2:
            return
        state["last"] = now
        share = done / total if total else 1.0
        bar = "#" * int(share * 30)
        stream.write(f"\r{stage:<6}[{bar:<30}] {share:4.0%} {done}/{total}")
        if done >= total:
            stream.write("\n")
        stream.flush()

    return draw


def parse_mapping(text: str) -> dict[str, int]:
    """``"full_name=B,date_of_birth=3"`` → ``{"full_name": 1, "date_of_birth": 2}`` (letters or 1-based numbers)."""
    mapping = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, _, column = part.partition("=")
        if name not in FIELDS:
            raise CommandError(f"unknown field {name!r}; fields: {', '.join(FIELDS)}")
        column = column.strip().upper()
        if column.isdigit():
            mapping[name] = int(column) - 1
        elif column.isalpha():
            index = 0
            for ch in column:
                index = index * 26 + ord(ch) - 64
            mapping[name] = index - 1
        else:
            raise CommandError(f"bad column {column!r} for {name}")
    return mapping


class Command(BaseCommand):
    help = "Import a household list (.xlsx, .xls, .csv) into a commune."

    def add_arguments(self, parser):
        parser.add_argument("commune", help="commune code, e.g. 09154")
        parser.add_argument("file")
        parser.add_argument("--skip-bad-rows", action="store_true", help="import the good rows, report the others")
        parser.add_argument("--mapping", default="", help="field=column pairs overriding detection")
        parser.add_argument("--dry-run", action="store_true", help="check only; write nothing")
        parser.add_argument("--errors", help="write the error report (.xlsx) here")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **options):
        commune = AdministrativeUnit.objects.current().communes().filter(code=options["commune"]).first()
        if commune is None:
            raise CommandError(f"no current commune {options['commune']}")
        mapping = parse_mapping(options["mapping"]) if options["mapping"] else None
        started = time.perf_counter()
        try:
            result = import_file(None, commune, options["file"], skip_bad_rows=options["skip_bad_rows"],
                                 mapping=mapping, dry_run=options["dry_run"],
                                 progress=None if options["no_progress"] else progress_bar(sys.stderr))
        except RuleViolation as exc:
            raise CommandError(f"{exc.vi} — {exc.en}") from None
        seconds = time.perf_counter() - started
        outcome = result.outcome
        for error in outcome.errors[:20]:
            self.stderr.write(f"{error.vi} — {error.en}")
        if len(outcome.errors) > 20:
            self.stderr.write(f"… {len(outcome.errors) - 20} more")
        if options["errors"] and outcome.errors:
            with open(options["errors"], "wb") as fh:
                fh.write(error_report(outcome.as_report(), result.titles))
        self.stdout.write(
            f"rows {outcome.total_rows}, rejected {len(outcome.errors)}, households created "
            f"{outcome.households_created}, residents created {outcome.residents_created}, updated "
            f"{outcome.residents_updated}, unchanged {outcome.residents_unchanged}, encoding {result.encoding}, "
            f"{outcome.total_rows / seconds if seconds else 0:,.0f} rows/s"
            + ("" if outcome.written or options["dry_run"] else " — NOTHING WRITTEN (bad rows; see --skip-bad-rows)"))
        if not outcome.written and not options["dry_run"]:
            sys.exit(1)
