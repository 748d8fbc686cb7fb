"""Images of the visible signature, drawn programmatically and marked DEMO.

Decree 30/2020/NĐ-CP, Appendix I, §II (hình thức chữ ký số trên văn bản điện tử):
- the signer's signature image: blue, PNG with a transparent background, at the signer's place;
- the organisation's seal image: red, PNG with a transparent background, at the seal's real size
  (a commune seal is 35 mm across — Circular 07/2025/TT-BCA sizes, previously Decree 99/2016),
  overlapping about a third of the signature on the left.

A real commune scans its own seal and signature (kept as a credential's images); the demo draws
a seal that reads "DEMO" in its centre and a scribble derived from the signer's name, so nobody
mistakes a demo document for a real one. Pixel sizes assume :data:`PX_PER_MM`.
"""

from __future__ import annotations

import functools
import hashlib
import io
import math
import random

from PIL import Image, ImageDraw, ImageFont

from langso.lib.vietnamese import nfc

from . import fonts

PX_PER_MM = 12  # ≈ 305 dpi
SEAL_RED = (214, 18, 32)
INK_BLUE = (22, 58, 170)
SEAL_MM = 35.0
SIGNATURE_MM = (52.0, 24.0)


def _font(size_px: int, style: str = "B") -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(fonts.face_path(style)), size_px)


def _arc_text(img: Image.Image, text: str, centre: tuple[float, float], radius: float, font: ImageFont.FreeTypeFont,
              colour: tuple[int, int, int], *, top: bool) -> None:
    """Write ``text`` along a circle: over the top (reading clockwise) or under the bottom."""
    widths = [font.getlength(ch) for ch in text]
    spacing = font.size * 0.08
    total = sum(widths) + spacing * (len(text) - 1)
    arc = total / radius
    cx, cy = centre
    pos = 0.0
    for ch, w in zip(text, widths, strict=True):
        mid = pos + w / 2
        pos += w + spacing
        if ch == " ":
            continue
        if top:
            theta = -math.pi / 2 - arc / 2 + mid / radius
            rotation = -math.degrees(theta + math.pi / 2)
        else:
            theta = math.pi / 2 + arc / 2 - mid / radius
            rotation = -math.degrees(theta - math.pi / 2)
        tile_size = int(font.size * 2)
        tile = Image.new("RGBA", (tile_size, tile_size), (0, 0, 0, 0))
        ImageDraw.Draw(tile).text((tile_size / 2, tile_size / 2), ch, font=font, fill=(*colour, 255), anchor="mm")
        tile = tile.rotate(rotation, resample=Image.Resampling.BICUBIC)
        x = cx + radius * math.cos(theta) - tile_size / 2
        y = cy + radius * math.sin(theta) - tile_size / 2
        img.alpha_composite(tile, (int(round(x)), int(round(y))))


def _star(draw: ImageDraw.ImageDraw, centre: tuple[float, float], r_outer: float, colour: tuple[int, ...]) -> None:
    cx, cy = centre
    r_inner = r_outer * 0.382
    points = []
    for i in range(10):
        r = r_outer if i % 2 == 0 else r_inner
        a = -math.pi / 2 + i * math.pi / 5
        points.append((cx + r * math.cos(a), cy + r * math.sin(a)))
    draw.polygon(points, fill=colour)


