"""Official digital address identifiers: their formats and sources (domain brief §5).

The platform keeps WGS84 latitude/longitude as the truth and its own code as the household's
identity; codes of the official schemes are stored beside them, typed, when a commune imports
them. The formats below are checked loosely on purpose where the source is unverified: a wrong
rule here would refuse real codes, so only the length and the character classes are checked.
A correction is a change of this table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from langso.lib.errors import RuleViolation


@dataclass(frozen=True)
class SchemeFormat:
    """How a scheme's values look: a regular expression over the normalised value (upper case,
    no spaces or hyphens), an example, the source and whether the format is verified."""

    pattern: str
    example: str
    vi: str
    en: str
    source: str
    verified: bool


SCHEMES: dict[str, SchemeFormat] = {
    "vpostcode": SchemeFormat(
        r"\d{5}[0-9A-Z]{7}", "10000A1B2C3D",
        "Vpostcode: 12 ký tự = mã bưu chính 5 số + mã vị trí 7 ký tự",
        "Vpostcode: 12 characters = 5-digit postcode + 7-character location code",
        "VNPost Vpostcode (2020); postcode by Decision 2475/QĐ-BTTTT (2017)", False,
    ),
    "ndap": SchemeFormat(
        r"\d{10}", "0123456789",
        "Mã Nền tảng địa chỉ số quốc gia: 10 chữ số (chưa xác minh)",
        "National digital address platform code: 10 digits (unverified)",
        "Decision 1178/QĐ-BTTTT (2021), VNPost; length as reported", False,
    ),
    "location_id": SchemeFormat(
        r"\d{12}", "012345678901",
        "Mã định danh vị trí (dự thảo Bộ Công an): 12 chữ số",
        "Location identifier (Ministry of Public Security draft): 12 digits",
        "Ministry of Public Security draft (2025–26), shown in VNeID", False,
    ),
}


def validate_identifier(scheme: str, value: str) -> str:
    """Return ``value`` normalised (upper case, spaces/hyphens/dots dropped) if it matches the
    scheme's format; raise :class:`RuleViolation` ``identifier.format`` otherwise."""
    fmt = SCHEMES[scheme]
    cleaned = re.sub(r"[\s\-.]", "", value or "").upper()
    if not re.fullmatch(fmt.pattern, cleaned):
        raise RuleViolation(
            "value", "identifier.format",
            f"'{value}' không đúng dạng. {fmt.vi}, ví dụ {fmt.example}.",
            f"'{value}' has the wrong format. {fmt.en}, e.g. {fmt.example}.",
            fmt.source,
        )
    return cleaned
