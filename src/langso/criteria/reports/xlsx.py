"""A :class:`~langso.criteria.reports.Report` as an Excel workbook (XlsxWriter).

Sheet 1 is the filing layout, printed A4 landscape one page wide: title block, facts, the sections
as bordered tables, notes and signature blocks, page numbers in the footer. Sections of different
widths share one page, so the sheet uses a fine grid of narrow columns and each cell spans several
(row heights are set from the text, as spreadsheet programs do not grow merged cells). Each section
is also written plainly to its own sheet (one cell per value, filters on) for people who work on
the numbers.
"""

from __future__ import annotations

import io
import math
import re

import xlsxwriter

from . import MOTTO, Report, Section

GRID = 48  # narrow columns of the filing sheet
FONT = "Times New Roman"  # the administrative font (Decree 30/2020/NĐ-CP); spreadsheet programs substitute it


def _spans(section: Section) -> list[int]:
    total = sum(c.width for c in section.columns)
    spans = [max(1, round(c.width / total * GRID)) for c in section.columns]
    spans[-1] += GRID - sum(spans)
    while spans[-1] < 1:  # rounding gave the last column nothing: take from the widest
        widest = spans.index(max(spans[:-1]))
        spans[widest] -= 1
        spans[-1] += 1
    return spans


def _lines(text: str, chars: float) -> int:
    return sum(max(1, math.ceil(len(part) / max(chars, 1.0))) for part in str(text).split("\n"))


def _sheet_name(name: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", " ", name)[:31] or "Sheet"
    candidate, n = base, 2
    while candidate in used:
        candidate = f"{base[:28]} {n}"
        n += 1
    used.add(candidate)
    return candidate


def render(report: Report) -> bytes:
    """The workbook's bytes (``.xlsx``)."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    book.set_properties({"title": f"{report.title} — {report.subtitle}", "author": "Làng số", "company": report.authority[-1]})
    base = {"font_name": FONT, "font_size": 11, "valign": "top", "text_wrap": True}
    fmt = {
        "plain": book.add_format(base),
        "bold_c": book.add_format({**base, "bold": True, "align": "center"}),
        "plain_c": book.add_format({**base, "align": "center"}),
        "motto2": book.add_format({**base, "bold": True, "align": "center", "underline": 1}),
        "italic_c": book.add_format({**base, "italic": True, "align": "center"}),
        "italic_r": book.add_format({**base, "italic": True, "align": "right"}),
        "title": book.add_format({**base, "bold": True, "align": "center", "font_size": 14}),
        "subtitle": book.add_format({**base, "bold": True, "align": "center", "font_size": 12}),
        "label": book.add_format({**base, "bold": True}),
        "section": book.add_format({**base, "bold": True, "font_size": 12}),
        "head": book.add_format({**base, "bold": True, "align": "center", "valign": "vcenter", "border": 1,
                                 "bg_color": "#E5E7EB"}),
        "group": book.add_format({**base, "bold": True, "border": 1, "bg_color": "#F3F4F6"}),
        "note": book.add_format({**base, "italic": True, "font_size": 10}),
        "L": book.add_format({**base, "border": 1}),
        "C": book.add_format({**base, "border": 1, "align": "center"}),
        "R": book.add_format({**base, "border": 1, "align": "right"}),
    }
    used: set[str] = set()
    sheet = book.add_worksheet(_sheet_name(report.sheet, used))
    widths = [max(sum(c.width for c in s.columns) for s in report.sections) / GRID] * GRID
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    chars_per_col = widths[0] * 1.15
    half = GRID // 2 - 4
    row = 0

    def merged(r: int, c0: int, c1: int, text: str, style: str) -> None:
        if c1 > c0:
            sheet.merge_range(r, c0, r, c1, text, fmt[style])
        else:
            sheet.write(r, c0, text, fmt[style])

    authority = report.authority + [""] * (2 - len(report.authority))
    merged(0, 0, half, authority[0], "plain_c")
    merged(0, half + 1, GRID - 1, MOTTO[0], "bold_c")
    merged(1, 0, half, authority[1], "bold_c")
    merged(1, half + 1, GRID - 1, MOTTO[1], "motto2")
    merged(2, 0, half, "Số:        /BC", "plain_c")
    merged(2, half + 1, GRID - 1, report.place_date, "italic_c")
    row = 4
    merged(row, 0, GRID - 1, report.title, "title")
    sheet.set_row(row, 20)
    row += 1
    merged(row, 0, GRID - 1, report.subtitle, "subtitle")
    sheet.set_row(row, 17 * _lines(report.subtitle, chars_per_col * GRID))
    row += 2
    for label, value in report.facts:
        merged(row, 0, 9, label, "label")
        merged(row, 10, GRID - 1, value, "plain")
        sheet.set_row(row, 15 * _lines(value, chars_per_col * (GRID - 10)))
        row += 1
    for section in report.sections:
        row += 1
        merged(row, 0, GRID - 1, section.title, "section")
        row += 1
        spans = _spans(section)
        starts = [sum(spans[:i]) for i in range(len(spans))]
        for col, (column, start, span) in enumerate(zip(section.columns, starts, spans, strict=True)):
            merged(row, start, start + span - 1, column.title, "head")
        sheet.set_row(row, 15 * max(_lines(c.title, chars_per_col * s) for c, s in zip(section.columns, spans)))
        row += 1
        if not section.rows:
            merged(row, 0, GRID - 1, "(không có)", "L")
            row += 1
        for index, cells in enumerate(section.rows):
            if index in section.heading_rows:
                merged(row, 0, GRID - 1, cells[0], "group")
                sheet.set_row(row, 15 * _lines(cells[0], chars_per_col * GRID))
            else:
                for column, start, span, text in zip(section.columns, starts, spans, cells, strict=True):
                    merged(row, start, start + span - 1, text, column.align)
                height = max(_lines(t, chars_per_col * s) for t, s in zip(cells, spans))
                sheet.set_row(row, 15 * height)
            row += 1
    row += 1
    for note in report.notes:
        merged(row, 0, GRID - 1, f"Ghi chú: {note}", "note")
        sheet.set_row(row, 14 * _lines(note, chars_per_col * GRID))
        row += 1
    row += 1
    blocks = len(report.signatures)
    width = GRID // max(blocks, 1)
    for i, (role, note, name) in enumerate(report.signatures):
        c0, c1 = i * width, (i + 1) * width - 1 if i < blocks - 1 else GRID - 1
        merged(row, c0, c1, role, "bold_c")
        merged(row + 1, c0, c1, note, "italic_c")
        merged(row + 6, c0, c1, name, "bold_c")
    sheet.set_row(row, 30)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.set_margins(left=0.6, right=0.5, top=0.6, bottom=0.7)
    sheet.fit_to_pages(1, 0)
    sheet.set_footer("&C&\"Times New Roman\"&9Trang &P/&N")
    sheet.hide_gridlines(2)

    for section in report.sections:
        data = book.add_worksheet(_sheet_name(section.sheet or section.title.split(". ", 1)[-1], used))
        for col, column in enumerate(section.columns):
            data.set_column(col, col, column.width)
            data.write(0, col, column.title, fmt["head"])
        for r, cells in enumerate(section.rows, start=1):
            for col, text in enumerate(cells):
                data.write_string(r, col, text, fmt[section.columns[col].align])
        if section.rows:
            data.autofilter(0, 0, len(section.rows), len(section.columns) - 1)
        data.freeze_panes(1, 0)
    book.close()
    return out.getvalue()
