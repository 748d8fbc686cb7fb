"""Drawing VietQR payloads as QR symbols (segno): SVG for pages and print, PNG for download.

Error correction level M (ISO/IEC 18004: ~15 % of codewords recoverable) is the floor;
segno raises it to Q or H when that fits in the same symbol version, so the code gets the most
protection its size allows (a standee gets scratched and dirty) without smaller modules. A
static account payload (~90 characters) gives version 5 or 6 (37 or 41 modules). The quiet
zone is the standard 4 modules.
"""

from __future__ import annotations

import io

import segno

ERROR_LEVEL = "m"
QUIET_ZONE = 4


def make_qr(payload: str) -> segno.QRCode:
    """The QR symbol of ``payload`` (never a Micro QR, which bank apps do not read)."""
    return segno.make_qr(payload, error=ERROR_LEVEL, boost_error=True)


def modules(payload: str) -> list[list[bool]]:
    """The symbol's module matrix without quiet zone: ``rows[y][x]`` is ``True`` for dark."""
    return [[bool(cell) for cell in row] for row in make_qr(payload).matrix_iter(scale=1, border=0)]


def svg(payload: str, *, scale: int = 8, title: str = "", css_class: str = "", fluid: bool = False) -> str:
    """An SVG document of the symbol, ``scale`` user units per module, quiet zone included,
    dark modules black on white (printers and old phone cameras need the contrast). ``fluid``
    drops width/height for a ``viewBox``, so CSS sizes it inside a page."""
    out = io.BytesIO()
    make_qr(payload).save(
        out, kind="svg", scale=scale, border=QUIET_ZONE, dark="#000", light="#fff", xmldecl=False,
        title=title or None, svgclass=css_class or None, lineclass=None, omitsize=fluid,
    )
    return out.getvalue().decode("utf-8")


def png(payload: str, *, scale: int = 10) -> bytes:
    """A PNG of the symbol, ``scale`` pixels per module, quiet zone included (no Pillow needed)."""
    out = io.BytesIO()
    make_qr(payload).save(out, kind="png", scale=scale, border=QUIET_ZONE, dark="#000", light="#fff")
    return out.getvalue()
