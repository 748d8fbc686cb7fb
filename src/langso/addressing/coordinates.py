"""Reading coordinates typed by an official: decimal degrees, degrees-minutes(-seconds), a
``geo:`` URI or a Plus Code.

Accepted forms (latitude first, as GPS receivers, Google Maps and VNeID show them)::

    21.30092, 105.59043            decimal degrees
    21,30092; 105,59043            decimal comma (Vietnamese habit), pairs separated by ';'
    21°18'03.3"N 105°35'25.5"E     degrees, minutes, seconds with hemisphere letters
    N 21°18.055' E 105°35.426'     degrees and decimal minutes (Garmin style)
    21 18 3.3 N 105 35 25.5 E      the same with spaces
    21°18′03″B 105°35′25″Đ         Vietnamese letters: B (Bắc, north), Đ/D (Đông, east), T (Tây, west)
    geo:21.30092,105.59043         RFC 5870 URI (parameters after ';' or '?' ignored)
    7PH78H2R+95                    a full Plus Code (its centre)

Hemisphere letters: N (north — the GPS convention, even in Vietnamese text), S, E, W, B, Đ/D, T.
A letter may come before or after the number. Without letters the order is latitude, longitude.
"Nam" (south) is only read when written in full, because a bare N means north on every receiver.

Every error is a :class:`RuleViolation` on field ``coordinates`` with a message in Vietnamese and
English naming what was wrong (``coordinates.empty``, ``coordinates.format``, ``coordinates.range``,
``coordinates.minutes``, ``coordinates.swapped``).
"""

from __future__ import annotations

import math
import re
import unicodedata

from openlocationcode import openlocationcode as olc

from langso.lib.errors import RuleViolation

_FIELD = "coordinates"
_NORTH = {"N", "B", "BAC", "NORTH"}
_SOUTH = {"S", "NAM", "SOUTH"}
_EAST = {"E", "Đ", "D", "DONG", "EAST"}
_WEST = {"W", "T", "TAY", "WEST"}
_HEMI = _NORTH | _SOUTH | _EAST | _WEST
# A number (decimal point or comma) followed by an optional unit mark.
_TOKEN = re.compile(
    r"(?P<num>[+-]?\d+(?:[.,]\d+)?)\s*(?P<mark>[°º˚]|['’′]|[\"”″])?"
    r"|(?P<hemi>\b(?:BAC|NAM|DONG|TAY|NORTH|SOUTH|EAST|WEST)\b|[NSEWBĐDT](?![A-Z]))",
    re.IGNORECASE,
)


def _err(rule: str, vi: str, en: str) -> RuleViolation:
    return RuleViolation(_FIELD, rule, vi, en, "WGS84 (EPSG:4326); RFC 5870; Open Location Code")


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("đ", "Đ").upper()
    # Keep Đ (Đông) but fold other accents: "Bắc" → "BAC", "Tây" → "TAY", "Đông" → "ĐONG".
    out = []
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch):
            continue
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out)).replace("ĐONG", "DONG")


def parse_coordinates(text: str, near: tuple[float, float] | None = None) -> tuple[float, float]:
    """Return ``(latitude, longitude)`` in WGS84 decimal degrees from typed text.

    ``near`` (lat, lon), e.g. the commune's centre, lets a short Plus Code (``8H2R+95``) be
    recovered to the nearest matching full code (Open Location Code specification, "recovering
    shortened codes"); without it a short code is refused.

    Raises :class:`RuleViolation` (field ``coordinates``) with a clear vi/en message.
    """
    raw = (text or "").strip()
    if not raw:
        raise _err("coordinates.empty", "Chưa nhập toạ độ.", "No coordinates were given.")
    if raw.lower().startswith("geo:"):
        raw = re.split(r"[;?]", raw[4:], maxsplit=1)[0]
    plus = raw.replace(" ", "").upper()
    if "+" in plus and olc.isValid(plus):
        if not olc.isFull(plus) and near is not None:
            plus = olc.recoverNearest(plus, near[0], near[1])
        if not olc.isFull(plus):
            raise _err("coordinates.format",
                       f"Plus Code '{raw}' là mã rút gọn: cần mã đầy đủ (ví dụ 7PH78H2R+95).",
                       f"Plus Code '{raw}' is a short code: give the full code (e.g. 7PH78H2R+95).")
        area = olc.decode(plus)
        return round(area.latitudeCenter, 7), round(area.longitudeCenter, 7)
    folded = _fold(raw)
    has_marks = re.search(r"[°º˚'’′\"”″]", folded)
    has_hemi = re.search(r"(?<![A-Z])(?:BAC|NAM|DONG|TAY|NORTH|SOUTH|EAST|WEST|[NSEWBĐDT])(?![A-Z])", folded)
    numbers = re.findall(r"[+-]?\d+(?:\.\d+)?", folded)
    if has_marks or has_hemi or (len(numbers) > 2 and ";" not in folded and "," not in folded):
        lat, lon = _parse_sexagesimal(folded, raw)
    else:
        lat, lon = _parse_decimal(folded, raw)
    return _check_range(lat, lon, raw)


