"""Rendered QR symbols decode back to the exact payload.

PNG: segno's PNG read by zxing-cpp. SVG: rasterised by CairoSVG (libcairo, present on the
machine image) and read by zxing-cpp; and, so the check does not hang on one decoder's
tolerance, the SVG rasterised at exactly one pixel per module must equal segno's module matrix.
"""

from __future__ import annotations

import io

import pytest

from langso.payments import render
from langso.payments.vietqr import SERVICE_CARD, VietQR, encode

zxingcpp = pytest.importorskip("zxingcpp")
cairosvg = pytest.importorskip("cairosvg")
Image = pytest.importorskip("PIL.Image")

PAYLOADS = [
    encode(VietQR(bin="970436", account="0011004325123")),
    encode(VietQR(bin="970405", account="9704051234567890123", service=SERVICE_CARD)),
    encode(VietQR(bin="970418", account="21510001234567", dynamic=True, amount=2_450_000,
                  purpose="Tiền phân bón vụ đông", bill_number="HD2026-118", terminal_label="QUAY 2")),
]


def read(image) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(image) if result.format == zxingcpp.BarcodeFormat.QRCode]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_png_decodes_to_the_exact_payload(payload):
    image = Image.open(io.BytesIO(render.png(payload, scale=4)))
    assert read(image) == [payload]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_svg_decodes_to_the_exact_payload(payload):
    raster = cairosvg.svg2png(bytestring=render.svg(payload, scale=6).encode())
    assert read(Image.open(io.BytesIO(raster))) == [payload]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_svg_modules_equal_the_symbol_matrix(payload):
    matrix = render.modules(payload)
    side = len(matrix) + 2 * render.QUIET_ZONE
    raster = cairosvg.svg2png(bytestring=render.svg(payload, scale=1).encode(), output_width=side, output_height=side)
    image = Image.open(io.BytesIO(raster)).convert("RGBA")
    background = Image.new("RGBA", image.size, "white")
    grey = Image.alpha_composite(background, image).convert("L")
    q = render.QUIET_ZONE
    got = [[grey.getpixel((x + q, y + q)) < 128 for x in range(len(matrix))] for y in range(len(matrix))]
    assert got == matrix
    border = [grey.getpixel((x, y)) for x in range(side) for y in range(side)
              if min(x, y) < q or max(x, y) >= side - q]
    assert min(border) > 200  # the quiet zone is white


def test_fluid_svg_has_a_viewbox_and_no_fixed_size():
    svg = render.svg(PAYLOADS[0], fluid=True)
    assert "viewBox" in svg and 'width="' not in svg.split(">")[0]


def test_symbol_version_of_a_static_account_code():
    symbol = render.make_qr(PAYLOADS[0])
    assert symbol.version <= 6 and symbol.error in {"M", "Q", "H"}
