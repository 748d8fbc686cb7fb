"""A :class:`~langso.criteria.reports.Report` as a PDF (fpdf2, Be Vietnam Pro embedded).

A4 landscape; the title block in two columns (issuing body left, national motto right), place and
date, title, facts, each section as a table whose header row repeats on every page, notes, then
the signature blocks kept together on one page; "Trang x/y" at the foot. Text is NFC (decomposed
Vietnamese draws badly).
"""

from __future__ import annotations

from pathlib import Path

import fontpkg_be_vietnam_pro
from fpdf import FPDF
from fpdf.fonts import FontFace

from langso.lib.vietnamese import nfc

from . import MOTTO, Report

FONT_DIR = Path(fontpkg_be_vietnam_pro.ROOT) / "files"
FONT = "BeVietnamPro"
INK = (17, 24, 39)
MUTED = (75, 85, 99)
HEAD_FILL = (229, 231, 235)
GROUP_FILL = (243, 244, 246)


# Characters Be Vietnam Pro lacks, drawn with ones it has.
_SUBSTITUTES = str.maketrans({"→": "->"})


def _text(value: str) -> str:
    """NFC line by line (``nfc`` alone would fold the line breaks into spaces)."""
    return "\n".join(nfc(line) for line in str(value).translate(_SUBSTITUTES).split("\n"))


class _Pdf(FPDF):
    def footer(self) -> None:
        self.set_y(-10)
        self.set_font(FONT, "", 8)
        self.set_text_color(*MUTED)
        self.cell(0, 5, f"Trang {self.page_no()}/{{nb}}", align="C")


def _new() -> _Pdf:
    pdf = _Pdf(orientation="landscape", unit="mm", format="A4")
    pdf.add_font(FONT, "", str(FONT_DIR / "BeVietnamPro-Regular.ttf"))
    pdf.add_font(FONT, "B", str(FONT_DIR / "BeVietnamPro-Bold.ttf"))
    pdf.add_font(FONT, "I", str(FONT_DIR / "BeVietnamPro-Italic.ttf"))
    pdf.set_margins(14, 12, 14)
    pdf.set_auto_page_break(True, margin=14)
    pdf.set_creator("Làng số")
    pdf.set_lang("vi")
    pdf.alias_nb_pages()
    return pdf


def render(report: Report) -> bytes:
    """The PDF's bytes."""
    pdf = _new()
    pdf.set_title(nfc(f"{report.title} — {report.subtitle}"))
    pdf.add_page()
    pdf.set_text_color(*INK)
    width = pdf.w - pdf.l_margin - pdf.r_margin
    left_w, right_w = width * 0.42, width * 0.58
    top = pdf.get_y()
    authority = report.authority + [""] * (2 - len(report.authority))
    pdf.set_font(FONT, "", 10)
    pdf.cell(left_w, 5, nfc(authority[0]), align="C", new_x="LEFT", new_y="NEXT")
    pdf.set_font(FONT, "B", 10)
    pdf.cell(left_w, 5, nfc(authority[1]), align="C", new_x="LEFT", new_y="NEXT")
    line_y = pdf.get_y() + 0.5
    pdf.line(pdf.l_margin + left_w * 0.35, line_y, pdf.l_margin + left_w * 0.65, line_y)
    pdf.set_y(line_y + 1.5)
    pdf.set_font(FONT, "", 10)
    pdf.cell(left_w, 5, "Số:        /BC", align="C")
    pdf.set_xy(pdf.l_margin + left_w, top)
    pdf.set_font(FONT, "B", 10)
    pdf.cell(right_w, 5, MOTTO[0], align="C", new_x="LEFT", new_y="NEXT")
    pdf.set_font(FONT, "B", 10.5)
    pdf.cell(right_w, 5, MOTTO[1], align="C", new_x="LEFT", new_y="NEXT")
    motto_w = pdf.get_string_width(MOTTO[1])
    y = pdf.get_y() + 0.5
    centre = pdf.l_margin + left_w + right_w / 2
    pdf.line(centre - motto_w / 2, y, centre + motto_w / 2, y)
    pdf.set_xy(pdf.l_margin + left_w, y + 1.5)
    pdf.set_font(FONT, "I", 10)
    pdf.cell(right_w, 5, nfc(report.place_date), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(5)
    pdf.set_font(FONT, "B", 15)
    pdf.cell(width, 7, nfc(report.title), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "B", 11.5)
    pdf.multi_cell(width, 6, nfc(report.subtitle), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    for label, value in report.facts:
        pdf.set_font(FONT, "B", 9.5)
        pdf.cell(42, 5, nfc(label) + ":")
        pdf.set_font(FONT, "", 9.5)
        pdf.multi_cell(width - 42, 5, _text(value), new_x="LMARGIN", new_y="NEXT")
    for section in report.sections:
        pdf.ln(3)
        if pdf.get_y() > pdf.h - 40:
            pdf.add_page()
        pdf.set_font(FONT, "B", 10.5)
        pdf.cell(width, 7, nfc(section.title), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, "", 8.5)
        aligns = tuple({"L": "LEFT", "C": "CENTER", "R": "RIGHT"}[c.align] for c in section.columns)
        with pdf.table(
            col_widths=tuple(c.width for c in section.columns), width=width, text_align=aligns,
            line_height=4.2, padding=1.2, first_row_as_headings=True, repeat_headings=1,
            headings_style=FontFace(emphasis="BOLD", fill_color=HEAD_FILL), borders_layout="ALL",
        ) as table:
            head = table.row()
            for column in section.columns:
                head.cell(nfc(column.title), align="CENTER")
            if not section.rows:
                table.row().cell("(không có)", colspan=len(section.columns))
            for index, cells in enumerate(section.rows):
                row = table.row()
                if index in section.heading_rows:
                    row.cell(nfc(cells[0]), colspan=len(section.columns), align="LEFT",
                             style=FontFace(emphasis="BOLD", fill_color=GROUP_FILL))
                    continue
                for text in cells:
                    row.cell(_text(text))
    pdf.ln(3)
    pdf.set_font(FONT, "I", 8.5)
    pdf.set_text_color(*MUTED)
    for note in report.notes:
        pdf.multi_cell(width, 4.2, nfc(f"Ghi chú: {note}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*INK)
    if pdf.get_y() > pdf.h - 55:  # keep the signature blocks together
        pdf.add_page()
    pdf.ln(5)
    blocks = report.signatures
    block_w = width / max(len(blocks), 1)
    top = pdf.get_y()
    for i, (role, note, name) in enumerate(blocks):
        x = pdf.l_margin + i * block_w
        pdf.set_xy(x, top)
        pdf.set_font(FONT, "B", 10)
        pdf.multi_cell(block_w, 5, _text(role), align="C", new_x="LEFT", new_y="NEXT")
        pdf.set_x(x)
        pdf.set_font(FONT, "I", 9)
        pdf.multi_cell(block_w, 5, nfc(note), align="C", new_x="LEFT", new_y="NEXT")
        if name:
            pdf.set_xy(x, top + 35)
            pdf.set_font(FONT, "B", 10)
            pdf.cell(block_w, 5, nfc(name), align="C")
    pdf.set_y(top + 42)
    return bytes(pdf.output())
