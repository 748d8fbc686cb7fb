"""Cell values as officers typed them → the registry's values, or a :class:`RuleViolation`.

Decisions (docs/imports.md):

- **Dates**: a real Excel date; an Excel serial number (1900 date system, day 1 = 1900-01-01,
  epoch 1899-12-30 because of Excel's phantom 29/02/1900); text ``dd/mm/yyyy`` (also ``-`` and
  ``.``), ISO ``yyyy-mm-dd``; ``dd/mm/yy`` with the **pivot at the current year**: ``yy`` ≤ this
  year's two digits is 20yy, otherwise 19yy (nobody in the list is born in the future; a person
  aged over 100 written with two digits is misread — such rows should carry four digits);
  ``mm/yyyy`` → day 1 and a year alone (``1957`` as text or number) → 01/01/yyyy, both flagged
  **approximate** in the import report (the register keeps a full date, as the paper forms did
  with "01/01").
- **CCCD** (12 digits, Circular 07/2016/TT-BCA art. 7): spaces, dots and hyphens removed. A CCCD
  stored as a *number* loses its leading zeros (province codes 001–096 start with 0); 10 or 11
  digits are padded back to 12 **only if the padded number validates against the birth year and
  sex** (digits 4–6 encode century, sex and year), so a truncated or wrong number is never
  "repaired" into someone else's valid-looking number.
- **CMND** (the old 9-digit identity card, Decree 05/1999/NĐ-CP): 9 digits kept as the old ID
  number; 8 digits from a number column are padded to 9 (CMND series of Hà Nội etc. start with 0).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from langso.lib.errors import RuleViolation
from langso.lib.vietnamese import fold, nfc
from langso.registry.identifiers import validate_cccd
from langso.registry.models import Relation, Sex

EXCEL_EPOCH = dt.date(1899, 12, 30)
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
_MY = re.compile(r"^(\d{1,2})[/.\-](\d{4})$")
_YEAR = re.compile(r"^(\d{4})$")
_NOISE = re.compile(r"[\s.\-']")


@dataclass(frozen=True)
class ParsedDate:
    value: dt.date
    approximate: bool = False


def _bad_date(field: str, raw: Any) -> RuleViolation:
    return RuleViolation(field, "import.date", f"Ngày '{raw}' không đọc được (dùng dd/mm/yyyy).",
                         f"Cannot read the date '{raw}' (use dd/mm/yyyy).")


def parse_date(raw: Any, today: dt.date, field: str = "date_of_birth") -> ParsedDate:
    """``raw`` (date, datetime, serial number, text) → :class:`ParsedDate`. Raises :class:`RuleViolation`."""
    if isinstance(raw, dt.datetime):
        return ParsedDate(raw.date())
    if isinstance(raw, dt.date):
        return ParsedDate(raw)
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        number = int(raw)
        if number != raw and not float(raw).is_integer():
            number = int(raw)  # a time of day: drop it
        if 1800 <= number <= today.year:
            return ParsedDate(dt.date(number, 1, 1), approximate=True)
        if 1 <= number <= 80000:
            return ParsedDate(EXCEL_EPOCH + dt.timedelta(days=number))
        raise _bad_date(field, raw)
    text = str(raw or "").strip()
    try:
        if m := _DMY.match(text):
            day, month, year = int(m[1]), int(m[2]), m[3]
            if len(year) == 2:
                yy = int(year)
                year_value = 2000 + yy if yy <= today.year % 100 else 1900 + yy
            else:
                year_value = int(year)
            return ParsedDate(dt.date(year_value, month, day))
        if m := _YMD.match(text):
            return ParsedDate(dt.date(int(m[1]), int(m[2]), int(m[3])))
        if m := _MY.match(text):
            return ParsedDate(dt.date(int(m[2]), int(m[1]), 1), approximate=True)
        if m := _YEAR.match(text):
            return ParsedDate(dt.date(int(m[1]), 1, 1), approximate=True)
        if text.replace(".", "", 1).isdigit():
            return parse_date(float(text), today, field)
    except ValueError:
        pass
    raise _bad_date(field, raw)


_SEX = {"nam": Sex.MALE, "m": Sex.MALE, "male": Sex.MALE, "trai": Sex.MALE,
        "nu": Sex.FEMALE, "f": Sex.FEMALE, "female": Sex.FEMALE, "gai": Sex.FEMALE}


@functools.lru_cache(maxsize=1024)
def parse_sex(raw: Any) -> str:
    """"Nam"/"Nữ" (any accents or case), M/F → ``"M"``/``"F"``. Raises :class:`RuleViolation`."""
    key = fold(str(raw or ""))
    if key in _SEX:
        return _SEX[key].value
    raise RuleViolation("sex", "import.sex", f"Giới tính '{raw or ''}' không hợp lệ (Nam hoặc Nữ).",
                        f"Sex '{raw or ''}' is invalid (Nam or Nữ).")


_RELATIONS: dict[str, str] = {}
for _value, _names in {
    Relation.HEAD: ["chu ho", "ch", "chu ho khau", "chu"],
    Relation.SPOUSE: ["vo", "chong", "vo chong", "vo/chong"],
    Relation.CHILD: ["con", "con trai", "con gai", "con nuoi", "con de"],
    Relation.PARENT: ["bo", "me", "cha", "bo de", "me de", "cha de", "bo me", "cha me", "bo chong", "me chong",
                      "bo vo", "me vo"],
    Relation.GRANDCHILD: ["chau", "chau noi", "chau ngoai", "chat"],
    Relation.GRANDPARENT: ["ong", "ba", "ong noi", "ba noi", "ong ngoai", "ba ngoai"],
    Relation.SIBLING: ["anh", "chi", "em", "anh trai", "chi gai", "em trai", "em gai", "anh ruot", "em ruot"],
    Relation.CHILD_IN_LAW: ["con dau", "con re"],
    Relation.OTHER_RELATIVE: ["co", "di", "chu ruot", "bac", "cau", "thim", "mo", "chau ho", "ho hang"],
    Relation.OTHER: ["khac", "o nho", "o ghep", "nguoi o nho"],
}.items():
    for _name in _names:
        _RELATIONS[_name] = _value.value
# The labels our own export writes ("Bố/Mẹ", "Anh/Chị/Em", "Con dâu/Con rể", …) read back as themselves.
for _value, _label in Relation.choices:
    _RELATIONS.setdefault(fold(_label.split(" / ")[0]).replace(" / ", "/"), _value)


@functools.lru_cache(maxsize=1024)
def parse_relation(raw: Any) -> str:
    """"Chủ hộ", "Vợ", "Con trai"… (accent-insensitive) → a :class:`Relation` value. Raises :class:`RuleViolation`."""
    key = re.sub(r"\s+", " ", fold(str(raw or "")).replace("/", " / ").replace(" / ", "/")).strip()
    if key in _RELATIONS:
        return _RELATIONS[key]
    raise RuleViolation("relation", "import.relation",
                        f"Quan hệ với chủ hộ '{raw or ''}' không rõ (ví dụ: Chủ hộ, Vợ, Con, Cháu).",
                        f"Unknown relation to the head '{raw or ''}' (e.g. Chủ hộ, Vợ, Con, Cháu).")


@dataclass(frozen=True)
class Identifier:
    cccd: str | None = None
    cmnd: str | None = None
    restored: bool = False  # leading zeros put back


def parse_identifier(raw: Any, dob: dt.date, sex: str, field: str = "id_number") -> Identifier:
    """A CCCD (12 digits) or a CMND (9 digits) from a cell; see the module notes. Raises :class:`RuleViolation`."""
    if raw is None or raw == "":
        return Identifier()
    from_number = isinstance(raw, (int, float)) and not isinstance(raw, bool)
    if from_number:
        digits = str(int(raw))
    else:
        digits = _NOISE.sub("", str(raw))
        if digits.endswith(".0") and digits[:-2].isdigit():
            digits = digits[:-2]
    if not digits.isdigit():
        raise RuleViolation(field, "import.id_digits", f"Số giấy tờ '{raw}' chỉ được gồm chữ số.",
                            f"The ID number '{raw}' must contain digits only.")
    if len(digits) == 12:
        return Identifier(cccd=validate_cccd(digits, date_of_birth=dob, sex=sex, field=field))
    if len(digits) == 9:
        return Identifier(cmnd=digits)
    if len(digits) in (10, 11):
        padded = digits.zfill(12)
        try:
            return Identifier(cccd=validate_cccd(padded, date_of_birth=dob, sex=sex, field=field), restored=True)
        except RuleViolation:
            raise RuleViolation(
                field, "import.id_leading_zeros",
                f"Số '{raw}' có {len(digits)} chữ số; thêm số 0 ở đầu thành {padded} vẫn không khớp năm sinh và "
                "giới tính: hãy nhập lại số CCCD dạng văn bản.",
                f"'{raw}' has {len(digits)} digits; padded with zeros to {padded} it still does not match the "
                "birth year and sex: enter the CCCD as text.") from None
    if len(digits) == 8 and from_number:
        return Identifier(cmnd=digits.zfill(9), restored=True)
    raise RuleViolation(field, "import.id_length",
                        f"Số giấy tờ '{raw}' có {len(digits)} chữ số: CCCD có 12, CMND có 9.",
                        f"The ID number '{raw}' has {len(digits)} digits: a CCCD has 12, a CMND 9.")


_PHONE = re.compile(r"^(\+84|0)\d{9,10}$")


def parse_phone(raw: Any) -> str:
    """A Vietnamese phone number; a number cell that lost its leading 0 gets it back. Raises :class:`RuleViolation`."""
    if raw is None or raw == "":
        return ""
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        text = str(int(raw))
        if len(text) in (9, 10) and not text.startswith("0"):
            text = "0" + text
    else:
        text = _NOISE.sub("", str(raw)).replace("(", "").replace(")", "")
    if text.startswith("84") and len(text) in (11, 12):
        text = "+" + text
    if not _PHONE.match(text):
        raise RuleViolation("phone", "import.phone", f"Số điện thoại '{raw}' không hợp lệ.",
                            f"The phone number '{raw}' is invalid.")
    return text


def text(raw: Any) -> str:
    """A text cell as NFC (numbers as written without a trailing ``.0``)."""
    if raw is None:
        return ""
    if type(raw) is str:
        # Fast path: most cells are already clean NFC text (checked without copying).
        if (raw.isprintable() and "  " not in raw and raw[:1] != " " and raw[-1:] != " "
                and unicodedata.is_normalized("NFC", raw)):
            return raw
        return nfc(raw)
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return nfc(str(raw))
