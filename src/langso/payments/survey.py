"""Importing a commune survey list of residents' online payment accounts.

A commune asks each adult whether they hold an online payment account (the numerator of
indicator PAY-ADULT, Decision 411/QĐ-TTg) and keeps the answers as a CSV:

    cccd,has_online_payment_account
    026080000101,1
    026082000202,0

Headers may also be Vietnamese (``so_cccd``, ``co_tai_khoan_thanh_toan``), the separator ``,``
``;`` or a tab (Excel in Vietnamese saves with ``;``); answers ``1/0``, ``true/false``,
``yes/no``, ``có/không``, ``x`` for yes. The file must be UTF-8 (a BOM is fine): a legacy
encoding (TCVN3, VNI, Windows-1258) is refused with a message, never guessed.

The import is all-or-nothing: every row is checked first (CCCD of 12 digits, of a resident
living in this commune, listed once; an answer present and understood) and every broken rule is
reported as ``row N, field F``; only a clean file is written, each change through
:func:`langso.registry.actions.update_resident` (validation and audit as for a typed change).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from langso.audit.log import record
from langso.lib.errors import RuleViolation
from langso.lib.vietnamese import fold
from langso.registry.actions import update_resident
from langso.registry.identifiers import validate_cccd
from langso.registry.models import Resident
from langso.territory.models import AdministrativeUnit

CCCD_HEADERS = {"cccd", "so cccd", "so_cccd", "so dinh danh", "so_dinh_danh"}
FLAG_HEADERS = {"has_online_payment_account", "co_tai_khoan_thanh_toan", "co tai khoan thanh toan",
                "tai_khoan_thanh_toan", "tai khoan thanh toan truc tuyen"}
YES = {"1", "true", "yes", "y", "co", "x"}
NO = {"0", "false", "no", "n", "khong"}


class SurveyImportError(Exception):
    """The file was refused; ``errors`` lists every broken rule (nothing was written)."""

    def __init__(self, errors: list[RuleViolation]) -> None:
        self.errors = errors
        super().__init__(f"{len(errors)} lỗi, không ghi gì / {len(errors)} error(s), nothing written")


@dataclass
class SurveyResult:
    rows: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RuleViolation] = field(default_factory=list)


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SurveyImportError([RuleViolation(
            "file", "import.encoding",
            "Tệp không phải UTF-8 (có thể là TCVN3/VNI/Windows-1258). Hãy lưu lại dạng “CSV UTF-8”.",
            "The file is not UTF-8 (perhaps TCVN3, VNI or Windows-1258). Save it again as “CSV UTF-8”.",
        )]) from exc


def _rows(text: str) -> tuple[list[str], list[list[str]]]:
    first = text.splitlines()[0] if text.strip() else ""
    try:
        dialect = csv.Sniffer().sniff(first, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = list(csv.reader(io.StringIO(text), dialect))
    return (rows[0], rows[1:]) if rows else ([], [])


def _answer(value: str) -> bool | None:
    key = fold(value)
    return True if key in YES else False if key in NO else None


def import_payment_survey(actor: Any, commune: AdministrativeUnit, data: bytes, *, source: str = "") -> SurveyResult:
    """Apply a survey CSV (bytes) to the residents of ``commune``; return the counts.

    Raises :class:`SurveyImportError` listing every broken rule when any row is bad (nothing is
    written), and ``Http404`` when ``actor`` may not write the commune (from the registry action).
    """
    header, rows = _rows(_text(data))
    names = [fold(h).replace("-", "_") for h in header]
    cccd_col = next((i for i, n in enumerate(names) if n in CCCD_HEADERS), None)
    flag_col = next((i for i, n in enumerate(names) if n in FLAG_HEADERS), None)
    if cccd_col is None or flag_col is None:
        raise SurveyImportError([RuleViolation(
            "row 1", "import.header",
            "Dòng đầu phải có cột “cccd” và “has_online_payment_account” (hoặc “co_tai_khoan_thanh_toan”).",
            "The first row must name the columns “cccd” and “has_online_payment_account”.",
        )])
    errors: list[RuleViolation] = []
    wanted: dict[str, tuple[int, bool]] = {}
    result = SurveyResult()
    for number, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue  # blank lines, as spreadsheets leave them
        result.rows += 1
        cells = row + [""] * (max(cccd_col, flag_col) + 1 - len(row))
        where = f"row {number}"
        try:
            cccd = validate_cccd(cells[cccd_col].strip(), field=f"{where}, field cccd")
        except RuleViolation as exc:
            errors.append(exc)
            continue
        answer = _answer(cells[flag_col])
        if answer is None:
            errors.append(RuleViolation(
                f"{where}, field has_online_payment_account", "import.answer",
                f"Câu trả lời “{cells[flag_col]}” không hiểu được; dùng 1/0, có/không.",
                f"Answer “{cells[flag_col]}” is not understood; use 1/0, yes/no.",
            ))
            continue
        if cccd in wanted:
            errors.append(RuleViolation(
                f"{where}, field cccd", "import.duplicate",
                f"CCCD này đã có ở dòng {wanted[cccd][0]}.", f"This CCCD is already on row {wanted[cccd][0]}.",
            ))
            continue
        wanted[cccd] = (number, answer)
    residents = {
        r.cccd: r for r in Resident.objects.filter(commune=commune, cccd__in=list(wanted)).living_here()
    }
    for cccd, (number, _) in wanted.items():
        if cccd not in residents:
            errors.append(RuleViolation(
                f"row {number}, field cccd", "import.unknown_resident",
                f"Không có cư dân đang sinh sống tại {commune.full_name} với CCCD này.",
                f"No resident living in {commune.full_name} holds this CCCD.",
            ))
    if errors:
        raise SurveyImportError(sorted(errors, key=lambda e: int(e.field.split(",")[0].split()[1])))
    with transaction.atomic():
        for cccd, (_, answer) in wanted.items():
            resident = residents[cccd]
            if resident.has_online_payment_account == answer:
                result.unchanged += 1
                continue
            update_resident(actor, resident, has_online_payment_account=answer)
            result.updated += 1
        record(actor, "payment_survey.import", unit=commune, target_type="registry.Resident",
               data={"rows": result.rows, "updated": result.updated, "unchanged": result.unchanged, "source": source})
    return result
