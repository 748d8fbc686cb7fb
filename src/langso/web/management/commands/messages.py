"""``manage.py messages``: compile the translation catalogues without GNU gettext.

    messages            compile every locale/<lang>/LC_MESSAGES/django.po into django.mo
    messages --check    fail if a .mo is stale, or a message used in the sources is missing
                        from (or untranslated in) a catalogue
    messages --update   add the messages the sources use but a catalogue lacks (empty, to
                        translate by hand), then compile

See :mod:`langso.web.translations` for why gettext's own tools are not used.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from langso.web import translations


def _locale_dir() -> Path:
    return Path(settings.LOCALE_PATHS[0])


def _sources() -> list[Path]:
    # The whole package: every app's templates and code share the one catalogue.
    return [Path(settings.PACKAGE_DIR)]


class Command(BaseCommand):
    help = "Compile translation catalogues (.po → .mo) with polib; --check verifies them."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--check", action="store_true", help="verify, change nothing")
        parser.add_argument("--update", action="store_true", help="add missing messages to the .po files")

    def handle(self, *args: Any, check: bool = False, update: bool = False, **options: Any) -> None:
        pos = translations.catalogues(_locale_dir())
        if not pos:
            raise CommandError(f"Không có tệp .po nào / no .po file under {_locale_dir()}")
        used = translations.messages_in_tree(*_sources())
        problems: list[str] = []
        for po_path in pos:
            po = polib.pofile(str(po_path))
            present = translations.catalogue_messages(po)
            missing = sorted(used - present)
            if update and missing:
                for message in missing:
                    entry = polib.POEntry(msgctxt=message.msgctxt or None, msgid=message.msgid, msgstr="")
                    if message.msgid_plural:
                        entry = polib.POEntry(
                            msgctxt=message.msgctxt or None,
                            msgid=message.msgid,
                            msgid_plural=message.msgid_plural,
                            msgstr_plural={0: ""},
                        )
                    po.append(entry)
                po.save(str(po_path))
                self.stdout.write(f"{po_path}: +{len(missing)} message(s) to translate")
                missing = []
            untranslated = [e.msgid for e in po.untranslated_entries() if not e.obsolete]
            for message in missing:
                problems.append(f"{po_path}: thiếu / missing msgid {message.msgid!r}")
            for msgid in untranslated:
                problems.append(f"{po_path}: chưa dịch / untranslated msgid {msgid!r}")
            if check:
                if not translations.is_compiled(po_path):
                    problems.append(f"{po_path.with_suffix('.mo')}: cũ / stale — run `manage.py messages`")
            else:
                mo_path = translations.compile_catalogue(po_path)
                self.stdout.write(f"{mo_path}: {len(po.translated_entries())} message(s)")
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            if check:
                raise CommandError(f"{len(problems)} vấn đề / problem(s) in the translation catalogues")
