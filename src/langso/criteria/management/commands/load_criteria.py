"""``langso load_criteria [--file PATH …]``: load the shipped criteria sets, or a province's own files."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from langso.criteria import catalogue
from langso.lib.errors import RuleViolation


class Command(BaseCommand):
    help = "Nạp bộ tiêu chí (tệp YAML) / Load criteria set files (default: the shipped ones)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--file", action="append", default=[], help="a set file to load (repeatable)")

    def handle(self, *args, **options) -> None:
        files = [catalogue.read_set_file(path) for path in options["file"]] or None
        try:
            results = catalogue.sync_sets(files)
        except RuleViolation as exc:
            raise CommandError(str(exc)) from exc
        for criteria_set, outcome in results:
            slots = criteria_set.indicators.count()
            empty = criteria_set.indicators.filter(placeholder=True).count()
            self.stdout.write(f"{criteria_set.code} v{criteria_set.version}: {outcome} — {slots} chỉ tiêu / "
                              f"indicators, {empty} chưa nhập / empty slots")