def _parse_decimal(folded: str, raw: str) -> tuple[float, float]:
    if ";" in folded:
        parts = [p.strip().replace(",", ".") for p in folded.split(";")]
    elif folded.count(",") == 1:
        parts = [p.strip() for p in folded.split(",")]
    elif re.fullmatch(r"\s*[+-]?\d+,\d+\s*,\s*[+-]?\d+,\d+\s*", folded):
        # "21,3009, 105,5904": decimal commas, and a comma between the two numbers.
        first, second = re.fullmatch(r"\s*([+-]?\d+,\d+)\s*,\s*([+-]?\d+,\d+)\s*", folded).groups()
        parts = [first.replace(",", "."), second.replace(",", ".")]
    else:
        parts = [p.replace(",", ".") for p in folded.split()]
    if len(parts) != 2:
        raise _err(
            "coordinates.format",
            f"Không đọc được toạ độ '{raw}': cần hai số (vĩ độ, kinh độ), ví dụ 21.30092, 105.59043 "
            "hoặc 21°18'03\"N 105°35'25\"E.",
            f"Cannot read coordinates '{raw}': give two numbers (latitude, longitude), e.g. 21.30092, 105.59043 "
            "or 21°18'03\"N 105°35'25\"E.",
        )
    try:
        lat, lon = float(parts[0]), float(parts[1])
    except ValueError as exc:
        raise _err(
            "coordinates.format",
            f"Không đọc được toạ độ '{raw}': '{parts[0]}' và '{parts[1]}' phải là số thập phân.",
            f"Cannot read coordinates '{raw}': '{parts[0]}' and '{parts[1]}' must be decimal numbers.",
        ) from exc
    if not (math.isfinite(lat) and math.isfinite(lon)):
        raise _err("coordinates.format", f"Toạ độ '{raw}' không phải số hữu hạn.",
                   f"Coordinates '{raw}' are not finite numbers.")
    if abs(lat) > 90 and abs(lon) <= 90:
        raise _err(
            "coordinates.swapped",
            f"Vĩ độ {lat} ngoài khoảng −90…90: có phải đã nhập kinh độ trước? Hãy nhập vĩ độ trước, ví dụ "
            f"{lon}, {lat}.",
            f"Latitude {lat} is outside −90…90: was the longitude typed first? Type the latitude first, e.g. "
            f"{lon}, {lat}.",
        )
    return lat, lon


