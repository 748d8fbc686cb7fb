"""``langso import_payment_survey <commune_code> <file.csv>``: residents' online payment accounts
from a commune survey list (see :mod:`langso.payments.survey`). All or nothing: any bad row
aborts the import, and every problem is printed as ``row N, field F: message``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from langso.payments.survey import SurveyImportError, import_payment_survey
from langso.territory.models import AdministrativeUnit


class Command(BaseCommand):
    help = "Import a survey CSV (cccd, has_online_payment_account) into a commune's residents; all or nothing."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("commune", help="5-digit code of a current commune")
        parser.add_argument("file", type=Path, help="CSV file, UTF-8")

    def handle(self, *args: Any, commune: str, file: Path, **options: Any) -> None:
        unit = AdministrativeUnit.objects.current().communes().filter(code=commune).first()
        if unit is None:
            raise CommandError(f"Không có xã mã {commune} / no current commune with code {commune}")
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"Không đọc được tệp / cannot read {file}: {exc}") from exc
        try:
            result = import_payment_survey(None, unit, data, source=file.name)
        except SurveyImportError as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"{unit.full_name}: {result.rows} dòng / rows, {result.updated} cập nhật / updated, "
            f"{result.unchanged} không đổi / unchanged"
        )
