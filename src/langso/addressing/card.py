"""The printable household address card: one A6 page (105 × 148 mm), fpdf2 and Be Vietnam Pro.

The card shows the address code (large, in groups of 3-3-4 as it is read aloud), the Plus Code
(full, and short beside the commune name), the village, commune and province, the WGS84
coordinates and a QR code. It carries **no names and no personal data**: it is meant to be
fixed by the door, where anyone can read it.

QR payload (:func:`qr_payload`): one ``geo:`` URI holding the point and the code as its label,
``geo:21.30092,105.59043?q=21.30092,105.59043(7K2-M9Q-04XR)`` — coordinates as RFC 5870, the label
in the ``q=lat,lon(label)`` form that Android and common map apps open as a labelled pin. Error
correction level M (15 %) survives a scuffed card; the symbol is 44 mm wide with its quiet zone,
which reads from ~40 cm with a phone (2 px per module at the 1.37 px/mm of a typical preview).
Text is NFC (fonts draw decomposed Vietnamese badly).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import fontpkg_be_vietnam_pro
import segno
from fpdf import FPDF
from openlocationcode import openlocationcode as olc

from langso.lib.vietnamese import nfc

FONT_DIR = Path(fontpkg_be_vietnam_pro.ROOT) / "files"
FONT = "BeVietnamPro"
INK = (17, 24, 39)
ACCENT = (0, 94, 160)
MUTED = (75, 85, 99)
WIDTH, HEIGHT, MARGIN = 105.0, 148.0, 7.0
QR_EDGE = 44.0
QUIET_ZONE = 4


@dataclass(frozen=True)
class Card:
    """What one card shows. ``code`` is the display form (``7K2-M9Q-04XR``); ``lat``/``lon`` the
    household's point in WGS84 degrees."""

    code: str
    lat: float
    lon: float
    village: str
    commune: str
    province: str
    issued_on: dt.date
    commune_centre: tuple[float, float] | None = None

    @property
    def plus_code(self) -> str:
        return olc.encode(self.lat, self.lon)

    @property
    def short_plus_code(self) -> str:
        """The Plus Code shortened against the commune's centre (``8H2R+95``), or the full code."""
        if self.commune_centre is None:
            return self.plus_code
        return olc.shorten(self.plus_code, *self.commune_centre)


def qr_payload(code: str, lat: float, lon: float) -> str:
    """The QR content: a ``geo:`` URI with the point (5 decimals, ~1 m) labelled with the code."""
    point = f"{lat:.5f},{lon:.5f}"
    return f"geo:{point}?q={point}({code})"


def _draw_qr(pdf: FPDF, payload: str, x: float, y: float, edge: float) -> None:
    qr = segno.make(payload, error="m", micro=False)
    matrix = [list(row) for row in qr.matrix_iter(scale=1, border=QUIET_ZONE)]
    size = len(matrix)
    module = edge / size
    pdf.set_fill_color(255, 255, 255)
    pdf.rect(x, y, edge, edge, style="F")
    pdf.set_fill_color(0, 0, 0)
    for r, row in enumerate(matrix):
        c = 0
        while c < size:
            if row[c]:
                start = c
                while c < size and row[c]:
                    c += 1
                # a hair of overlap so no white seams show between rows at any zoom
                pdf.rect(x + start * module, y + r * module, (c - start) * module, module + 0.02, style="F")
            else:
                c += 1


def _centred(pdf: FPDF, y: float, text: str, style: str, size: float, colour: tuple[int, int, int]) -> None:
    pdf.set_font(FONT, style, size)
    pdf.set_text_color(*colour)
    while pdf.get_string_width(text) > WIDTH - 2 * MARGIN and size > 6:
        size -= 0.5
        pdf.set_font(FONT, style, size)
    pdf.set_xy(MARGIN, y)
    pdf.cell(WIDTH - 2 * MARGIN, size * 0.45, text, align="C")


def _page(pdf: FPDF, card: Card) -> None:
    pdf.add_page()
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(0.6)
    pdf.rect(MARGIN / 2, MARGIN / 2, WIDTH - MARGIN, HEIGHT - MARGIN)
    pdf.set_fill_color(*ACCENT)
    pdf.rect(MARGIN / 2, MARGIN / 2, WIDTH - MARGIN, 15, style="F")
    _centred(pdf, 6.0, "ĐỊA CHỈ SỐ HỘ GIA ĐÌNH", "B", 12, (255, 255, 255))
    _centred(pdf, 12.0, "Household digital address", "", 8, (255, 255, 255))
    _centred(pdf, 24.0, card.code, "B", 25, INK)
    _centred(pdf, 36.0, "Mã địa chỉ số / address code", "", 7, MUTED)
    _draw_qr(pdf, qr_payload(card.code, card.lat, card.lon), (WIDTH - QR_EDGE) / 2, 41.0, QR_EDGE)
    y = 88.0
    _centred(pdf, y, f"Plus Code: {card.plus_code}", "B", 11, INK)
    if card.commune_centre is not None:
        _centred(pdf, y + 6, f"{card.short_plus_code} {nfc(card.commune)}", "", 8, MUTED)
    pdf.set_draw_color(*MUTED)
    pdf.set_line_width(0.2)
    pdf.line(MARGIN + 4, y + 12, WIDTH - MARGIN - 4, y + 12)
    rows = [("Thôn / Village", nfc(card.village) or "—"), ("Xã / Commune", nfc(card.commune)),
            ("Tỉnh / Province", nfc(card.province)), ("Toạ độ / WGS84", f"{card.lat:.5f}, {card.lon:.5f}")]
    y += 15
    for label, value in rows:
        pdf.set_xy(MARGIN + 2, y)
        pdf.set_font(FONT, "", 7.5)
        pdf.set_text_color(*MUTED)
        pdf.cell(28, 5, label)
        pdf.set_font(FONT, "B", 9.5)
        pdf.set_text_color(*INK)
        text = value
        while pdf.get_string_width(text) > WIDTH - 2 * MARGIN - 32 and len(text) > 4:
            text = text[:-2] + "…"
        pdf.cell(WIDTH - 2 * MARGIN - 32, 5, text)
        y += 6.2
    _centred(pdf, HEIGHT - 14.5, f"Cấp ngày / issued {card.issued_on:%d/%m/%Y} · Làng số", "", 6.5, MUTED)
    _centred(pdf, HEIGHT - 11.0, "Mã không đổi khi sáp nhập xã — the code never changes", "", 6.5, MUTED)


def card_pdf(cards: list[Card]) -> bytes:
    """A PDF with one A6 page per card."""
    pdf = FPDF(orientation="portrait", unit="mm", format=(WIDTH, HEIGHT))
    pdf.set_auto_page_break(False)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.add_font(FONT, "", str(FONT_DIR / "BeVietnamPro-Regular.ttf"))
    pdf.add_font(FONT, "B", str(FONT_DIR / "BeVietnamPro-Bold.ttf"))
    pdf.set_creator("Làng số")
    pdf.set_title("Địa chỉ số hộ gia đình / Household digital address")
    pdf.set_lang("vi")
    for card in cards:
        _page(pdf, card)
    return bytes(pdf.output())
