"""``langso export_households COMMUNE FILE``: the commune's register as .xlsx in the import layout."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from langso.imports.reports import export_households
from langso.territory.models import AdministrativeUnit


class Command(BaseCommand):
    help = "Export a commune's households and residents to Excel (the layout the importer reads)."

    def add_arguments(self, parser):
        parser.add_argument("commune")
        parser.add_argument("file")

    def handle(self, *args, **options):
        commune = AdministrativeUnit.objects.current().communes().filter(code=options["commune"]).first()
        if commune is None:
            raise CommandError(f"no current commune {options['commune']}")
        count = export_households(commune, options["file"])
        self.stdout.write(f"{count} residents written to {options['file']}")
