"""Cross-check against an independent implementation, napas-qr-python, used only as a test
oracle (a dev dependency; its online ``Bank`` helper is never imported)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from langso.lib.errors import RuleViolation
from langso.payments.vietqr import SERVICE_CARD, VietQR, decode, encode

qr_pay = pytest.importorskip("qr_pay")

from test_vietqr_properties import vietqr_values  # noqa: E402


def oracle_payload(qr: VietQR) -> str:
    q = qr.normalised()
    kwargs = {
        "bin_id": q.bin, "consumer_id": q.account,
        "service_code": "CARD" if q.service == SERVICE_CARD else "ACCOUNT",
        "point_of_initiation_method": "DYNAMIC" if q.dynamic else "STATIC",
        "transaction_amount": q.amount, "purpose_of_transaction": q.purpose or None,
        "merchant_name": q.merchant_name or None, "merchant_city": q.merchant_city or None,
        "merchant_category_code": q.merchant_category or None,
        "bill_number": q.bill_number or None, "mobile_number": q.mobile_number or None,
        "store_label": q.store_label or None, "loyalty_number": q.loyalty_number or None,
        "reference_label": q.reference_label or None, "customer_label": q.customer_label or None,
        "terminal_label": q.terminal_label or None,
    }
    return qr_pay.QRPay(**{k: v for k, v in kwargs.items() if v is not None}).code


@settings(max_examples=300, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(vietqr_values())
def test_our_payload_equals_the_oracles(qr):
    try:
        ours = encode(qr)
    except RuleViolation:
        assume(False)
    assert ours == oracle_payload(qr)


@settings(max_examples=200, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(vietqr_values())
def test_the_oracle_reads_our_payload_as_we_do(qr):
    try:
        ours = encode(qr)
    except RuleViolation:
        assume(False)
    read = qr_pay.decode(ours)  # verifies the CRC too
    mine = decode(ours)
    assert read["bin_id"] == mine.bin and read["consumer_id"] == mine.account
    assert read["service_code"] == mine.service
    assert read["point_of_initiation_method"] == ("12" if mine.dynamic else "11")
    assert read["transaction_amount"] == (str(mine.amount) if mine.amount is not None else None)
    assert read.get("purpose_of_transaction") == (mine.purpose or None)
    assert read.get("terminal_label") == (mine.terminal_label or None)
    assert read.get("bill_number") == (mine.bill_number or None)


def test_the_oracle_is_laxer_than_we_are():
    # The oracle accepts a static code with an amount and 30-character purposes; we refuse both.
    lax = qr_pay.QRPay(bin_id="970436", consumer_id="0011004325123", point_of_initiation_method="STATIC",
                       transaction_amount=5000, purpose_of_transaction="x" * 30).code
    assert qr_pay.decode(lax)["transaction_amount"] == "5000"
    with pytest.raises(RuleViolation) as err:
        decode(lax)
    assert err.value.field in {"54", "62.08"}
