"""``langso load_indicators``: write the indicator catalogue and targets from their data files."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from langso.indicators.catalogue import sync_catalogue
from langso.lib.errors import RuleViolation


class Command(BaseCommand):
    help = "Nạp danh mục chỉ tiêu và mục tiêu / Load the indicator catalogue and targets."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--indicators", type=Path, help="YAML file (default: the shipped catalogue)")
        parser.add_argument("--targets", type=Path, help="YAML file (default: the shipped targets)")

    def handle(self, *args, **options) -> None:
        try:
            indicators, targets = sync_catalogue(options["indicators"], options["targets"])
        except RuleViolation as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{indicators} chỉ tiêu, {targets} mục tiêu / {indicators} indicators, {targets} targets")
