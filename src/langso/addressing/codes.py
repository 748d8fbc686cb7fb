"""The digital address code of a household: grid cell + serial + check character.

Scheme (docs/address-codes.md has the full description and the reasons):

``7K2-M9Q-04XR`` — ten characters shown in groups of 3, 3 and 4:

- characters 1–6: the **cell** of a national grid the household's point fell in when the code
  was issued. The grid covers latitude 6°–24° N and longitude 102°–118° E (mainland Vietnam, the
  islands, Hoàng Sa and Trường Sa) with 2^15 rows and 2^15 columns: a cell is 18/32768° of
  latitude (≈ 61 m) by 16/32768° of longitude (≈ 51 m at 21° N). Row and column bits are
  interleaved (column bit first, like a geohash), so neighbouring cells share a prefix and the
  first characters say roughly where the household is.
- characters 7–9: a **serial** within the cell (1…32767), from a per-cell counter: the first
  household issued in a cell gets ``001``, the next ``002``… It only disambiguates.
- character 10: a **check character** (Damm algorithm over GF(32), see :func:`check_character`)
  that catches every single substituted character and every swap of two adjacent characters.

Alphabet: Crockford's Base32 (``0-9`` and ``A-Z`` without ``I L O U``): no I/1, L/1 or O/0
confusion when read over the phone or copied by hand; on input ``O`` is read as ``0`` and
``I``/``L`` as ``1``, case and separators (space, hyphen, dot) are ignored.

Stability: the code is the household's identity, not a live encoding of its position. It never
changes — not when the household's point is corrected, not when communes merge (no commune or
province code is part of it). The cell records where the household was when the code was
issued; :func:`distance_to_cell_m` tells how far a point is from it (0 inside), which catches a
misread code or a wrong point.

Pure Python, no Django models: the tests exercise it with hypothesis.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from langso.lib.errors import RuleViolation

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford Base32
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
_READ_AS = {"O": "0", "I": "1", "L": "1"}
_SEPARATORS = re.compile(r"[\s\-.·_/]+")

LAT_MIN, LAT_MAX = 6.0, 24.0
LON_MIN, LON_MAX = 102.0, 118.0
AXIS_BITS = 15
CELLS_PER_AXIS = 1 << AXIS_BITS
LAT_STEP = (LAT_MAX - LAT_MIN) / CELLS_PER_AXIS  # degrees, ≈ 61 m
LON_STEP = (LON_MAX - LON_MIN) / CELLS_PER_AXIS  # degrees, ≈ 51 m at 21° N
CELL_CHARS = 6  # 30 bits
SERIAL_CHARS = 3  # 15 bits
MAX_SERIAL = 32**SERIAL_CHARS - 1
CODE_CHARS = CELL_CHARS + SERIAL_CHARS + 1
SOURCE = "Làng số address code v1 (docs/address-codes.md); Damm, H. M. (2004) Total anti-symmetrische Quasigruppen"

# GF(32) = GF(2)[x] / (x^5 + x^2 + 1); multiplying by the element x ("2") is a shift and a reduction.
_FIELD_POLY = 0b100101


def _times_two(value: int) -> int:
    value <<= 1
    if value & 0b100000:
        value ^= _FIELD_POLY
    return value


# The quasigroup x ∘ y = 2·x + y over GF(32): for a ≠ 0, 1 the operation a·x + y is a totally
# anti-symmetric quasigroup (Damm 2004, §2: (c∘x)∘y = (c∘y)∘x ⇒ x = y and x∘y = y∘x ⇒ x = y), which
# is exactly what detecting all single errors and all adjacent transpositions needs.
DAMM_TABLE: tuple[tuple[int, ...], ...] = tuple(
    tuple(_times_two(x) ^ y for y in range(32)) for x in range(32)
)


def _damm_interim(values: list[int]) -> int:
    interim = 0
    for value in values:
        interim = DAMM_TABLE[interim][value]
    return interim


def check_character(data: str) -> str:
    """The check character of ``data`` (characters of :data:`ALPHABET`, already normalised).

    It is the character ``c`` that brings the Damm fold of ``data + c`` back to 0, so a code is
    valid exactly when its whole fold is 0. Raises ``KeyError`` for a character outside the alphabet.
    """
    interim = _damm_interim([_VALUE[ch] for ch in data])
    # interim ∘ c = 2·interim + c = 0 in characteristic 2  ⇔  c = 2·interim
    return ALPHABET[_times_two(interim)]


def is_check_valid(code: str) -> bool:
    """True when the normalised ``code`` (data and check character) folds to 0."""
    try:
        return _damm_interim([_VALUE[ch] for ch in code]) == 0
    except KeyError:
        return False


def _err(rule: str, vi: str, en: str) -> RuleViolation:
    return RuleViolation("address_code", rule, vi, en, SOURCE)


def in_grid(lat: float, lon: float) -> bool:
    """True when (lat, lon) in WGS84 degrees lies inside the national grid."""
    return LAT_MIN <= lat < LAT_MAX and LON_MIN <= lon < LON_MAX


def cell_of(lat: float, lon: float) -> str:
    """The six-character cell of a WGS84 point (degrees).

    Raises :class:`RuleViolation` ``address_code.outside_grid`` outside 6°–24° N, 102°–118° E.
    """
    if not (isinstance(lat, (int, float)) and isinstance(lon, (int, float))) or not in_grid(lat, lon):
        raise _err(
            "address_code.outside_grid",
            f"Toạ độ ({lat}, {lon}) nằm ngoài lưới mã địa chỉ Việt Nam (vĩ độ 6–24° Bắc, kinh độ 102–118° Đông)",
            f"Point ({lat}, {lon}) is outside Vietnam's address grid (latitude 6–24° N, longitude 102–118° E)",
        )
    row = min(CELLS_PER_AXIS - 1, int((lat - LAT_MIN) / LAT_STEP))
    col = min(CELLS_PER_AXIS - 1, int((lon - LON_MIN) / LON_STEP))
    return _encode(_interleave(col, row), CELL_CHARS)


def _interleave(col: int, row: int) -> int:
    out = 0
    for bit in range(AXIS_BITS - 1, -1, -1):
        out = (out << 2) | (((col >> bit) & 1) << 1) | ((row >> bit) & 1)
    return out


def _deinterleave(value: int) -> tuple[int, int]:
    col = row = 0
    for bit in range(AXIS_BITS - 1, -1, -1):
        pair = (value >> (2 * bit)) & 0b11
        col = (col << 1) | (pair >> 1)
        row = (row << 1) | (pair & 1)
    return col, row


def _encode(value: int, width: int) -> str:
    chars = []
    for _ in range(width):
        chars.append(ALPHABET[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def _decode(text: str) -> int:
    value = 0
    for ch in text:
        value = (value << 5) | _VALUE[ch]
    return value


def make_code(cell: str, serial: int) -> str:
    """The normalised ten-character code of ``serial`` (1…32767) in ``cell``.

    Raises :class:`RuleViolation` ``address_code.serial`` for a serial out of range.
    """
    if not 1 <= serial <= MAX_SERIAL:
        raise _err("address_code.serial", f"Số thứ tự {serial} ngoài khoảng 1–{MAX_SERIAL} của một ô lưới",
                   f"Serial {serial} outside 1–{MAX_SERIAL} for one grid cell")
    data = cell + _encode(serial, SERIAL_CHARS)
    return data + check_character(data)


def display(code: str) -> str:
    """``7K2M9Q04XR`` → ``7K2-M9Q-04XR`` (groups of 3, 3, 4, as printed and read aloud)."""
    return f"{code[:3]}-{code[3:6]}-{code[6:]}"


def normalise(text: str) -> str:
    """Read a typed or spoken code: upper case, separators dropped, O→0, I/L→1.

    Raises :class:`RuleViolation` ``address_code.format`` (wrong length or a character outside the
    alphabet) or ``address_code.check`` (the check character does not match: a character was
    mistyped or two neighbours swapped).
    """
    raw = _SEPARATORS.sub("", str(text or "")).upper()
    cleaned = "".join(_READ_AS.get(ch, ch) for ch in raw)
    if len(cleaned) != CODE_CHARS or any(ch not in _VALUE for ch in cleaned):
        raise _err(
            "address_code.format",
            f"Mã địa chỉ '{text}' phải có {CODE_CHARS} ký tự (chữ số và chữ cái trừ I, L, O, U), ví dụ 7K2-M9Q-04XR",
            f"Address code '{text}' must have {CODE_CHARS} characters (digits and letters except I, L, O, U), "
            "e.g. 7K2-M9Q-04XR",
        )
    if not is_check_valid(cleaned):
        raise _err(
            "address_code.check",
            f"Mã địa chỉ '{text}' sai ký tự kiểm tra: có ký tự gõ nhầm hoặc hai ký tự bị đảo chỗ",
            f"Address code '{text}' fails its check character: a character is mistyped or two are swapped",
        )
    return cleaned


def looks_like_code(text: str) -> bool:
    """True when ``text`` normalises to a valid code (no exception)."""
    try:
        normalise(text)
    except RuleViolation:
        return False
    return True


@dataclass(frozen=True)
class CellBounds:
    """A grid cell in WGS84 degrees (south, west, north, east)."""

    south: float
    west: float
    north: float
    east: float

    @property
    def centre(self) -> tuple[float, float]:
        """``(lat, lon)`` of the cell's centre."""
        return (self.south + self.north) / 2, (self.west + self.east) / 2

    def contains(self, lat: float, lon: float) -> bool:
        return self.south <= lat < self.north and self.west <= lon < self.east


def cell_bounds(cell_or_code: str) -> CellBounds:
    """The bounds of the cell named by a cell or a (normalised) code's first six characters."""
    col, row = _deinterleave(_decode(cell_or_code[:CELL_CHARS]))
    south = LAT_MIN + row * LAT_STEP
    west = LON_MIN + col * LON_STEP
    return CellBounds(south, west, south + LAT_STEP, west + LON_STEP)


def serial_of(code: str) -> int:
    return _decode(code[CELL_CHARS:CELL_CHARS + SERIAL_CHARS])


def distance_to_cell_m(code: str, lat: float, lon: float) -> float:
    """Metres from (lat, lon) to the nearest point of the code's cell; 0 inside the cell.

    Local equirectangular approximation (error < 0.1 % at these distances).
    """
    bounds = cell_bounds(code)
    clat = min(max(lat, bounds.south), bounds.north)
    clon = min(max(lon, bounds.west), bounds.east)
    k = math.cos(math.radians(lat))
    dy = (lat - clat) * 111_195.0
    dx = (lon - clon) * 111_195.0 * k
    return math.hypot(dx, dy)
