"""Every write to payment profiles. The HTML views, the API, the demo generator and commands call
these functions; nothing else saves a :class:`~.models.PaymentProfile`.

Each action takes the acting user (``None`` for a system job), checks through
:mod:`langso.accounts.access` that the actor may write the commune (``Http404`` otherwise, as
everywhere), validates, writes in one transaction and records an audit entry. Broken rules raise
:class:`~langso.lib.errors.RuleViolation` naming the form field; nothing is half-written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from langso.accounts.access import require_write, scope_for
from langso.audit.log import record
from langso.lib.errors import RuleViolation
from langso.registry.models import BusinessHousehold

from . import vietqr
from .banks import get_bank
from .models import AccountKind, PaymentProfile

ACCOUNT_MIN, ACCOUNT_MAX = 6, 19
CARD_LENGTHS = range(16, 20)
HOLDER_MAX = 50
_SEPARATORS = re.compile(r"[\s.\-]")
_HOLDER = re.compile(r"^[A-Z0-9 .,&'()/-]+$")


@dataclass(frozen=True)
class ProfileValues:
    """Validated, normalised values of a payment profile and its static VietQR payload."""

    bank_bin: str
    account_kind: str
    account_number: str
    account_holder: str
    payload: str


def holder_name(text: str | None) -> str:
    """An account holder's name as banks display it: folded to ASCII, upper case
    (``"Nguyễn Thị Đào"`` → ``"NGUYEN THI DAO"``). Raises :class:`RuleViolation` on a character
    with no ASCII form."""
    try:
        return vietqr.fold_text(text, "account_holder").upper()
    except RuleViolation as exc:
        raise RuleViolation("account_holder", "payments.holder_charset", exc.vi, exc.en) from exc


def validate_profile(bank_bin: str, account_kind: str, account_number: str, account_holder: str) -> ProfileValues:
    """Check and normalise the values of a payment profile; return them with the payload.

    Rules (each a :class:`RuleViolation` naming the field):
    - ``bank_bin``: a bank of the shipped table (:mod:`.banks`, NAPAS 247 members);
    - ``account_kind``: ``QRIBFTTA`` (account) or ``QRIBFTTC`` (card), NAPAS VietQR 38.02;
    - ``account_number``: spaces, dots and dashes removed; an account is 6–19 digits; a card
      16–19 digits starting with the bank's BIN (ISO/IEC 7812: the first six digits of a card
      are its issuer's identification number, which for NAPAS domestic cards is the 9704xx BIN).
      No Luhn check: NAPAS's own worked example card 9704031101234567 (§6.1.2) fails it, and a
      wrong refusal would keep a business without a code;
    - ``account_holder``: required, folded to ASCII upper case, at most 50 characters of
      letters, digits, spaces and ``. , & ' ( ) / -``.
    """
    bank_bin = (bank_bin or "").strip()
    if get_bank(bank_bin) is None:
        raise RuleViolation("bank_bin", "payments.bank_unknown",
                            "Ngân hàng không có trong danh sách ngân hàng nhận chuyển nhanh NAPAS 247.",
                            "The bank is not in the list of NAPAS 247 member banks.")
    if account_kind not in AccountKind.values:
        raise RuleViolation("account_kind", "payments.kind", "Loại tài khoản phải là tài khoản hoặc thẻ.",
                            "The kind must be an account or a card.")
    number = _SEPARATORS.sub("", account_number or "")
    if not number:
        raise RuleViolation("account_number", "payments.account_required", "Cần nhập số tài khoản hoặc số thẻ.",
                            "The account or card number is required.")
    if not (number.isascii() and number.isdigit()):
        raise RuleViolation("account_number", "payments.account_digits", "Số tài khoản/số thẻ chỉ gồm chữ số.",
                            "An account or card number holds digits only.")
    if account_kind == AccountKind.CARD:
        if len(number) not in CARD_LENGTHS:
            raise RuleViolation("account_number", "payments.card_length",
                                f"Số thẻ gồm 16–19 chữ số (đã nhập {len(number)}).",
                                f"A card number has 16–19 digits ({len(number)} given).")
        if not number.startswith(bank_bin):
            raise RuleViolation("account_number", "payments.card_bin",
                                f"Số thẻ nội địa bắt đầu bằng mã BIN của ngân hàng ({bank_bin}); kiểm tra lại ngân hàng hoặc số thẻ.",
                                f"A domestic card number starts with its bank's BIN ({bank_bin}); check the bank or the number.")
    elif not (ACCOUNT_MIN <= len(number) <= ACCOUNT_MAX):
        raise RuleViolation("account_number", "payments.account_length",
                            f"Số tài khoản gồm {ACCOUNT_MIN}–{ACCOUNT_MAX} chữ số (đã nhập {len(number)}).",
                            f"An account number has {ACCOUNT_MIN}–{ACCOUNT_MAX} digits ({len(number)} given).")
    holder = holder_name(account_holder)
    if not holder:
        raise RuleViolation("account_holder", "payments.holder_required", "Cần nhập tên chủ tài khoản.",
                            "The account holder's name is required.")
    if len(holder) > HOLDER_MAX:
        raise RuleViolation("account_holder", "payments.holder_length",
                            f"Tên chủ tài khoản dài tối đa {HOLDER_MAX} ký tự (có {len(holder)}).",
                            f"The holder's name has at most {HOLDER_MAX} characters ({len(holder)} given).")
    if not _HOLDER.match(holder):
        raise RuleViolation("account_holder", "payments.holder_charset",
                            "Tên chủ tài khoản chỉ gồm chữ cái, chữ số, dấu cách và . , & ' ( ) / -",
                            "The holder's name holds letters, digits, spaces and . , & ' ( ) / - only.")
    payload = vietqr.encode(vietqr.VietQR(bin=bank_bin, account=number, service=account_kind))
    return ProfileValues(bank_bin, account_kind, number, holder, payload)


def masked(number: str) -> str:
    """``number`` with all but its last 4 digits hidden, for audit entries and logs."""
    return "•" * max(len(number) - 4, 0) + number[-4:]


def _authorise(actor: Any, commune_id: int) -> None:
    if actor is not None:  # None: a system job (command, demo generator)
        require_write(scope_for(actor), commune_id)


def set_payment_profile(
    actor: Any, business: BusinessHousehold, *, bank_bin: str, account_number: str, account_holder: str,
    account_kind: str = AccountKind.ACCOUNT,
) -> PaymentProfile:
    """Create or replace the payment profile of ``business`` and make it active.

    Raises ``Http404`` when the actor may not write the business's commune;
    :class:`RuleViolation` on a closed business or a value breaking :func:`validate_profile`.
    The audit entry keeps only the last 4 digits of the number.
    """
    _authorise(actor, business.commune_id)
    if business.closed_on is not None:
        raise RuleViolation("business", "payments.business_closed", "Hộ kinh doanh đã ngừng hoạt động.",
                            "The business household has closed.")
    values = validate_profile(bank_bin, account_kind, account_number, account_holder)
    with transaction.atomic():
        profile, created = PaymentProfile.objects.update_or_create(
            business=business,
            defaults={
                "bank_bin": values.bank_bin, "account_kind": values.account_kind,
                "account_number": values.account_number, "account_holder": values.account_holder,
                "payload": values.payload, "active": True,
            },
            create_defaults={
                "commune_id": business.commune_id, "bank_bin": values.bank_bin, "account_kind": values.account_kind,
                "account_number": values.account_number, "account_holder": values.account_holder,
                "payload": values.payload, "active": True,
            },
        )
        record(actor, "payment_profile.create" if created else "payment_profile.update", profile,
               unit=business.commune,
               data={"business": business.pk, "bank_bin": values.bank_bin, "account_kind": values.account_kind,
                     "account_number": masked(values.account_number)})
    return profile


def deactivate_payment_profile(actor: Any, profile: PaymentProfile) -> PaymentProfile:
    """Withdraw a profile's QR code (the row stays, ``active=False``; the indicator stops counting
    it). Raises ``Http404`` for an actor who may not write the commune."""
    _authorise(actor, profile.commune_id)
    with transaction.atomic():
        locked = PaymentProfile.objects.select_for_update().get(pk=profile.pk)
        if locked.active:
            locked.active = False
            locked.save(update_fields=["active", "updated_at"])
            record(actor, "payment_profile.deactivate", locked, unit=locked.commune,
                   data={"business": locked.business_id})
    return locked