def _parse_sexagesimal(folded: str, raw: str) -> tuple[float, float]:
    """Two angles, each: optional hemisphere, degrees, optional minutes and seconds, optional hemisphere."""
    angles: list[dict] = []
    current: dict | None = None

    def close() -> None:
        nonlocal current
        if current is not None and current["parts"]:
            angles.append(current)
        current = None

    for match in _TOKEN.finditer(folded.replace("''", '"')):
        if match.group("hemi"):
            hemi = match.group("hemi").upper()
            if current is not None and current["parts"] and current["hemi"] is None:
                current["hemi"] = hemi
                close()
            else:
                close()
                current = {"parts": [], "marks": [], "hemi": hemi}
            continue
        number, mark = match.group("num"), (match.group("mark") or "").lower()
        value = float(number.replace(",", "."))
        if current is None:
            current = {"parts": [], "marks": [], "hemi": None}
        unit = {"°": 0, "º": 0, "˚": 0, "'": 1, "’": 1, "′": 1, '"': 2, "”": 2, "″": 2}.get(mark)
        if unit is None:
            unit = len(current["parts"])
        if unit < len(current["parts"]) or (unit == 0 and current["parts"]) or unit > 2:
            close()
            current = {"parts": [], "marks": [], "hemi": None}
            unit = 0 if unit is None or unit > 2 else unit
        while len(current["parts"]) < unit:
            current["parts"].append(0.0)
        current["parts"].append(value)
    close()
    if len(angles) != 2:
        raise _err(
            "coordinates.format",
            f"Không đọc được toạ độ '{raw}': cần hai góc (vĩ độ rồi kinh độ), ví dụ 21°18'03\"N 105°35'25\"E.",
            f"Cannot read coordinates '{raw}': give two angles (latitude then longitude), e.g. "
            "21°18'03\"N 105°35'25\"E.",
        )
    values: list[float] = []
    kinds: list[str | None] = []
    for angle in angles:
        parts = angle["parts"] + [0.0] * (3 - len(angle["parts"]))
        degrees, minutes, seconds = parts[:3]
        if minutes >= 60 or seconds >= 60 or minutes < 0 or seconds < 0:
            raise _err(
                "coordinates.minutes",
                f"Toạ độ '{raw}': phút và giây phải nhỏ hơn 60 (đọc được {minutes:g}′ {seconds:g}″).",
                f"Coordinates '{raw}': minutes and seconds must be below 60 (read {minutes:g}′ {seconds:g}″).",
            )
        sign = -1.0 if degrees < 0 else 1.0
        value = sign * (abs(degrees) + minutes / 60 + seconds / 3600)
        hemi = angle["hemi"]
        kind = None
        if hemi in _NORTH | _SOUTH:
            kind = "lat"
        elif hemi in _EAST | _WEST:
            kind = "lon"
        if hemi in _SOUTH | _WEST:
            value = -abs(value)
        values.append(value)
        kinds.append(kind)
    if kinds == ["lon", "lat"]:
        values.reverse()
    elif kinds[0] == "lon" or kinds[1] == "lat":
        raise _err(
            "coordinates.format",
            f"Toạ độ '{raw}' có hai vĩ độ hoặc hai kinh độ: cần một vĩ độ (N/S, B) và một kinh độ (E/W, Đ/T).",
            f"Coordinates '{raw}' give two latitudes or two longitudes: give one latitude (N/S) and one "
            "longitude (E/W).",
        )
    return values[0], values[1]


def _check_range(lat: float, lon: float, raw: str) -> tuple[float, float]:
    if not -90 <= lat <= 90:
        raise _err("coordinates.range", f"Vĩ độ {lat:g} trong '{raw}' phải nằm trong khoảng −90…90.",
                   f"Latitude {lat:g} in '{raw}' must be within −90…90.")
    if not -180 <= lon <= 180:
        raise _err("coordinates.range", f"Kinh độ {lon:g} trong '{raw}' phải nằm trong khoảng −180…180.",
                   f"Longitude {lon:g} in '{raw}' must be within −180…180.")
    return round(lat, 7), round(lon, 7)


def format_dms(lat: float, lon: float) -> str:
    """``21°18'03.3"N 105°35'25.5"E`` (one decimal of a second ≈ 3 m)."""

    def one(value: float, pos: str, neg: str) -> str:
        hemi = pos if value >= 0 else neg
        total = round(abs(value) * 36000)  # tenths of a second
        degrees, rest = divmod(total, 36000)
        minutes, tenths = divmod(rest, 600)
        return f"{degrees}°{minutes:02d}'{tenths / 10:04.1f}\"{hemi}"

    return f"{one(lat, 'N', 'S')} {one(lon, 'E', 'W')}"
