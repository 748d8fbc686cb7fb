"""Excel files the import app hands back: the error report of rejected rows and the register export.

Both are written with xlsxwriter (constant memory mode for the export). The export uses the
layout of :data:`EXPORT_HEADERS` — the same columns the importer recognises, one row per
resident with the head first — so an exported file imports back unchanged.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import IO, Any

import xlsxwriter

from langso.registry.models import Relation, Resident, Sex

EXPORT_HEADERS = ["STT", "Số hộ", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Số CMND",
                  "Quan hệ với chủ hộ", "Thôn/Xóm", "Địa chỉ", "Số điện thoại"]


def error_report(report: dict[str, Any], titles: list[str] | None = None) -> bytes:
    """The rejected rows of a job ``report`` as .xlsx bytes: "Dòng" (spreadsheet row), "Cột lỗi"
    (field), "Lý do" (vi — en) and then the row's own cells under the file's header ``titles``."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_numbers": False})
    sheet = book.add_worksheet("Dòng bị từ chối")
    bold = book.add_format({"bold": True, "bg_color": "#FDE2E1", "border": 1, "text_wrap": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    text = book.add_format({"num_format": "@", "valign": "top"})
    errors = report.get("errors", [])
    width = max([len(e.get("cells", [])) for e in errors] + [len(titles or [])])
    headers = ["Dòng / Row", "Cột / Field", "Lý do / Reason"] + [
        (titles[i] if titles and i < len(titles) and titles[i] else f"Cột {i + 1}") for i in range(width)]
    sheet.write_row(0, 0, headers, bold)
    sheet.set_column(0, 0, 10)
    sheet.set_column(1, 1, 18)
    sheet.set_column(2, 2, 70)
    sheet.set_column(3, 3 + width, 18)
    for r, error in enumerate(errors, start=1):
        sheet.write_number(r, 0, error["row"])
        sheet.write_string(r, 1, error["field"])
        sheet.write_string(r, 2, f"{error['vi']} — {error['en']}", wrap)
        for c, value in enumerate(error.get("cells", [])):
            sheet.write_string(r, 3 + c, value, text)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(errors), 1), len(headers) - 1)
    book.close()
    return out.getvalue()


_SEX = {Sex.MALE.value: "Nam", Sex.FEMALE.value: "Nữ"}
_RELATION = {value: label.split(" / ")[0] for value, label in Relation.choices}


def export_rows(commune: Any) -> Iterable[list[Any]]:
    """Rows of the commune's living residents in :data:`EXPORT_HEADERS` order, households in id order,
    the head first. Dates as dd/mm/yyyy text; identifiers as text (leading zeros kept)."""
    queryset = (Resident.objects.filter(commune=commune).living_here()
                .order_by("household_id", "id")
                .values_list("household_id", "full_name", "date_of_birth", "sex", "cccd", "old_id_number",
                             "relation_to_head", "household__village__name", "household__address", "phone"))
    buffered: dict[int, list[tuple]] = {}
    order: list[int] = []
    for row in queryset.iterator(chunk_size=5000):
        if row[0] not in buffered:
            buffered[row[0]] = []
            order.append(row[0])
        buffered[row[0]].append(row)
    number = 0
    for household_id in order:
        members = sorted(buffered.pop(household_id), key=lambda r: r[6] != Relation.HEAD)
        for (hh, name, dob, sex, cccd, cmnd, relation, village, address, phone) in members:
            number += 1
            yield [number, str(hh), name, dob.strftime("%d/%m/%Y"), _SEX.get(sex, sex), cccd or "", cmnd or "",
                   _RELATION.get(relation, relation), village or "", address or "", phone or ""]


def export_households(commune: Any, target: str | IO[bytes]) -> int:
    """Write the commune's register to ``target`` (.xlsx path or binary file); return the resident count."""
    book = xlsxwriter.Workbook(target, {"constant_memory": True, "strings_to_numbers": False})
    sheet = book.add_worksheet("Sổ hộ")
    bold = book.add_format({"bold": True, "border": 1, "bg_color": "#E8F0E8"})
    text = book.add_format({"num_format": "@"})
    sheet.write_row(0, 0, EXPORT_HEADERS, bold)
    sheet.set_column(0, 1, 8)
    sheet.set_column(2, 2, 28)
    sheet.set_column(3, 10, 16, text)
    count = 0
    for count, row in enumerate(export_rows(commune), start=1):
        sheet.write_number(count, 0, row[0])
        for c, value in enumerate(row[1:], start=1):
            sheet.write_string(count, c, value, text)
    book.close()
    return count
