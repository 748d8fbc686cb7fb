"""Photos attached to feedback: checked, then re-encoded without any metadata.

A phone photo carries EXIF (GPS position, time, device serial) that a resident rarely means to
send. Every accepted photo is decoded and written again as a fresh JPEG from its pixels only, so
no EXIF, XMP, IPTC, ICC or PNG text chunk survives; the EXIF orientation is applied first so the
picture stays upright. Limits: :data:`MAX_BYTES` uploaded, :data:`MAX_PIXELS` decoded (guards
against decompression bombs), JPEG/PNG/WebP only; stored at most :data:`MAX_SIDE` px on the long
side.
"""

from __future__ import annotations

import io

from PIL import Image, ImageOps, UnidentifiedImageError

from langso.lib.errors import RuleViolation

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 1600
FORMATS = {"JPEG", "PNG", "WEBP"}


def _refuse(rule: str, vi: str, en: str) -> RuleViolation:
    return RuleViolation("photo", f"photo.{rule}", vi, en)


def clean_photo(data: bytes) -> bytes:
    """Check an uploaded image and return it as a metadata-free JPEG (bytes).

    Raises :class:`RuleViolation` (field ``photo``): ``photo.size`` over 5 MB, ``photo.type`` not a
    JPEG/PNG/WebP image, ``photo.pixels`` over 40 megapixels, ``photo.broken`` undecodable.
    """
    if len(data) > MAX_BYTES:
        raise _refuse("size", "Ảnh quá 5 MB.", "The photo is larger than 5 MB.")
    try:
        image = Image.open(io.BytesIO(data))
        kind = image.format
    except (UnidentifiedImageError, OSError):
        raise _refuse("type", "Tệp không phải ảnh JPEG, PNG hoặc WebP.", "The file is not a JPEG, PNG or WebP image.") from None
    if kind not in FORMATS:
        raise _refuse("type", "Chỉ nhận ảnh JPEG, PNG hoặc WebP.", "Only JPEG, PNG or WebP images are accepted.")
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise _refuse("pixels", "Ảnh quá lớn (trên 40 megapixel).", "The image is over 40 megapixels.")
    try:
        image.load()
        image = ImageOps.exif_transpose(image)
        if image.mode not in ("RGB", "L"):
            background = Image.new("RGB", image.size, (255, 255, 255))
            rgba = image.convert("RGBA")
            background.paste(rgba, mask=rgba.getchannel("A"))
            image = background
        image.thumbnail((MAX_SIDE, MAX_SIDE))
        # A new image from the pixels alone: nothing of the original's info dict is carried over.
        pixels = Image.frombytes(image.mode, image.size, image.tobytes())
        out = io.BytesIO()
        pixels.save(out, format="JPEG", quality=82, optimize=True)
    except (OSError, ValueError, Image.DecompressionBombError):
        raise _refuse("broken", "Ảnh bị hỏng, không đọc được.", "The image is damaged and cannot be read.") from None
    return out.getvalue()
