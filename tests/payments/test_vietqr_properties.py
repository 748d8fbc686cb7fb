"""Property tests of the codec: encode → decode round trip; every single-character corruption of a
valid payload is rejected."""

from __future__ import annotations

import json
import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from langso.lib.errors import RuleViolation
from langso.payments.vietqr import (
    ADDITIONAL_FIELDS, SERVICE_ACCOUNT, SERVICE_CARD, VietQR, decode, encode, fold_text,
)

VIETNAMESE = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
TEXT_ALPHABET = VIETNAMESE + VIETNAMESE.upper() + string.digits + " .,-/#:()"
PRINTABLE = [chr(c) for c in range(0x20, 0x7F)]


def text(limit: int) -> st.SearchStrategy[str]:
    return st.text(TEXT_ALPHABET, max_size=limit + 5).filter(lambda t: len(fold_text(t)) <= limit)


@st.composite
def vietqr_values(draw) -> VietQR:
    service = draw(st.sampled_from([SERVICE_ACCOUNT, SERVICE_CARD]))
    bank_bin = draw(st.from_regex(r"\A[0-9]{6}\Z"))
    if service == SERVICE_CARD:
        account = draw(st.from_regex(r"\A[0-9]{16,19}\Z"))
    else:
        account = draw(st.from_regex(r"\A[0-9A-Z]{1,19}\Z"))
    dynamic = draw(st.booleans())
    amount = draw(st.none() | st.integers(1, 10 ** 13 - 1)) if dynamic else None
    labels = draw(st.lists(st.sampled_from(sorted(ADDITIONAL_FIELDS.values())), max_size=3, unique=True))
    extra = {name: draw(text(25)) for name in labels}
    return VietQR(
        bin=bank_bin, account=account, service=service, dynamic=dynamic, amount=amount,
        merchant_name=draw(text(25)), merchant_city=draw(text(15)),
        merchant_category=draw(st.sampled_from(["", "5812", "5411"])), **extra,
    )


@settings(max_examples=400, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(vietqr_values())
def test_encode_then_decode_gives_the_normalised_values(qr):
    try:
        payload = encode(qr)
    except RuleViolation as exc:
        assume(exc.field != "62")  # three 25-character labels can overflow the 99-character template
        raise
    assert payload.isascii() and payload.isprintable()
    assert decode(payload) == qr.normalised()
    assert encode(decode(payload)) == payload


@settings(max_examples=300, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(vietqr_values(), st.data())
def test_any_single_character_substitution_is_rejected(qr, data):
    try:
        payload = encode(qr)
    except RuleViolation:
        assume(False)
    index = data.draw(st.integers(0, len(payload) - 1))
    char = data.draw(st.sampled_from([c for c in PRINTABLE if c != payload[index]]))
    corrupt = payload[:index] + char + payload[index + 1:]
    with pytest.raises(RuleViolation):
        decode(corrupt)


VALID_VECTORS = [
    v["payload"] for v in json.loads((Path(__file__).parent / "data" / "vectors.json").read_text())["vectors"]
    if v["valid"]
]


@pytest.mark.parametrize("payload", VALID_VECTORS)
def test_every_substitution_of_every_vector_is_rejected_exhaustively(payload):
    accepted = []
    for index, original in enumerate(payload):
        for char in PRINTABLE:
            if char == original:
                continue
            corrupt = payload[:index] + char + payload[index + 1:]
            try:
                decode(corrupt)
            except RuleViolation:
                continue
            accepted.append((index, char))
    assert accepted == []
