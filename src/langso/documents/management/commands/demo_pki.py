"""``langso demo_pki``: the DEMO certification authority, timestamp authority and one DEMO PKCS#12
per demo commune (stored wrapped, locked by the demo PIN). Idempotent."""

from __future__ import annotations

from pathlib import Path

from cryptography import x509
from django.core.management.base import BaseCommand, CommandError

from langso.documents import demo, pki
from langso.documents.models import Authority


class Command(BaseCommand):
    help = "Create the demo CA/TSA and a DEMO signing certificate per demo commune."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--communes", help="comma-separated commune codes (default: communes with an officer)")
        parser.add_argument("--pin", default=demo.DEMO_PIN, help="PIN of new demo credentials")
        parser.add_argument("--export-root", type=Path, help="also write the demo root certificate (PEM) here")

    def handle(self, *args, **options) -> None:
        codes = [c.strip() for c in (options["communes"] or "").split(",") if c.strip()]
        communes = list(demo.demo_communes(codes))
        if codes and len(communes) != len(set(codes)):
            raise CommandError(f"unknown or ended commune codes among {codes}")
        made = demo.setup_pki(communes, options["pin"])
        root = Authority.objects.get(kind=Authority.Kind.ROOT, is_demo=True)
        self.stdout.write(f"CA DEMO / demo CA: {root.name}")
        for credential in made:
            self.stdout.write(f"  + {credential.label} (serial {credential.serial})")
        self.stdout.write(f"{len(made)} chứng thư DEMO mới / new demo credentials; "
                          f"mã PIN DEMO / demo PIN: {options['pin']}")
        if options["export_root"]:
            options["export_root"].write_text(pki.pem(x509.load_der_x509_certificate(bytes(root.certificate_der))))
            self.stdout.write(f"root → {options['export_root']}")