def seal_image(organisation: str, province: str = "", *, demo: bool = True) -> Image.Image:
    """The organisation's round red seal as an RGBA image of 35 mm at :data:`PX_PER_MM`.

    ``organisation`` goes over the top arc (upper case), ``province`` under the bottom arc; the
    centre reads DEMO when ``demo`` (always, in this version: real seals are scanned, not drawn).
    """
    size = int(SEAL_MM * PX_PER_MM)
    scale = 3  # draw large, then downsample: Pillow's shapes are not antialiased
    big = size * scale
    img = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    colour = (*SEAL_RED, 235)
    c = big / 2
    outer = big / 2 - 4 * scale
    draw.ellipse([c - outer, c - outer, c + outer, c + outer], outline=colour, width=int(4.2 * scale))
    inner = outer * 0.66
    draw.ellipse([c - inner, c - inner, c + inner, c + inner], outline=colour, width=int(2.4 * scale))
    ring_font = _font(int(big * 0.075))
    ring_r = (outer + inner) / 2 - ring_font.size * 0.05
    _arc_text(img, nfc(organisation).upper(), (c, c), ring_r, ring_font, SEAL_RED, top=True)
    if province:
        _arc_text(img, nfc(province).upper(), (c, c), ring_r, _font(int(big * 0.062)), SEAL_RED, top=False)
    draw = ImageDraw.Draw(img)
    _star(draw, (c, c - inner * 0.42), inner * 0.22, colour)
    if demo:
        draw.text((c, c + inner * 0.12), "DEMO", font=_font(int(big * 0.12)), fill=colour, anchor="mm")
        draw.text((c, c + inner * 0.5), "KHÔNG CÓ GIÁ TRỊ", font=_font(int(big * 0.035)), fill=colour, anchor="mm")
    return img.resize((size, size), Image.Resampling.LANCZOS)


def signature_image(signer_name: str, *, demo: bool = True) -> Image.Image:
    """A blue handwritten-looking signature for ``signer_name``: a seeded scribble, not a real one.

    The same name always gives the same image (seeded by SHA-256 of the NFC name).
    """
    width, height = (int(v * PX_PER_MM) for v in SIGNATURE_MM)
    scale = 3
    img = Image.new("RGBA", (width * scale, height * scale), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    rng = random.Random(hashlib.sha256(nfc(signer_name).encode("utf-8")).digest())
    colour = (*INK_BLUE, 255)
    stroke = int(2.2 * scale * PX_PER_MM / 10)
    w, h = width * scale, height * scale
    # Cursive loops: a prolate trochoid (x = v·t − r·sin t, y = −r·cos t, r > v) with a slant and a
    # seeded, slowly varying height, then an underline flourish.
    loops = rng.randint(5, 7)
    v = (w * 0.72) / (loops * 2 * math.pi)
    phase = rng.random() * 3
    points = []
    steps = loops * 48
    for i in range(steps + 1):
        t = i / steps * loops * 2 * math.pi
        tall = 1.0 + 0.45 * math.sin(t / 3.1 + phase) + (0.9 if t < 2 * math.pi else 0.0)
        r = v * 1.6
        x = v * t - r * math.sin(t)
        y = -r * math.cos(t) * tall
        points.append((w * 0.12 + x - 0.35 * y, h * 0.45 + y))
    draw.line(points, fill=colour, width=stroke, joint="curve")
    underline = [(w * (0.05 + 0.9 * k / 40), h * (0.74 - 0.08 * math.sin(k / 40 * math.pi))) for k in range(41)]
    draw.line(underline, fill=colour, width=stroke, joint="curve")
    if demo:
        draw.text((w * 0.9, h * 0.92), "DEMO", font=_font(int(h * 0.12), ""), fill=(*INK_BLUE, 200), anchor="rs")
    return img.resize((width, height), Image.Resampling.LANCZOS)


@functools.lru_cache(maxsize=64)
def stamp_image(organisation: str, province: str, signer_name: str) -> Image.Image:
    """Seal over signature as Decree 30/2020 places them: the seal covers the left third of the signature.

    Returns an RGBA image whose height is the seal's; the signature is vertically centred on it.
    Cached per process (the same commune signs many documents); callers must not modify it.
    """
    seal = seal_image(organisation, province)
    sig = signature_image(signer_name)
    offset = seal.width - sig.width // 3  # seal's right edge falls a third into the signature
    canvas = Image.new("RGBA", (offset + sig.width, seal.height), (0, 0, 0, 0))
    canvas.alpha_composite(sig, (offset, (seal.height - sig.height) // 2))
    canvas.alpha_composite(seal, (0, 0))
    return canvas


def png_bytes(img: Image.Image) -> bytes:
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=True)
    return out.getvalue()
