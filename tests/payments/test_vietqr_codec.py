"""The VietQR codec against the shared NAPAS vectors and each strict-decoding rule."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from langso.lib.errors import RuleViolation
from langso.payments.vietqr import VietQR, crc16_ccitt_false, decode, encode, fold_text

VECTORS = json.loads((Path(__file__).parent / "data" / "vectors.json").read_text(encoding="utf-8"))["vectors"]
# The shared file calls the value under 62.01 a terminal label; EMVCo MPM Table 3.7 and NAPAS's
# additional-data table call 62.01 "Bill Number" (terminal label is 62.07). See data/README.md.
EXPECT_KEY_ALIASES = {"terminal_label": "bill_number"}


def with_crc(body: str) -> str:
    """``body`` (ending in ``6304``) with its correct CRC appended."""
    return body + crc16_ccitt_false(body)


def violation(payload: str) -> RuleViolation:
    with pytest.raises(RuleViolation) as err:
        decode(payload)
    return err.value


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_every_shared_vector_behaves_as_the_file_says(vector):
    payload = vector["payload"]
    assert crc16_ccitt_false(payload[:-4]) == payload[-4:]  # every vector's CRC matches, even the bad one
    if not vector["valid"]:
        err = violation(payload)
        assert err.field.startswith("38")
        return
    decoded = decode(payload).as_dict()
    for key, expected in vector["expect"].items():
        assert decoded[EXPECT_KEY_ALIASES.get(key, key)] == expected, key
    assert encode(decode(payload)) == payload  # our encoder writes the NAPAS examples byte for byte


def test_bad_inner_length_names_the_nested_account_field():
    bad = next(v for v in VECTORS if not v["valid"])
    err = violation(bad["payload"])
    assert (err.field, err.rule) == ("38.01.01", "vietqr.length")
    assert "12" in err.vi and "12" in err.en


def test_crc_reference_value():
    # CRC-16/CCITT-FALSE check value from the CRC catalogue ("123456789" → 0x29B1).
    assert crc16_ccitt_false("123456789") == "29B1"


def test_crc_is_zero_padded():
    # Find a body whose CRC starts with 0: some generators drop that digit.
    body = next(
        b for n in range(10_000)
        if (b := encode(VietQR(bin="970436", account=f"{n:010d}"))[:-4]) and crc16_ccitt_false(b).startswith("0")
    )
    payload = body + crc16_ccitt_false(body)
    assert len(payload.split("6304")[-1]) == 4
    assert decode(payload).bin == "970436"


STATIC = encode(VietQR(bin="970436", account="0011004325123"))
DYNAMIC = encode(VietQR(bin="970436", account="0011004325123", dynamic=True, amount=45000, purpose="Pho bo"))


@pytest.mark.parametrize(
    ("payload", "field", "rule"),
    [
        ("", "payload", "vietqr.empty"),
        (STATIC[:20] + "é" + STATIC[21:], "payload", "vietqr.charset"),
        (STATIC[:-4] + "abcd", "63", "vietqr.crc_format"),
        (STATIC[:-1] + ("0" if STATIC[-1] != "0" else "1"), "63", "vietqr.crc"),
        (STATIC[:-8], "63", "vietqr.missing"),
        (with_crc("000202" + "010211" + "5303704" + "5802VN6304"), "00", "vietqr.format"),
        (with_crc("0002010102135303704" + "5802VN6304"), "01", "vietqr.initiation"),
        (with_crc("000201530370438540010A00000072701240006970436011000110043250208QRIBFTTA5802VN6304"), "38", "vietqr.order"),
        (with_crc("00020101021153037045802VN6304"), "38", "vietqr.missing"),
        (with_crc("00020101021126100006123456" + "53037045802VN6304"), "26", "vietqr.unsupported"),
        (with_crc("0102110002015303704" + "5802VN6304"), "00", "vietqr.order"),
    ],
)
def test_structural_rules(payload, field, rule):
    err = violation(payload)
    assert (err.field, err.rule) == (field, rule)
    assert err.vi and err.en and err.vi != err.en


def template(bin_="970436", account="0011004325123", service="QRIBFTTA", guid="A000000727", order=None) -> str:
    beneficiary = f"00{len(bin_):02d}{bin_}01{len(account):02d}{account}"
    parts = [f"00{len(guid):02d}{guid}", f"01{len(beneficiary):02d}{beneficiary}", f"02{len(service):02d}{service}"]
    if order:
        parts = [parts[i] for i in order]
    body = "".join(parts)
    return f"38{len(body):02d}{body}"


def payload_with(tmpl: str, initiation: str = "11", tail: str = "53037045802VN") -> str:
    return with_crc(f"000201" + f"0102{initiation}" + tmpl + tail + "6304")


@pytest.mark.parametrize(
    ("tmpl", "field", "rule"),
    [
        (template(guid="A000000728"), "38.00", "vietqr.guid"),
        (template(service="QRPUSH"), "38.02", "vietqr.service"),
        (template(bin_="97043"), "38.01.00", "vietqr.bin"),
        (template(bin_="97043X"), "38.01.00", "vietqr.bin"),
        (template(account="12345678901234567890"), "38.01.01", "vietqr.length"),
        (template(account="0011-0043"), "38.01.01", "vietqr.account"),
        (template(service="QRIBFTTC", account="970436123456789"), "38.01.01", "vietqr.card"),
        (template(service="QRIBFTTC", account="97043612345678AB"), "38.01.01", "vietqr.card"),
        (template(order=[1, 0, 2]), "38.00", "vietqr.order"),
        ("3826" + "0010A000000727" + "0208QRIBFTTA", "38.01", "vietqr.missing"),
    ],
)
def test_template_38_rules(tmpl, field, rule):
    err = violation(payload_with(tmpl))
    assert (err.field, err.rule) == (field, rule)


@pytest.mark.parametrize(
    ("initiation", "tail", "field", "rule"),
    [
        ("11", "5303704540510000" + "5802VN", "54", "vietqr.amount_static"),
        ("12", "530370454071000.50" + "5802VN", "54", "vietqr.amount"),
        ("12", "53037045406010000" + "5802VN", "54", "vietqr.amount"),
        ("12", "530370454051e+05" + "5802VN", "54", "vietqr.amount"),
        ("12", "5303840" + "540510000" + "5802VN", "53", "vietqr.currency"),
        ("12", "5802VN", "53", "vietqr.missing"),
        ("12", "5303704" + "5802US", "58", "vietqr.country"),
        ("12", "5303704", "58", "vietqr.missing"),
        ("12", "5303704" + "5802VN" + "5926" + "A" * 26, "59", "vietqr.length"),
        ("12", "5303704" + "5802VN" + "6016" + "B" * 16, "60", "vietqr.length"),
        ("12", "5303704" + "5802VN" + "6230" + "0826" + "c" * 26, "62.08", "vietqr.length"),
        ("12", "5303704" + "5802VN" + "6213" + "0804abcd" + "0101x", "62.01", "vietqr.order"),
        ("12", "5303704" + "5802VN" + "6208" + "0904abcd", "62.09", "vietqr.unsupported"),
        ("12", "5303704" + "5802VN" + "6204" + "0800", "62.08", "vietqr.length"),
        ("12", "5303704" + "5802VN" + "5802VN", "58", "vietqr.order"),
        ("12", "52045X12" + "5303704" + "5802VN", "52", "vietqr.category"),
    ],
)
def test_root_value_rules(initiation, tail, field, rule):
    err = violation(payload_with(template(), initiation, tail))
    assert (err.field, err.rule) == (field, rule)


def test_dynamic_code_with_amount_purpose_and_labels_round_trips():
    qr = VietQR(bin="970436", account="0011004325123", dynamic=True, amount=1_250_000, purpose="Tiền hàng tháng 11",
                merchant_name="Phở Đức", merchant_city="Vĩnh Phú", terminal_label="QUAY1", bill_number="HD0042")
    payload = encode(qr)
    back = decode(payload)
    assert back.amount == 1_250_000 and back.dynamic
    assert back.purpose == "Tien hang thang 11"
    assert (back.merchant_name, back.merchant_city) == ("Pho Duc", "Vinh Phu")
    assert (back.terminal_label, back.bill_number) == ("QUAY1", "HD0042")
    assert "62" in payload and "0705QUAY1" in payload and "0106HD0042" in payload


@pytest.mark.parametrize(
    ("kwargs", "field", "rule"),
    [
        ({"purpose": "Thanh toán tiền hàng tháng mười một"}, "62.08", "vietqr.length"),
        ({"merchant_name": "Hợp tác xã nông nghiệp Ngũ Kiên"}, "59", "vietqr.length"),
        ({"merchant_city": "Thành phố Việt Trì"}, "60", "vietqr.length"),
        ({"purpose": "Cà phê ☕"}, "62.08", "vietqr.charset"),
        ({"amount": 1000}, "54", "vietqr.amount_static"),
        ({"dynamic": True, "amount": 0}, "54", "vietqr.amount"),
        ({"dynamic": True, "amount": -5}, "54", "vietqr.amount"),
        ({"dynamic": True, "amount": 10.5}, "54", "vietqr.amount"),
        ({"dynamic": True, "amount": True}, "54", "vietqr.amount"),
        ({"dynamic": True, "amount": 10 ** 13}, "54", "vietqr.length"),
        ({"bin": "9704"}, "38.01.00", "vietqr.bin"),
        ({"account": ""}, "38.01.01", "vietqr.account"),
        ({"service": "QRCASH"}, "38.02", "vietqr.service"),
        ({"merchant_category": "59"}, "52", "vietqr.category"),
        ({"purpose": "p" * 25, "bill_number": "b" * 25, "store_label": "s" * 25, "terminal_label": "t" * 25}, "62", "vietqr.length"),
    ],
)
def test_encode_refuses_and_never_cuts(kwargs, field, rule):
    values = {"bin": "970436", "account": "0011004325123", **kwargs}
    with pytest.raises(RuleViolation) as err:
        encode(VietQR(**values))
    assert (err.value.field, err.value.rule) == (field, rule)


def test_fold_text():
    assert fold_text("  Thanh  toán   ĐƠN hàng ") == "Thanh toan DON hang"
    assert fold_text("Nguyễn Thị Ánh Tuyết") == "Nguyen Thi Anh Tuyet"
    import unicodedata
    assert fold_text(unicodedata.normalize("NFD", "Phở đặc biệt")) == "Pho dac biet"
    assert fold_text(None) == ""


def test_amount_limits():
    assert decode(encode(VietQR(bin="970436", account="1", dynamic=True, amount=1))).amount == 1
    assert decode(encode(VietQR(bin="970436", account="1", dynamic=True, amount=10 ** 13 - 1))).amount == 10 ** 13 - 1


def test_dynamic_without_amount_is_allowed():
    # EMVCo MPM: 54 absent means the payer's app asks for the amount.
    back = decode(encode(VietQR(bin="970436", account="0011004325123", dynamic=True, bill_number="HD1")))
    assert back.dynamic and back.amount is None
