"""``langso sign_demo_documents``: signed demo documents and residents' requests for the demo communes."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from langso.documents import demo


class Command(BaseCommand):
    help = "Draft, sign and issue demo documents (and residence requests) for the demo communes."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--communes", help="comma-separated commune codes (default: communes with an officer)")
        parser.add_argument("--pin", default=demo.DEMO_PIN)

    def handle(self, *args, **options) -> None:
        codes = [c.strip() for c in (options["communes"] or "").split(",") if c.strip()]
        communes = list(demo.demo_communes(codes))
        demo.setup_pki(communes, options["pin"])
        for index, commune in enumerate(communes):
            paper = 0 if commune.code == demo.REFERENCE_COMMUNE else 1 + index % 3
            made = demo.create_documents(commune, pin=options["pin"], paper=paper)
            self.stdout.write(f"{commune.full_name}: {len(made)} văn bản mới / new documents")
