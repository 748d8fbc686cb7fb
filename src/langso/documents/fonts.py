"""The document typeface: Noto Serif (SIL OFL 1.1) from the PyPI package ``fontpkg-noto-serif``.

Decree 30/2020/NĐ-CP, Appendix I, §I.3 asks for a Vietnamese Unicode font of the TCVN 6909:2001
set, and its e-signature stamp names Times New Roman 10. Times New Roman is proprietary and ships
in no package; Noto Serif is a transitional serif of the same family of designs that covers every
Vietnamese letter with precomposed glyphs (text is normalised to NFC before it reaches the font).

The package ships variable fonts; fpdf2 and pyHanko embed static faces more reliably, so the four
faces are instantiated once with fontTools, cut down to Latin + Vietnamese (signing reads the whole
font file each time: a small file signs several times faster) and cached beside the database
(``VAR_DIR/cache/fonts``).
"""

from __future__ import annotations

import importlib.metadata
import os
import tempfile
import threading
from pathlib import Path

FAMILY = "NotoSerif"
_FACES = {  # style letter (fpdf2) → (file, weight)
    "": ("NotoSerif[wdth,wght].ttf", 400),
    "B": ("NotoSerif[wdth,wght].ttf", 700),
    "I": ("NotoSerif-Italic[wdth,wght].ttf", 400),
    "BI": ("NotoSerif-Italic[wdth,wght].ttf", 700),
}
_lock = threading.Lock()


def _cache_dir() -> Path:
    try:
        from django.conf import settings

        base = Path(settings.VAR_DIR) / "cache" / "fonts"
    except Exception:  # outside Django (a script): the system temp folder
        base = Path(tempfile.gettempdir()) / "langso-fonts"
    base.mkdir(parents=True, exist_ok=True)
    return base


# Latin, Vietnamese and the punctuation of administrative text: every letter of TCVN 6909:2001.
_RANGES = [(0x20, 0x7E), (0xA0, 0x24F), (0x300, 0x323), (0x1EA0, 0x1EF9), (0x2010, 0x2044), (0x20AB, 0x20AC),
           (0x2116, 0x2116), (0x2122, 0x2122), (0x2190, 0x2193), (0x2212, 0x2212)]


def _unicodes() -> list[int]:
    return [cp for start, end in _RANGES for cp in range(start, end + 1)]


def face_path(style: str = "") -> Path:
    """Path of the static TTF for ``style`` ("", "B", "I" or "BI"), made on first use.

    Raises ``KeyError`` for another style and ``ModuleNotFoundError`` if the font package is missing.
    """
    import fontpkg_noto_serif
    from fontTools import subset
    from fontTools.ttLib import TTFont
    from fontTools.varLib import instancer

    source_name, weight = _FACES[style]
    version = importlib.metadata.version("fontpkg-noto-serif")
    target = _cache_dir() / f"{FAMILY}-{version}-vi-{style or 'R'}-{weight}.ttf"
    if target.exists():
        return target
    with _lock:
        if target.exists():
            return target
        font = TTFont(Path(fontpkg_noto_serif.ROOT) / "files" / source_name)
        static = instancer.instantiateVariableFont(font, {"wght": weight, "wdth": 100}, inplace=False)
        options = subset.Options()
        options.layout_features = ["*"]
        options.name_IDs = ["*"]
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=_unicodes())
        subsetter.subset(static)
        partial = target.with_suffix(f".{os.getpid()}.part")  # two processes may race: each writes its own
        static.save(partial)
        partial.replace(target)
    return target
