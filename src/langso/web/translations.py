"""Translation catalogues without GNU gettext: extract msgids, compile .po → .mo with polib.

GNU gettext (``msgfmt``, ``xgettext``) is not installed on a fresh machine, so Django's
``makemessages``/``compilemessages`` cannot run. The catalogue ``locale/<lang>/LC_MESSAGES/
django.po`` is edited by hand (msgids are the English texts of templates and code); this module
finds the msgids the sources use — templates through Django's own ``templatize`` (so
``blocktranslate trimmed`` and plurals give exactly the ids Django looks up), Python through
:mod:`ast` — and writes the binary ``.mo`` files Django reads, with :mod:`polib`.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import polib
from django.utils.translation.template import templatize

GETTEXT_FUNCTIONS = {
    "gettext": "singular",
    "gettext_lazy": "singular",
    "_": "singular",
    "gettext_noop": "singular",
    "ngettext": "plural",
    "ngettext_lazy": "plural",
    "pgettext": "context",
    "pgettext_lazy": "context",
    "npgettext": "context_plural",
    "npgettext_lazy": "context_plural",
}
_LITERAL = r"""u?(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")"""
_TEMPLATE_CALL = re.compile(
    r"\b(gettext|ngettext|pgettext|npgettext|_)\(\s*(%s)(?:\s*,\s*(%s))?(?:\s*,\s*(%s))?" % (_LITERAL, _LITERAL, _LITERAL)
)


@dataclass(frozen=True, order=True)
class Message:
    """One translatable message: ``msgctxt`` (or ""), ``msgid`` and ``msgid_plural`` (or "")."""

    msgctxt: str
    msgid: str
    msgid_plural: str = ""


def _message(kind: str, args: list[str]) -> Message | None:
    try:
        if kind == "singular":
            return Message("", args[0])
        if kind == "plural":
            return Message("", args[0], args[1])
        if kind == "context":
            return Message(args[0], args[1])
        if kind == "context_plural":
            return Message(args[0], args[1], args[2])
    except IndexError:
        return None
    return None


def messages_in_template(text: str) -> set[Message]:
    """Messages of a Django template's ``translate``/``blocktranslate`` tags and ``_("…")``."""
    found = set()
    for match in _TEMPLATE_CALL.finditer(templatize(text)):
        name = match.group(1)
        args = [ast.literal_eval(lit) for lit in match.groups()[1:] if lit is not None]
        message = _message(GETTEXT_FUNCTIONS[name], args)
        if message is not None:
            found.add(message)
    return found


def messages_in_python(text: str) -> set[Message]:
    """Messages of ``gettext``/``_``/``ngettext``/``pgettext`` (and lazy) calls with literal
    arguments in Python source."""
    found = set()
    for node in ast.walk(ast.parse(text)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        if name not in GETTEXT_FUNCTIONS:
            continue
        args = []
        for arg in node.args:
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                args.append(arg.value)
            else:
                break
        message = _message(GETTEXT_FUNCTIONS[name], args)
        if message is not None:
            found.add(message)
    return found


def messages_in_tree(*roots: Path) -> set[Message]:
    """Messages of every ``*.html`` and ``*.py`` file under ``roots`` (migrations skipped)."""
    found: set[Message] = set()
    for root in roots:
        files = [root] if root.is_file() else sorted(root.rglob("*"))
        for path in files:
            if "migrations" in path.parts or not path.is_file():
                continue
            if path.suffix == ".html":
                found |= messages_in_template(path.read_text(encoding="utf-8"))
            elif path.suffix == ".py":
                found |= messages_in_python(path.read_text(encoding="utf-8"))
    return found


def catalogue_messages(po: polib.POFile) -> set[Message]:
    return {Message(e.msgctxt or "", e.msgid, e.msgid_plural or "") for e in po if not e.obsolete}


def translations(catalogue: polib._BaseFile) -> dict[tuple[str, str], object]:
    """``{(msgctxt, msgid): msgstr or {index: plural form}}`` of translated entries (metadata
    excluded), for comparing a .po with a .mo."""
    result: dict[tuple[str, str], object] = {}
    for entry in catalogue:
        if getattr(entry, "obsolete", False) or "fuzzy" in entry.flags:
            continue
        if entry.msgid_plural:
            forms = {int(k): v for k, v in entry.msgstr_plural.items()}
            if all(forms.values()):
                result[(entry.msgctxt or "", entry.msgid)] = forms
        elif entry.msgstr:
            result[(entry.msgctxt or "", entry.msgid)] = entry.msgstr
    return result


def catalogues(locale_dir: Path) -> list[Path]:
    """The ``django.po`` files under ``locale_dir``, sorted."""
    return sorted(locale_dir.glob("*/LC_MESSAGES/django.po"))


def compile_catalogue(po_path: Path) -> Path:
    """Write ``django.mo`` next to ``po_path`` (translated, non-fuzzy entries) and return its path."""
    mo_path = po_path.with_suffix(".mo")
    polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
    return mo_path


def is_compiled(po_path: Path) -> bool:
    """True when ``django.mo`` exists and holds exactly the translations of ``po_path``."""
    mo_path = po_path.with_suffix(".mo")
    if not mo_path.exists():
        return False
    return translations(polib.pofile(str(po_path))) == translations(polib.mofile(str(mo_path)))
