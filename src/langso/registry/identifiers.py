"""Personal identification numbers (CCCD): structural validation and construction.

Structure (Circular 07/2016/TT-BCA art. 7, amended by Circular 59/2021/TT-BCA; Law 26/2023/QH15):
12 digits = 3-digit province-of-birth code + 1 digit for sex and century of birth + the last
2 digits of the year of birth + 6 digits. The rules live in ``data/cccd_province_codes.yaml``.
A structurally valid number is not proof that the number was issued: only the national
population database can say that.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from importlib import resources

import yaml

from langso.lib.errors import RuleViolation

_NOT_DIGITS = re.compile(r"[\s.\-]")


@dataclass(frozen=True)
class CccdRules:
    source: str
    provinces: dict[str, str]
    century_sex: dict[str, tuple[int, str]]


@functools.cache
def rules() -> CccdRules:
    """The CCCD rules loaded from the data file (cached)."""
    raw = yaml.safe_load(resources.files("langso.registry").joinpath("data/cccd_province_codes.yaml").read_text("utf-8"))
    return CccdRules(
        source=raw["source"],
        provinces={str(k): v for k, v in raw["provinces"].items()},
        century_sex={str(k): (v["century_start"], v["sex"]) for k, v in raw["century_sex"].items()},
    )


@dataclass(frozen=True)
class Cccd:
    """A structurally valid CCCD, decoded."""

    number: str
    province_code: str
    province_name: str
    sex: str  # "M" or "F"
    birth_year: int


def normalise_cccd(value: object) -> str:
    """Digits of ``value`` with spaces, dots and hyphens removed (``"001 099 012345"`` → ``"001099012345"``).

    Integers (a CCCD stored as a number in a spreadsheet) are returned as their digits; the
    caller decides whether lost leading zeros may be restored.
    """
    if value is None:
        return ""
    return _NOT_DIGITS.sub("", str(value)).strip()


def decode_cccd(value: object, field: str = "cccd") -> Cccd:
    """Decode and validate the structure of a CCCD.

    Returns :class:`Cccd`. Raises :class:`RuleViolation` with rule ``cccd.length``,
    ``cccd.digits`` or ``cccd.province`` naming ``field``.
    """
    number = normalise_cccd(value)
    source = rules().source
    if not number.isdigit():
        raise RuleViolation(field, "cccd.digits", "Số CCCD chỉ được gồm chữ số.",
                            "The CCCD must contain digits only.", source)
    if len(number) != 12:
        raise RuleViolation(field, "cccd.length", f"Số CCCD phải có đúng 12 chữ số (đang có {len(number)}).",
                            f"The CCCD must have exactly 12 digits (got {len(number)}).", source)
    province = number[:3]
    if province not in rules().provinces:
        raise RuleViolation(field, "cccd.province", f"Mã tỉnh nơi đăng ký khai sinh '{province}' không tồn tại.",
                            f"Province-of-birth code '{province}' does not exist.", source)
    century_start, sex = rules().century_sex[number[3]]
    return Cccd(number, province, rules().provinces[province], sex, century_start + int(number[4:6]))


def validate_cccd(
    value: object,
    *,
    date_of_birth: dt.date | None = None,
    sex: str | None = None,
    field: str = "cccd",
) -> str:
    """Return the normalised 12-digit CCCD, checked against the holder's birth date and sex.

    Raises :class:`RuleViolation` (rules ``cccd.length``, ``cccd.digits``, ``cccd.province``,
    ``cccd.birth_year``, ``cccd.sex``) — the 4th digit encodes sex and century and digits 5–6 the
    year of birth (Circular 07/2016/TT-BCA art. 7(2)).
    """
    decoded = decode_cccd(value, field)
    source = rules().source
    if date_of_birth is not None and decoded.birth_year != date_of_birth.year:
        raise RuleViolation(
            field, "cccd.birth_year",
            f"Số CCCD mã hóa năm sinh {decoded.birth_year}, nhưng ngày sinh là {date_of_birth:%d/%m/%Y}.",
            f"The CCCD encodes birth year {decoded.birth_year} but the date of birth is {date_of_birth:%Y-%m-%d}.",
            source,
        )
    if sex is not None and decoded.sex != sex:
        vi = {"M": "nam", "F": "nữ"}
        en = {"M": "male", "F": "female"}
        raise RuleViolation(
            field, "cccd.sex",
            f"Số CCCD mã hóa giới tính {vi[decoded.sex]}, nhưng giới tính ghi là {vi.get(sex, sex)}.",
            f"The CCCD encodes sex {en[decoded.sex]} but the recorded sex is {en.get(sex, sex)}.",
            source,
        )
    return decoded.number


def make_cccd(province_code: str, sex: str, birth_year: int, serial: int) -> str:
    """Build a structurally valid CCCD (demo data and tests only).

    ``province_code`` is 3 digits from the rules file, ``sex`` "M"/"F", ``serial`` 0–999999.
    Raises ``ValueError`` for a year outside 1900–2399 or an unknown province code.
    """
    if province_code not in rules().provinces:
        raise ValueError(f"unknown province code {province_code!r}")
    century_start = birth_year // 100 * 100
    for digit, (start, digit_sex) in rules().century_sex.items():
        if start == century_start and digit_sex == sex:
            return f"{province_code}{digit}{birth_year % 100:02d}{serial % 1_000_000:06d}"
    raise ValueError(f"birth year {birth_year} or sex {sex!r} has no CCCD code")
