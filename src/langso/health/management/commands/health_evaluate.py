"""``langso health_evaluate [--date YYYY-MM-DD] [--commune CODE ...]``: apply the outbreak rules
(daily task; idempotent). Prints one line per commune with detected/closed/active counts."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Evaluate the outbreak rules (data/outbreak_rules.yaml) for communes with cases."

    def add_arguments(self, parser):
        parser.add_argument("--date", type=dt.date.fromisoformat, default=None, help="as-of date (default today)")
        parser.add_argument("--commune", nargs="*", default=None, help="commune codes (default: all with cases)")

    def handle(self, *args, **options):
        from langso.health.tasks import evaluate_all

        as_of = options["date"] or dt.date.today()
        for code, stats in evaluate_all(as_of, options["commune"] or None).items():
            self.stdout.write(f"{code} {as_of}: detected {stats['detected']}, closed {stats['closed']}, "
                              f"active {stats['active']}")
