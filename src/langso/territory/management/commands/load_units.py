"""``langso load_units``: create or update the national list of administrative units and the
lineage of the 2025 reform from the installed packages (idempotent, never deletes)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from langso.territory.actions import load_units


class Command(BaseCommand):
    help = (
        "Nạp 34 tỉnh, 3.321 xã hiện hành, đơn vị trước 01/07/2025 và quan hệ kế thừa (chạy lại an toàn) / "
        "Load the 34 provinces, 3,321 current communes, the units before 2025-07-01 and their lineage "
        "(safe to re-run)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--show-skipped", action="store_true",
            help="Liệt kê bản ghi của gói bị bỏ qua / list the package records not loaded",
        )

    def handle(self, *args, **options) -> None:
        report = load_units()
        # The skipped list is long and the same on every run: listed only on request.
        for line in report.lines(list_skipped=options["show_skipped"]):
            self.stdout.write(line)
