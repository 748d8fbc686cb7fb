"""Payment profile actions: validation, normalisation, audit, scope; and the bank table."""

from __future__ import annotations

import pytest
from django.http import Http404

from langso.audit.models import AuditEntry
from langso.lib.errors import RuleViolation
from langso.payments import actions
from langso.payments.banks import bank_table, get_bank
from langso.payments.models import AccountKind, PaymentProfile
from langso.payments.vietqr import decode

MAJOR_BANKS = {
    "970436": "Vietcombank", "970415": "VietinBank", "970418": "BIDV", "970405": "Agribank",
    "970407": "Techcombank", "970422": "MB", "970416": "ACB", "970432": "VPBank",
}


def test_bank_table_has_the_major_banks_with_source_and_version():
    table = bank_table()
    assert table.version and "NAPAS" in table.source
    for bin_, short in MAJOR_BANKS.items():
        assert get_bank(bin_).short_name == short
    assert len({b.bin for b in table.banks}) == len(table.banks) >= 40
    assert all(len(b.bin) == 6 and b.bin.isdigit() and b.name for b in table.banks)
    assert get_bank("123456") is None


def set_profile(actor, business, **kw):
    values = dict(bank_bin="970436", account_number="0011 0043-25123", account_holder="Nguyễn Văn Đức")
    values.update(kw)
    return actions.set_payment_profile(actor, business, **values)


def test_editor_sets_a_profile_normalised_with_payload_and_audit(business, users):
    profile = set_profile(users["editor"], business)
    assert profile.account_number == "0011004325123"
    assert profile.account_holder == "NGUYEN VAN DUC"
    assert profile.commune_id == business.commune_id and profile.active
    qr = decode(profile.payload)
    assert (qr.bin, qr.account, qr.service, qr.dynamic) == ("970436", "0011004325123", "QRIBFTTA", False)
    assert len(profile.public_id) >= 12
    entry = AuditEntry.objects.get(action="payment_profile.create")
    assert entry.actor == users["editor"] and entry.unit == business.commune
    assert entry.data["account_number"].endswith("5123") and "00110043" not in entry.data["account_number"]


def test_setting_again_updates_the_same_row_and_keeps_the_public_id(business, users):
    first = set_profile(users["editor"], business)
    second = set_profile(users["editor"], business, bank_bin="970405", account_number="1500205123456")
    assert first.pk == second.pk and first.public_id == second.public_id
    assert PaymentProfile.objects.count() == 1
    assert decode(second.payload).bin == "970405"
    assert AuditEntry.objects.filter(action="payment_profile.update").count() == 1


def test_card_profile(business, users):
    profile = set_profile(users["editor"], business, account_kind=AccountKind.CARD, account_number="9704 3601 2345 6789")
    assert decode(profile.payload).service == "QRIBFTTC"


@pytest.mark.parametrize(
    ("kw", "field", "rule"),
    [
        ({"bank_bin": "970499"}, "bank_bin", "payments.bank_unknown"),
        ({"account_kind": "QRPUSH"}, "account_kind", "payments.kind"),
        ({"account_number": ""}, "account_number", "payments.account_required"),
        ({"account_number": "12345"}, "account_number", "payments.account_length"),
        ({"account_number": "1" * 20}, "account_number", "payments.account_length"),
        ({"account_number": "00110043O5123"}, "account_number", "payments.account_digits"),
        ({"account_kind": AccountKind.CARD, "account_number": "970436123456789"}, "account_number", "payments.card_length"),
        ({"account_kind": AccountKind.CARD, "account_number": "9704051234567890"}, "account_number", "payments.card_bin"),
        ({"account_holder": "  "}, "account_holder", "payments.holder_required"),
        ({"account_holder": "A" * 51}, "account_holder", "payments.holder_length"),
        ({"account_holder": "Nguyễn 😀"}, "account_holder", "payments.holder_charset"),
        ({"account_holder": "Nguyen_Van"}, "account_holder", "payments.holder_charset"),
    ],
)
def test_bad_values_are_refused_and_nothing_is_written(business, users, kw, field, rule):
    with pytest.raises(RuleViolation) as err:
        set_profile(users["editor"], business, **kw)
    assert (err.value.field, err.value.rule) == (field, rule)
    assert err.value.vi and err.value.en
    assert not PaymentProfile.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="payment_profile").exists()


def test_only_writers_of_the_commune_may_set_a_profile(business, users):
    for who in ("outsider", "reader"):
        with pytest.raises(Http404):
            set_profile(users[who], business)
    assert not PaymentProfile.objects.exists()


def test_closed_business_gets_no_profile(business, users):
    import datetime as dt
    business.closed_on = dt.date(2026, 1, 1)
    with pytest.raises(RuleViolation) as err:
        set_profile(users["editor"], business)
    assert err.value.rule == "payments.business_closed"


def test_deactivate(business, users):
    profile = set_profile(users["editor"], business)
    with pytest.raises(Http404):
        actions.deactivate_payment_profile(users["outsider"], profile)
    profile = actions.deactivate_payment_profile(users["editor"], profile)
    assert not profile.active
    assert AuditEntry.objects.filter(action="payment_profile.deactivate").count() == 1
    actions.deactivate_payment_profile(users["editor"], profile)  # idempotent, no second entry
    assert AuditEntry.objects.filter(action="payment_profile.deactivate").count() == 1


def test_holder_name_folding():
    assert actions.holder_name("  Lê Thị Thu   Hà ") == "LE THI THU HA"
    assert actions.holder_name("Đặng Đình Đức") == "DANG DINH DUC"
    assert actions.masked("0011004325123") == "•••••••••5123"
