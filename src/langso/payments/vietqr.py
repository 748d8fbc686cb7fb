"""VietQR payloads: encode and strictly decode (NAPAS VietQR on EMVCo merchant-presented mode).

Sources:
- NAPAS, "Tài liệu quy định về định dạng mã VietQR trong dịch vụ chuyển nhanh NAPAS247"
  (QR Format T&C v1.0, 09/2021; English v1.5.2): §5 data objects, §6.1 worked examples.
- EMVCo, "QR Code Specification for Payment Systems: Merchant-Presented Mode" (MPM) v1.1:
  §4.1 data-object format, §4.7 CRC, Table 3.6–3.8 (root objects, additional data template).

A payload is a sequence of data objects ``ID(2 digits) LENGTH(2 digits, 01–99) VALUE``; two of
them are templates holding further objects of the same form:

====== ============================================================ =========================
tag    content                                                      rule applied here
====== ============================================================ =========================
00     payload format indicator                                     first, ``01``
01     point of initiation method                                   second, ``11`` static /
                                                                    ``12`` dynamic
38     VietQR template: 00 GUID, 01 beneficiary, 02 service code    all three, in that order
38.00  globally unique identifier                                   ``A000000727``
38.01  beneficiary template: 00 acquirer BIN, 01 account or card    both, in that order
38.01.00  bank BIN                                                  6 digits
38.01.01  account number (QRIBFTTA) / card number (QRIBFTTC)        account: 1–19 of [0-9A-Z];
                                                                    card: 16–19 digits
38.02  service code                                                 ``QRIBFTTA`` | ``QRIBFTTC``
52     merchant category code (optional)                            4 digits
53     transaction currency (ISO 4217 numeric)                      ``704`` (VND)
54     transaction amount                                           dynamic only; VND has no
                                                                    minor unit: digits, no
                                                                    leading zero, ≤13
58     country code (ISO 3166-1 alpha-2)                            ``VN``
59     merchant name (optional)                                     ≤25
60     merchant city (optional)                                     ≤15
62     additional data template: 01 bill number, 02 mobile number,  each ≤25, ascending
       03 store label, 04 loyalty number, 05 reference label,
       06 customer label, 07 terminal label, 08 purpose of transaction
63     CRC-16/CCITT-FALSE over every character up to and including  last, 4 upper-case hex
       ``6304``
====== ============================================================ =========================

Root objects other than these (tips 55–57, postal code 61, language template 64, other
networks' 02–51, 65–99) are refused as unsupported: a Làng số code never carries them, and a
strict decoder that silently skipped them would accept payloads it cannot vouch for. All
objects appear in ascending ID order, no ID twice, CRC last — the order of the NAPAS examples.

Free text is folded to printable ASCII before encoding (diacritics removed, đ → d; see
:func:`fold_text`); a field longer than its maximum is refused, never cut. Every error is a
:class:`~langso.lib.errors.RuleViolation` whose ``field`` is the tag path (``"38.01.01"``,
``"54"``, ``"payload"``) and whose ``rule`` is a stable code (``"vietqr.length"``…).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from langso.lib.errors import RuleViolation

GUID = "A000000727"
SERVICE_ACCOUNT = "QRIBFTTA"
SERVICE_CARD = "QRIBFTTC"
SERVICES = (SERVICE_ACCOUNT, SERVICE_CARD)
STATIC = "11"
DYNAMIC = "12"
CURRENCY_VND = "704"
COUNTRY_VN = "VN"
SOURCE = "NAPAS VietQR (QR Format T&C v1.5.2) on EMVCo MPM v1.1"

# 62: EMVCo MPM Table 3.7 sub-IDs supported here, each "ans" up to 25 characters.
ADDITIONAL_FIELDS: dict[str, str] = {
    "01": "bill_number",
    "02": "mobile_number",
    "03": "store_label",
    "04": "loyalty_number",
    "05": "reference_label",
    "06": "customer_label",
    "07": "terminal_label",
    "08": "purpose",
}
ADDITIONAL_MAX = 25
MERCHANT_NAME_MAX = 25
MERCHANT_CITY_MAX = 15
ACCOUNT_MAX = 19
CARD_MIN = 16
AMOUNT_MAX_DIGITS = 13
SUPPORTED_ROOT = ("00", "01", "38", "52", "53", "54", "58", "59", "60", "62", "63")

_D_MAP = str.maketrans({"đ": "d", "Đ": "D"})
_SPACES = re.compile(r"\s+")
_PRINTABLE = re.compile(r"^[\x20-\x7e]*$")
_ACCOUNT = re.compile(r"^[0-9A-Z]+$")
_HEX4 = re.compile(r"^[0-9A-F]{4}$")


def _violation(field: str, rule: str, vi: str, en: str) -> RuleViolation:
    return RuleViolation(field, f"vietqr.{rule}", vi, en, source=SOURCE)


def _crc_table() -> tuple[int, ...]:
    table = []
    for byte in range(256):
        crc = byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
        table.append(crc & 0xFFFF)
    return tuple(table)


_CRC_TABLE = _crc_table()


def crc16_ccitt_false(data: str) -> str:
    """CRC-16/CCITT-FALSE (polynomial 0x1021, initial 0xFFFF, no reflection, no final XOR) of
    the ASCII bytes of ``data``, as 4 upper-case hex digits (EMVCo MPM §4.7.1). Table-driven,
    one lookup per byte. Raises ``UnicodeEncodeError`` on non-ASCII text.

    >>> crc16_ccitt_false("123456789")
    '29B1'
    """
    crc = 0xFFFF
    for byte in data.encode("ascii"):
        crc = ((crc << 8) & 0xFFFF) ^ _CRC_TABLE[(crc >> 8) ^ byte]
    return f"{crc:04X}"


def fold_text(text: str | None, field: str = "text") -> str:
    """Fold Vietnamese free text to the printable ASCII a VietQR field may carry.

    NFC first, then đ/Đ → d/D, diacritics removed, white space collapsed, case kept:
    ``"Thanh toán đơn hàng"`` → ``"Thanh toan don hang"``. Raises :class:`RuleViolation`
    (rule ``vietqr.charset``) for a character with no ASCII form (emoji, ``€``, CJK…), naming it.
    """
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", unicodedata.normalize("NFC", text).translate(_D_MAP))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    folded = _SPACES.sub(" ", stripped).strip()
    for ch in folded:
        if not (" " <= ch <= "~"):
            raise _violation(
                field, "charset",
                f"Ký tự '{ch}' (U+{ord(ch):04X}) không có dạng ASCII để đưa vào mã VietQR.",
                f"Character '{ch}' (U+{ord(ch):04X}) has no ASCII form for a VietQR code.",
            )
    return folded


@dataclass(frozen=True)
class VietQR:
    """The content of one VietQR code.

    ``bin``: 6-digit bank BIN (38.01.00); ``account``: account number or, with
    ``service=QRIBFTTC``, card number (38.01.01); ``amount``: integer VND, only in a
    ``dynamic`` code (54); ``purpose``: message to the payer's bank (62.08); optional
    ``merchant_name`` (59, ≤25), ``merchant_city`` (60, ≤15), ``merchant_category`` (52, 4
    digits) and the other additional-data labels (62.01–62.07, ≤25 each). Text fields hold
    folded ASCII once the object came out of :func:`decode` or :meth:`normalised`.
    """

    bin: str
    account: str
    service: str = SERVICE_ACCOUNT
    dynamic: bool = False
    amount: int | None = None
    purpose: str = ""
    merchant_name: str = ""
    merchant_city: str = ""
    merchant_category: str = ""
    bill_number: str = ""
    mobile_number: str = ""
    store_label: str = ""
    loyalty_number: str = ""
    reference_label: str = ""
    customer_label: str = ""
    terminal_label: str = ""

    @property
    def is_card(self) -> bool:
        return self.service == SERVICE_CARD

    def normalised(self) -> VietQR:
        """A copy with every free-text field folded (:func:`fold_text`); raises on bad text."""
        text_paths = {"purpose": "62.08", "merchant_name": "59", "merchant_city": "60"}
        text_paths.update({name: f"62.{tag}" for tag, name in ADDITIONAL_FIELDS.items()})
        changes = {name: fold_text(getattr(self, name), path) for name, path in text_paths.items()}
        return replace(self, bin=(self.bin or "").strip(), account=(self.account or "").strip().upper(), **changes)

    def as_dict(self) -> dict[str, Any]:
        """JSON shape used by the API and the shared vectors' ``expect``: ``initiation``
        (``static``/``dynamic``), ``bin``, ``account`` or ``card_number``, ``service``,
        ``currency``, ``country``, ``amount`` (when present) and non-empty text fields."""
        out: dict[str, Any] = {
            "initiation": "dynamic" if self.dynamic else "static",
            "bin": self.bin,
            "card_number" if self.is_card else "account": self.account,
            "service": self.service,
            "currency": CURRENCY_VND,
            "country": COUNTRY_VN,
        }
        if self.amount is not None:
            out["amount"] = self.amount
        skip = {"bin", "account", "service", "dynamic", "amount"}
        for name, value in asdict(self).items():
            if name not in skip and value:
                out[name] = value
        return out


TEXT_FIELDS = tuple(f.name for f in fields(VietQR) if f.name not in {"bin", "account", "service", "dynamic", "amount"})


# --- validation of values (shared by encode and decode) ---------------------------------------

def _check_bin(value: str) -> None:
    if not (len(value) == 6 and value.isascii() and value.isdigit()):
        raise _violation("38.01.00", "bin", "Mã BIN ngân hàng phải gồm đúng 6 chữ số.",
                         "The bank BIN must be exactly 6 digits.")


def _check_account(value: str, service: str) -> None:
    if service == SERVICE_CARD:
        if not (value.isascii() and value.isdigit() and CARD_MIN <= len(value) <= ACCOUNT_MAX):
            raise _violation("38.01.01", "card",
                             f"Số thẻ phải gồm {CARD_MIN}–{ACCOUNT_MAX} chữ số (có {len(value)} ký tự).",
                             f"A card number is {CARD_MIN}–{ACCOUNT_MAX} digits (got {len(value)} characters).")
        return
    if not value:
        raise _violation("38.01.01", "account", "Thiếu số tài khoản.", "The account number is missing.")
    if len(value) > ACCOUNT_MAX:
        raise _violation("38.01.01", "length",
                         f"Số tài khoản dài tối đa {ACCOUNT_MAX} ký tự (có {len(value)}).",
                         f"An account number has at most {ACCOUNT_MAX} characters (got {len(value)}).")
    if not _ACCOUNT.match(value):
        raise _violation("38.01.01", "account", "Số tài khoản chỉ gồm chữ số và chữ in hoa không dấu.",
                         "An account number holds only digits and upper-case ASCII letters.")


def _check_service(value: str) -> None:
    if value not in SERVICES:
        raise _violation("38.02", "service",
                         f"Mã dịch vụ phải là {SERVICE_ACCOUNT} (tới tài khoản) hoặc {SERVICE_CARD} (tới thẻ).",
                         f"The service code must be {SERVICE_ACCOUNT} (to account) or {SERVICE_CARD} (to card).")


def _check_amount(amount: Any, dynamic: bool) -> None:
    if amount is None:
        return
    if not dynamic:
        raise _violation("54", "amount_static", "Mã QR tĩnh (01=11) không được mang số tiền; dùng mã động (01=12).",
                         "A static code (01=11) carries no amount; use a dynamic code (01=12).")
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise _violation("54", "amount", "Số tiền phải là số nguyên đồng (VND không có phần lẻ).",
                         "The amount must be a whole number of đồng (VND has no minor unit).")
    if amount <= 0:
        raise _violation("54", "amount", "Số tiền phải lớn hơn 0.", "The amount must be greater than 0.")
    if len(str(amount)) > AMOUNT_MAX_DIGITS:
        raise _violation("54", "length", f"Số tiền dài tối đa {AMOUNT_MAX_DIGITS} chữ số.",
                         f"The amount has at most {AMOUNT_MAX_DIGITS} digits.")


def _check_text(value: str, path: str, maximum: int) -> None:
    if len(value) > maximum:
        raise _violation(path, "length",
                         f"Trường {path} dài tối đa {maximum} ký tự (có {len(value)}); hãy rút gọn, hệ thống không tự cắt.",
                         f"Field {path} has at most {maximum} characters (got {len(value)}); shorten it — it is never cut.")
    if not _PRINTABLE.match(value):
        raise _violation(path, "charset", f"Trường {path} chỉ được chứa ký tự ASCII in được.",
                         f"Field {path} may hold printable ASCII only.")


def _check_category(value: str) -> None:
    if value and not (len(value) == 4 and value.isascii() and value.isdigit()):
        raise _violation("52", "category", "Mã loại hình kinh doanh (MCC) gồm đúng 4 chữ số.",
                         "The merchant category code is exactly 4 digits.")


def _validate(qr: VietQR) -> None:
    _check_bin(qr.bin)
    _check_service(qr.service)
    _check_account(qr.account, qr.service)
    _check_amount(qr.amount, qr.dynamic)
    _check_category(qr.merchant_category)
    _check_text(qr.merchant_name, "59", MERCHANT_NAME_MAX)
    _check_text(qr.merchant_city, "60", MERCHANT_CITY_MAX)
    for tag, name in ADDITIONAL_FIELDS.items():
        _check_text(getattr(qr, name), f"62.{tag}", ADDITIONAL_MAX)


# --- encoding -------------------------------------------------------------------------------

def _tlv(tag: str, value: str, path: str) -> str:
    if len(value) > 99:
        raise _violation(path, "length",
                         f"Nội dung trường {path} dài {len(value)} ký tự, vượt quá 99; hãy rút gọn các trường con.",
                         f"Field {path} would be {len(value)} characters, over 99; shorten its sub-fields.")
    return f"{tag}{len(value):02d}{value}"


def encode(qr: VietQR) -> str:
    """The VietQR payload of ``qr`` (ASCII, CRC appended).

    Text is folded first (:meth:`VietQR.normalised`), then every rule of the module table is
    checked; a broken one raises :class:`RuleViolation` naming the tag path. Objects are
    written in ascending ID order, as in NAPAS §6.1.
    """
    qr = qr.normalised()
    _validate(qr)
    beneficiary = _tlv("00", qr.bin, "38.01.00") + _tlv("01", qr.account, "38.01.01")
    template = _tlv("00", GUID, "38.00") + _tlv("01", beneficiary, "38.01") + _tlv("02", qr.service, "38.02")
    parts = [_tlv("00", "01", "00"), _tlv("01", DYNAMIC if qr.dynamic else STATIC, "01"), _tlv("38", template, "38")]
    if qr.merchant_category:
        parts.append(_tlv("52", qr.merchant_category, "52"))
    parts.append(_tlv("53", CURRENCY_VND, "53"))
    if qr.amount is not None:
        parts.append(_tlv("54", str(qr.amount), "54"))
    parts.append(_tlv("58", COUNTRY_VN, "58"))
    if qr.merchant_name:
        parts.append(_tlv("59", qr.merchant_name, "59"))
    if qr.merchant_city:
        parts.append(_tlv("60", qr.merchant_city, "60"))
    additional = "".join(
        _tlv(tag, getattr(qr, name), f"62.{tag}") for tag, name in ADDITIONAL_FIELDS.items() if getattr(qr, name)
    )
    if additional:
        parts.append(_tlv("62", additional, "62"))
    body = "".join(parts) + "6304"
    return body + crc16_ccitt_false(body)


# --- decoding -------------------------------------------------------------------------------

def _parse(data: str, prefix: str, allowed: tuple[str, ...] | None = None) -> list[tuple[str, str]]:
    """Split ``data`` into ``(tag, value)`` pairs, checking ID/length syntax, that values fit,
    ascending order and no repeats. ``prefix`` is the template's path (``""`` at the root)."""
    items: list[tuple[str, str]] = []
    pos = 0
    where = prefix or "payload"
    while pos < len(data):
        rest = len(data) - pos
        if rest < 4:
            if items:
                last = f"{prefix}.{items[-1][0]}" if prefix else items[-1][0]
                raise _violation(
                    last, "length",
                    f"Độ dài khai báo của trường {last} ({len(items[-1][1]):02d}) không khớp: còn thừa {rest} ký tự "
                    f"cuối {'mẫu ' + prefix if prefix else 'mã'} không tạo thành trường nào.",
                    f"The declared length of field {last} ({len(items[-1][1]):02d}) does not fit: {rest} trailing "
                    f"character(s) of {'template ' + prefix if prefix else 'the payload'} form no field.",
                )
            raise _violation(where, "truncated", f"Mẫu {where} bị cụt: thiếu mã trường và độ dài.",
                             f"Template {where} is truncated: an ID and length are missing.")
        tag, length_text = data[pos:pos + 2], data[pos + 2:pos + 4]
        path = f"{prefix}.{tag}" if prefix else tag
        if not (tag.isascii() and tag.isdigit()):
            raise _violation(where, "tag", f"Mã trường '{tag}' ở vị trí {pos} của {where} không phải 2 chữ số.",
                             f"ID '{tag}' at position {pos} of {where} is not 2 digits.")
        if not (length_text.isascii() and length_text.isdigit()):
            raise _violation(path, "length", f"Độ dài '{length_text}' của trường {path} không phải 2 chữ số.",
                             f"The length '{length_text}' of field {path} is not 2 digits.")
        length = int(length_text)
        if length == 0:
            raise _violation(path, "length", f"Trường {path} có độ dài 00; trường rỗng không được có mặt.",
                             f"Field {path} has length 00; an empty field must be left out.")
        if pos + 4 + length > len(data):
            raise _violation(path, "length",
                             f"Trường {path} khai báo {length} ký tự nhưng chỉ còn {len(data) - pos - 4}.",
                             f"Field {path} declares {length} characters but only {len(data) - pos - 4} remain.")
        if items and tag <= items[-1][0]:
            rule_vi = "lặp lại" if tag == items[-1][0] else f"đứng sau trường {items[-1][0]}"
            raise _violation(path, "order", f"Trường {path} {rule_vi}: các trường phải theo thứ tự tăng dần, không lặp.",
                             f"Field {path} is out of order or repeated: fields come in ascending order, once each.")
        if allowed is not None and tag not in allowed:
            raise _violation(path, "unsupported", f"Trường {path} không thuộc mã VietQR chuyển khoản được hỗ trợ.",
                             f"Field {path} is not part of a supported VietQR transfer code.")
        items.append((tag, data[pos + 4:pos + 4 + length]))
        pos += 4 + length
    return items


