"""Printable payment standees (PDF, A5 or A6) with fpdf2 and the Be Vietnam Pro font.

A standee shows "scan to pay", the trade name, the commune, the bank's short name, the account
holder and number, and the static VietQR code drawn as vector rectangles (one filled path, so no
hairline seams between modules at any zoom or printer resolution).

QR size. A phone reads a module that covers about 2 pixels or more of its camera preview. A
typical main camera sees ~70° across, so at 1 m its 1920-pixel preview covers ~1.4 m: about
1.37 px per millimetre. A 37–41-module code plus its 8-module quiet zone must then be at least
~2 × 49 / 1.37 ≈ 72 mm wide for 2 px per module at 1 m. Hence the QR edge (quiet zone
included) is **110 mm on A5** (≈3 px per module at 1 m: reads from ~1.5 m, and also meets the
printers' 10:1 distance-to-size rule of thumb at 1 m) and **84 mm on A6** (≈2.3 px per module at
1 m: the counter card read from arm's length to about a metre). The tests render the PDF at
35 dpi (the 1.37 px/mm above) and check that the code still decodes. Text is NFC (fonts draw
decomposed Vietnamese badly).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import fontpkg_be_vietnam_pro
from fpdf import FPDF

from langso.lib.vietnamese import nfc

from .render import QUIET_ZONE, modules

FONT_DIR = Path(fontpkg_be_vietnam_pro.ROOT) / "files"
FONT = "BeVietnamPro"
INK = (17, 24, 39)
ACCENT = (0, 94, 160)
MUTED = (75, 85, 99)


@dataclass(frozen=True)
class Layout:
    """Geometry of one page size, in millimetres and points."""

    name: str
    width: float
    height: float
    margin: float
    qr_edge: float  # symbol with its quiet zone
    title_pt: float
    name_pt: float
    body_pt: float
    small_pt: float


LAYOUTS = {
    "A5": Layout("A5", 148, 210, 12, 110, 15, 22, 12, 8.5),
    "A6": Layout("A6", 105, 148, 7, 84, 11, 15, 9, 6.5),
}


@dataclass(frozen=True)
class Standee:
    """What one standee page shows. ``payload`` is the static VietQR payload to draw."""

    trade_name: str
    commune: str
    province: str
    bank_short_name: str
    account_holder: str
    account_number: str
    is_card: bool
    payload: str


def _new_pdf(layout: Layout) -> FPDF:
    pdf = FPDF(orientation="portrait", unit="mm", format=(layout.width, layout.height))
    pdf.set_auto_page_break(False)
    pdf.set_margins(layout.margin, layout.margin, layout.margin)
    pdf.add_font(FONT, "", str(FONT_DIR / "BeVietnamPro-Regular.ttf"))
    pdf.add_font(FONT, "B", str(FONT_DIR / "BeVietnamPro-Bold.ttf"))
    pdf.set_creator("Làng số")
    pdf.set_lang("vi")
    return pdf


def _centred(pdf: FPDF, text: str, style: str, size: float, minimum: float, colour: tuple[int, int, int],
             max_lines: int = 1) -> None:
    """Write ``text`` centred across the margins at the largest size ≤ ``size`` at which it
    fits in ``max_lines`` lines (never below ``minimum``; past it, a long text wraps further)."""
    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.set_font(FONT, style, size)
    # A string this wide needs more than max_lines lines whatever the breaks; narrower may still.
    while size > minimum and pdf.get_string_width(text) > width * (max_lines if max_lines == 1 else max_lines * 0.9):
        size -= 0.5
        pdf.set_font(FONT, style, size)
    pdf.set_text_color(*colour)
    pdf.set_x(pdf.l_margin)
    if max_lines == 1 and pdf.get_string_width(text) <= width:
        pdf.cell(width, size * 0.45, text, align="C", new_x="LMARGIN", new_y="NEXT")
    else:
        pdf.multi_cell(width, size * 0.45, text, align="C", new_x="LMARGIN", new_y="NEXT")


def draw_qr(pdf: FPDF, payload: str, x: float, y: float, edge: float) -> None:
    """Draw the QR symbol of ``payload`` with its quiet zone in a square of ``edge`` mm at
    (``x``, ``y``): a white square, then every row's runs of dark modules as rectangles of ONE
    filled path (``re … re f``), so viewers and printers leave no hairline seams between them.

    The path is written as PDF operators (ISO 32000-1 §8.5.2): fpdf2's drawing API deep-copies
    each path, ~80 ms for a 700-rectangle code, which made a commune's bulk PDF take minutes.
    """
    matrix = modules(payload)
    count = len(matrix) + 2 * QUIET_ZONE
    unit = edge / count
    pdf.set_fill_color(255, 255, 255)
    pdf.rect(x, y, edge, edge, style="F")
    k, page_height = pdf.k, pdf.h
    ops = ["q 0 g"]
    for row_index, row in enumerate(matrix):
        top = y + (row_index + QUIET_ZONE) * unit
        start = None
        for col_index, dark in enumerate([*row, False]):
            if dark and start is None:
                start = col_index
            elif not dark and start is not None:
                left = x + (start + QUIET_ZONE) * unit
                ops.append(f"{left * k:.3f} {(page_height - top) * k:.3f} {(col_index - start) * unit * k:.3f} "
                           f"{-unit * k:.3f} re")
                start = None
    ops.append("f Q")
    pdf._out(" ".join(ops))  # noqa: SLF001 — fpdf2's page-content writer, as its own rect() uses


def _page(pdf: FPDF, layout: Layout, item: Standee) -> None:
    pdf.add_page()
    inner = layout.width - 2 * layout.margin
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(0.6)
    pdf.rect(layout.margin / 2, layout.margin / 2, layout.width - layout.margin, layout.height - layout.margin)
    pdf.set_y(layout.margin + 1)
    _centred(pdf, "QUÉT MÃ ĐỂ THANH TOÁN", "B", layout.title_pt, layout.small_pt, ACCENT)
    _centred(pdf, "Scan to pay · VietQR · NAPAS 247", "", layout.small_pt, layout.small_pt, MUTED)
    pdf.ln(layout.margin * 0.25)
    _centred(pdf, nfc(item.trade_name), "B", layout.name_pt, layout.small_pt, INK, max_lines=2)
    pdf.ln(layout.margin * 0.2)
    top = pdf.get_y()
    x = layout.margin + (inner - layout.qr_edge) / 2
    draw_qr(pdf, item.payload, x, top, layout.qr_edge)
    pdf.set_y(top + layout.qr_edge + layout.margin * 0.1)
    kind = "Số thẻ" if item.is_card else "Số tài khoản"
    _centred(pdf, f"{nfc(item.bank_short_name)} · {kind} {_grouped(item.account_number)}", "B", layout.body_pt,
             layout.small_pt, INK)
    _centred(pdf, f"Chủ tài khoản: {item.account_holder}", "", layout.body_pt, layout.small_pt, INK)
    pdf.set_y(layout.height - layout.margin - layout.small_pt * 0.45 * 2 - 1)
    _centred(pdf, nfc(f"{item.commune}, {item.province}"), "", layout.small_pt, layout.small_pt * 0.8, MUTED)
    _centred(pdf, "Làng số · Kiểm tra tên người nhận trên ứng dụng ngân hàng trước khi chuyển", "",
             layout.small_pt * 0.85, layout.small_pt * 0.6, MUTED)


def _grouped(number: str) -> str:
    """``"0011004325123"`` → ``"0011 0043 2512 3"``: groups of four, easier to read aloud."""
    return " ".join(number[i:i + 4] for i in range(0, len(number), 4))


def standee_pdf(items: list[Standee], size: str = "A5") -> bytes:
    """A PDF with one standee page of ``size`` (``"A5"`` or ``"A6"``) per item, in order.

    Raises ``ValueError`` for another size or an empty list.
    """
    if size not in LAYOUTS:
        raise ValueError(f"size must be one of {sorted(LAYOUTS)}, not {size!r}")
    if not items:
        raise ValueError("no standee to print")
    layout = LAYOUTS[size]
    pdf = _new_pdf(layout)
    pdf.set_title(items[0].trade_name if len(items) == 1 else f"VietQR — {items[0].commune}")
    for item in items:
        _page(pdf, layout, item)
    return bytes(pdf.output())
