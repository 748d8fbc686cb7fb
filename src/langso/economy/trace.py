"""A lot's public identity: its GS1 Digital Link URI, its QR code and printable label sheets.

URI: ``{LANGSO_PUBLIC_URL}/01/{GTIN-14}/10/{lot}`` when the product has a GTIN (GS1 Digital Link
1.4: the platform is the resolver, the path opens the public trace page), else the platform's own
resolver path ``{LANGSO_PUBLIC_URL}/t/{public_id}/``.

Labels (A4, fpdf2 + Be Vietnam Pro, NFC text): 3 × 8 labels of 70 × 37 mm (the common
"24 per sheet" stock); each carries the QR (22 mm with its quiet zone: ≈ 0.5 mm per module
for a 41-module symbol, read at a hand's distance), the product, the lot number, the dates
and the producer's trade name.
"""

from __future__ import annotations

import io
from pathlib import Path

import fontpkg_be_vietnam_pro
import segno
from django.conf import settings
from django.urls import reverse
from fpdf import FPDF

from langso.lib.vietnamese import nfc

from . import gs1
from .models import Lot

FONT_DIR = Path(fontpkg_be_vietnam_pro.ROOT) / "files"
FONT = "BeVietnamPro"
COLUMNS, ROWS = 3, 8
LABEL_W, LABEL_H = 70.0, 37.125  # A4 210 × 297 mm divided evenly
QR_EDGE = 22.0


def lot_uri(lot: Lot) -> str:
    """The lot's absolute URI (GS1 Digital Link when the product has a GTIN)."""
    base = settings.LANGSO_PUBLIC_URL.rstrip("/")
    if lot.product.gtin:
        return gs1.digital_link(base, lot.product.gtin, lot.code)
    return base + reverse("economy:trace", args=[lot.public_id])


def qr_svg(uri: str, scale: int = 4) -> str:
    """Inline SVG of the QR code of ``uri`` (error correction M, 4-module quiet zone)."""
    out = io.BytesIO()
    segno.make(uri, error="m", micro=False).save(out, kind="svg", scale=scale, border=4, xmldecl=False,
                                                  svgns=True, nl=False)
    return out.getvalue().decode()


def _draw_qr(pdf: FPDF, uri: str, x: float, y: float, edge: float) -> None:
    qr = segno.make(uri, error="m", micro=False)
    matrix = list(qr.matrix)
    n = len(matrix) + 8
    module = edge / n
    pdf.set_fill_color(0, 0, 0)
    for r, row in enumerate(matrix):
        c = 0
        while c < len(row):
            if row[c]:
                start = c
                while c < len(row) and row[c]:
                    c += 1
                pdf.rect(x + (start + 4) * module, y + (r + 4) * module, (c - start) * module, module, style="F")
            else:
                c += 1


def label_sheet(lot: Lot, count: int = COLUMNS * ROWS) -> bytes:
    """A4 PDF with ``count`` identical labels (1–240, i.e. up to 10 sheets) of ``lot``."""
    count = max(1, min(count, 240))
    uri = lot_uri(lot)
    product = lot.product
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.add_font(FONT, "", str(FONT_DIR / "BeVietnamPro-Regular.ttf"))
    pdf.add_font(FONT, "B", str(FONT_DIR / "BeVietnamPro-Bold.ttf"))
    pdf.set_creator("Làng số")
    pdf.set_title(nfc(f"Tem truy xuất {product.name} — lô {lot.code}"))
    pdf.set_lang("vi")
    lines = [
        (FONT, "B", 8.5, nfc(product.name)),
        (FONT, "", 7, nfc(f"Lô / Lot: {lot.code}")),
        *([(FONT, "B", 6.5, f"OCOP {product.ocop_stars} sao")] if product.ocop_stars else []),
        (FONT, "", 6.5, f"NSX: {lot.produced_on:%d/%m/%Y}" + (f" · HSD: {lot.best_before:%d/%m/%Y}"
                                                              if lot.best_before else "")),
        (FONT, "", 6.5, nfc(product.producer.trade_name)),
        (FONT, "", 5.5, "Quét mã để truy xuất nguồn gốc"),
    ]
    for i in range(count):
        if i % (COLUMNS * ROWS) == 0:
            pdf.add_page()
        slot = i % (COLUMNS * ROWS)
        x, y = (slot % COLUMNS) * LABEL_W, (slot // COLUMNS) * LABEL_H
        _draw_qr(pdf, uri, x + 2, y + (LABEL_H - QR_EDGE) / 2, QR_EDGE)
        tx, tw = x + 2 + QR_EDGE + 1, LABEL_W - QR_EDGE - 6
        pdf.set_xy(tx, y + 5)
        for family, style, size, text in lines:
            pdf.set_font(family, style, size)
            pdf.set_x(tx)
            pdf.multi_cell(tw, size * 0.45, text, max_line_height=size * 0.45, new_x="LEFT", new_y="NEXT")
    return bytes(pdf.output())