def _require(found: dict[str, str], tag: str, path: str, what_vi: str, what_en: str) -> str:
    if tag not in found:
        raise _violation(path, "missing", f"Thiếu trường bắt buộc {path} ({what_vi}).",
                         f"Mandatory field {path} ({what_en}) is missing.")
    return found[tag]


def decode(payload: str) -> VietQR:
    """Parse and strictly validate a VietQR payload; return its :class:`VietQR`.

    Checks, in order: printable ASCII; root objects well formed, ascending, supported; 00
    first and 63 last (``6304`` + 4 upper-case hex); the CRC; then each value by the module
    table, templates 38, 38.01 and 62 included. Raises :class:`RuleViolation` on the first
    broken rule, ``field`` being the tag path.
    """
    if not isinstance(payload, str) or not payload:
        raise _violation("payload", "empty", "Mã VietQR trống.", "The VietQR payload is empty.")
    if not _PRINTABLE.match(payload):
        raise _violation("payload", "charset", "Mã VietQR chỉ được chứa ký tự ASCII in được.",
                         "A VietQR payload holds printable ASCII characters only.")
    root = _parse(payload, "", SUPPORTED_ROOT)
    if root[0][0] != "00":
        raise _violation("00", "order", "Trường 00 (định dạng) phải đứng đầu.", "Field 00 (payload format) must come first.")
    if root[-1][0] != "63":
        raise _violation("63", "missing", "Thiếu mã kiểm tra CRC (trường 63) ở cuối.",
                         "The CRC (field 63) is missing at the end.")
    crc = root[-1][1]
    if len(crc) != 4 or not _HEX4.match(crc):
        raise _violation("63", "crc_format", "CRC (trường 63) phải là 4 chữ số hex viết hoa.",
                         "The CRC (field 63) must be 4 upper-case hex digits.")
    expected = crc16_ccitt_false(payload[:-4])
    if crc != expected:
        raise _violation("63", "crc", f"Sai mã kiểm tra CRC: mã ghi {crc}, tính được {expected}; mã đã bị hỏng hoặc sửa.",
                         f"CRC mismatch: the code says {crc}, computed {expected}; the payload is corrupt or altered.")
    found = dict(root)
    if found["00"] != "01":
        raise _violation("00", "format", "Trường 00 (định dạng) phải là '01'.", "Field 00 (payload format) must be '01'.")
    initiation = _require(found, "01", "01", "phương thức khởi tạo", "point of initiation method")
    if root[1][0] != "01":
        raise _violation("01", "order", "Trường 01 phải đứng ngay sau trường 00.", "Field 01 must follow field 00.")
    if initiation not in (STATIC, DYNAMIC):
        raise _violation("01", "initiation", "Trường 01 phải là 11 (mã tĩnh) hoặc 12 (mã động).",
                         "Field 01 must be 11 (static) or 12 (dynamic).")
    dynamic = initiation == DYNAMIC

    template = dict(_parse(_require(found, "38", "38", "thông tin VietQR", "VietQR account template"), "38", ("00", "01", "02")))
    if _require(template, "00", "38.00", "mã định danh NAPAS", "NAPAS GUID") != GUID:
        raise _violation("38.00", "guid", f"Mã định danh (38.00) phải là {GUID} của NAPAS.",
                         f"The GUID (38.00) must be NAPAS's {GUID}.")
    beneficiary = dict(_parse(_require(template, "01", "38.01", "người thụ hưởng", "beneficiary"), "38.01", ("00", "01")))
    service = _require(template, "02", "38.02", "mã dịch vụ", "service code")
    bank_bin = _require(beneficiary, "00", "38.01.00", "BIN ngân hàng", "bank BIN")
    account = _require(beneficiary, "01", "38.01.01", "số tài khoản/thẻ", "account or card number")
    _check_bin(bank_bin)
    _check_service(service)
    _check_account(account, service)

    currency = _require(found, "53", "53", "mã tiền tệ", "currency")
    if currency != CURRENCY_VND:
        raise _violation("53", "currency", f"Mã tiền tệ phải là {CURRENCY_VND} (VND, ISO 4217).",
                         f"The currency must be {CURRENCY_VND} (VND, ISO 4217).")
    country = _require(found, "58", "58", "mã quốc gia", "country code")
    if country != COUNTRY_VN:
        raise _violation("58", "country", "Mã quốc gia phải là VN.", "The country code must be VN.")

    amount: int | None = None
    if "54" in found:
        text = found["54"]
        if not dynamic:
            _check_amount(1, False)
        if not (text.isascii() and text.isdigit()):
            raise _violation("54", "amount", "Số tiền VND chỉ gồm chữ số, không có dấu thập phân.",
                             "A VND amount is digits only, with no decimal point.")
        if text[0] == "0":
            raise _violation("54", "amount", "Số tiền không được bắt đầu bằng chữ số 0.",
                             "The amount must not start with a zero.")
        amount = int(text)
        _check_amount(amount, dynamic)

    category = found.get("52", "")
    _check_category(category)
    name, city = found.get("59", ""), found.get("60", "")
    _check_text(name, "59", MERCHANT_NAME_MAX)
    _check_text(city, "60", MERCHANT_CITY_MAX)
    extra: dict[str, str] = {}
    if "62" in found:
        for tag, value in _parse(found["62"], "62", tuple(ADDITIONAL_FIELDS)):
            _check_text(value, f"62.{tag}", ADDITIONAL_MAX)
            extra[ADDITIONAL_FIELDS[tag]] = value
    return VietQR(
        bin=bank_bin, account=account, service=service, dynamic=dynamic, amount=amount,
        merchant_name=name, merchant_city=city, merchant_category=category, **extra,
    )


def is_valid(payload: str) -> bool:
    """``True`` when :func:`decode` accepts ``payload``."""
    try:
        decode(payload)
    except RuleViolation:
        return False
    return True
