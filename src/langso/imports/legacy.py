"""Legacy Vietnamese 8-bit encodings still found in old commune files: detection and conversion.

Before Unicode (TCVN 6909:2001) Vietnamese was typed with fonts that reused Latin-1 code points:

- **TCVN3 ("ABC")**: table VN3 of the national standard TCVN 5712:1993. One byte per letter; the
  ``.VnTime`` fonts draw lower case, the ``.VnTimeH`` fonts draw the same codes as upper case, so
  the case of toned capitals is not in the data (we keep lower case, or upper case when the rest of
  the word is upper case). Table: ``data/tcvn3.txt``.
- **VNI** (VNI-Windows): a *vendor* encoding of VNI Software Company for its ``VNI-*`` fonts, not a
  standard. A base vowel is followed by a modifier character (``"Nguyeãn"`` = Nguyễn). Table:
  ``data/vni.txt``.

Excel stores such text as the Latin-1 characters of those bytes (``"NguyÔn V¨n A"``), so detection
works on decoded text. :func:`detect` scores a whole file (one decision per file: a file is typed
with one font), :func:`to_unicode` converts one value and returns NFC.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

from langso.lib.errors import RuleViolation

UNICODE = "unicode"
TCVN3 = "tcvn3"
VNI = "vni"


@dataclass(frozen=True)
class _Tables:
    tcvn3: dict[int, str]
    vni_mods: dict[str, str]   # modifier (lower and upper case) → combining marks
    vni_chars: dict[str, str]  # single character (lower and upper case) → letter


def _rows(name: str) -> list[list[str]]:
    text = resources.files("langso.imports").joinpath(f"data/{name}").read_text("utf-8")
    return [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]


@functools.cache
def tables() -> _Tables:
    """The conversion tables loaded from ``data/`` (cached)."""
    tcvn3 = {int(row[0], 16): chr(int(row[1], 16)) for row in _rows("tcvn3.txt")}
    mods: dict[str, str] = {}
    chars: dict[str, str] = {}
    for kind, ch, value, *_ in _rows("vni.txt"):
        if kind == "mod":
            marks = "".join(chr(int(cp, 16)) for cp in value.split())
            mods[ch] = mods[ch.upper()] = marks
        else:
            letter = chr(int(value, 16))
            chars[ch] = letter
            chars[ch.upper()] = letter.upper()
    return _Tables(tcvn3, mods, chars)


# Evidence. Vietnamese letters outside Latin-1 (ă â… are in Latin-1 too, so they prove nothing).
_UNICODE_VI = re.compile("[\u0102\u0103\u0110\u0111\u01a0\u01a1\u01af\u01b0\u1ea0-\u1ef9]")
# TCVN3 uses the Latin-1 symbol block A1–BF for letters; no Vietnamese Unicode text has them.
# A Latin-1 letter foreign to Vietnamese right after a consonant is TCVN3 too ("hÖ" = hệ, "chñ" =
# chủ); VNI puts its modifiers after vowels (its stand-alone ö æ î may follow a consonant: left out).
_TCVN3_SIGN = re.compile("[\u00a1-\u00a8\u00a9-\u00ae\u00b5-\u00be]"
                         "|(?<=[B-DF-HJ-NP-TV-Zb-df-hj-np-tv-z])[\u00c4\u00c5\u00c7\u00cb\u00ce\u00cf\u00d0\u00d1"
                         "\u00d6\u00d7\u00d8\u00db\u00dc\u00de\u00df\u00e4\u00e5\u00e7\u00eb\u00ef\u00f0\u00f1"
                         "\u00f7\u00f8\u00fb\u00fc\u00fe]")
# VNI: a vowel followed by a modifier that is not itself a Vietnamese letter, or ñ/ö/ô-as-ơ.
_VNI_SIGN = re.compile("[AaEeIiOoUuYy\u00d4\u00f4\u00d6\u00f6][\u00f8\u00fb\u00ef\u00e5\u00e4\u00eb\u00fc\u00d8\u00db\u00cf\u00c5\u00c4\u00cb\u00dc]"
                       "|[AaEeOo][\u00e2\u00c2]|[\u00f6\u00d6][\u00f4\u00d4]|[\u00f4\u00d4\u00f6\u00d6][\u00f9\u00d9\u00f5\u00d5]"
                       "|[AaEeIiOoYy][\u00f9\u00d9]|[AaEe][\u00e3\u00c3\u00e1\u00c1\u00e0\u00c0]|(?<![A-Za-z])[\u00f1\u00d1](?=[A-Za-z])")


def score(texts: Iterable[str]) -> dict[str, int]:
    """Evidence counts ``{"unicode": n, "tcvn3": n, "vni": n}`` over ``texts``."""
    counts = {UNICODE: 0, TCVN3: 0, VNI: 0}
    for text in texts:
        if not text or text.isascii():
            continue
        counts[UNICODE] += len(_UNICODE_VI.findall(text))
        counts[TCVN3] += len(_TCVN3_SIGN.findall(text))
        counts[VNI] += len(_VNI_SIGN.findall(text))
    return counts


def detect(texts: Iterable[str]) -> str:
    """The encoding of a file's text cells: ``"unicode"``, ``"tcvn3"`` or ``"vni"``.

    Raises :class:`RuleViolation` (rule ``import.encoding_mixed``) when the file mixes Unicode
    and a legacy encoding so much that no single conversion is safe.
    """
    counts = score(texts)
    legacy = TCVN3 if counts[TCVN3] >= counts[VNI] else VNI
    if counts[legacy] == 0:
        return UNICODE
    if counts[UNICODE] == 0 or counts[legacy] >= 10 * counts[UNICODE]:
        return legacy
    if counts[UNICODE] >= 10 * counts[legacy]:
        return UNICODE
    raise RuleViolation(
        "file", "import.encoding_mixed",
        "Tệp trộn lẫn phông Unicode với phông cũ (TCVN3/ABC hoặc VNI): hãy chuyển toàn bộ tệp sang Unicode "
        "(ví dụ bằng Unikey → Chuyển mã) rồi nhập lại.",
        "The file mixes Unicode with a legacy font encoding (TCVN3/ABC or VNI): convert the whole file to "
        "Unicode (e.g. Unikey's converter) and import it again.",
        "TCVN 5712:1993; TCVN 6909:2001")


def _tcvn3(text: str) -> str:
    table = tables().tcvn3
    out = "".join(table.get(ord(ch), ch) for ch in text)
    # .VnTimeH capitals: a word whose other letters are upper case is upper case. In Title Case text
    # (names of people and places) a word starting with a converted letter is capitalised too.
    words = out.split(" ")
    starts = [w[0] for w in text.split(" ") if w and w[0].isascii() and w[0].isalpha()]
    title = bool(starts) and all(ch.isupper() for ch in starts)
    fixed = []
    for original, word in zip(text.split(" "), words):
        if _mostly_upper(original):
            word = word.upper()
        elif title and original and ord(original[0]) in table:
            word = word[:1].upper() + word[1:]
        fixed.append(word)
    return " ".join(fixed)


def _mostly_upper(word: str) -> bool:
    letters = [ch for ch in word if ch.isascii() and ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


_VOWELS = frozenset("AaEeIiOoUuYy")


def _vni(text: str) -> str:
    t = tables()
    out: list[str] = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        base = t.vni_chars.get(ch) if ch in "ôÔöÖ" else (ch if ch in _VOWELS else None)
        if base is not None and i + 1 < n and text[i + 1] in t.vni_mods:
            marks = t.vni_mods[text[i + 1]]
            if base.lower() in "ơư" and marks[0] in "\u0302\u0306":  # no hat or breve on ơ/ư
                out.append(base)
                i += 1
                continue
            out.append(base + marks)
            i += 2
            continue
        out.append(t.vni_chars.get(ch, ch))
        i += 1
    return "".join(out)


def to_unicode(text: str, encoding: str) -> str:
    """``text`` (decoded as Latin-1/cp1252 characters) converted from ``encoding`` to Unicode NFC.

    ``"unicode"`` only normalises (NFD → NFC). Raises ``ValueError`` for an unknown encoding.
    """
    if encoding == UNICODE or not text or text.isascii():
        return unicodedata.normalize("NFC", text)
    if encoding == TCVN3:
        return unicodedata.normalize("NFC", _tcvn3(text))
    if encoding == VNI:
        return unicodedata.normalize("NFC", _vni(text))
    raise ValueError(f"unknown encoding {encoding!r}")


def from_unicode(text: str, encoding: str) -> str:
    """The inverse of :func:`to_unicode` (tests and fixture generation): Unicode → legacy characters."""
    text = unicodedata.normalize("NFC", text)
    if encoding == TCVN3:
        reverse = {v: chr(k) for k, v in tables().tcvn3.items()}
        return "".join(reverse.get(ch) or reverse.get(ch.lower(), ch) for ch in text)
    if encoding == VNI:
        t = tables()
        mod_of = {unicodedata.normalize("NFD", "a" + v)[1:]: k for k, v in t.vni_mods.items() if k.islower()}
        char_of = {v: k for k, v in t.vni_chars.items()}
        out = []
        for ch in text:
            if ch in char_of and ch not in "íìÍÌ":
                out.append(char_of[ch])
                continue
            decomposed = unicodedata.normalize("NFD", ch)
            base, marks = decomposed[0], decomposed[1:]
            if base in "oOuU" and marks[:1] == "\u031b":  # horn: ơ ư are single VNI characters
                base = char_of[unicodedata.normalize("NFC", base + "\u031b")]
                marks = marks[1:]
            if marks:
                modifier = mod_of[marks]
                out.append(base + (modifier.upper() if base.isupper() else modifier))
            else:
                out.append(base)
        return "".join(out)
    return text
