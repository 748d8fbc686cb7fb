"""Vietnamese text at the platform boundary: NFC normalisation and accent folding.

Vietnamese can be typed precomposed (NFC) or with combining marks (NFD, common from
macOS and some Excel exports); both look the same but compare differently, and fonts
render NFD badly. Everything stored is NFC (Unicode Standard Annex #15). Search keys
are "folded": diacritics removed, đ/Đ → d, lower case, runs of white space collapsed,
so "nguyen van a" finds "Nguyễn Văn A".
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_D_MAP = str.maketrans({"đ": "d", "Đ": "D"})


def nfc(text: str | None) -> str:
    """Return ``text`` in Unicode NFC with outer white space stripped and inner runs collapsed.

    ``None`` becomes ``""``. Raises nothing.
    """
    if not text:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def fold(text: str | None) -> str:
    """Return the accent-insensitive search key of ``text``: ASCII-only letters, lower case.

    >>> fold("  Nguyễn   Văn Đức ")
    'nguyen van duc'
    """
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.translate(_D_MAP))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.translate(_D_MAP)).strip().lower()
