"""Payment profiles of business households (the account their VietQR code pays into).

The VietQR codec (:mod:`.vietqr`), standees and cashier view are built on this table; the
"% business households with a payment QR" indicator counts its active rows
(:mod:`.metrics`). Rows are written only by :mod:`.actions`.
"""

from __future__ import annotations

import secrets

from django.db import models
from django.db.models import Q

from langso.registry.models import CommuneOwnedQuerySet


class AccountKind(models.TextChoices):
    """VietQR service codes (NAPAS VietQR spec, tag 38 subtag 02)."""

    ACCOUNT = "QRIBFTTA", "Tài khoản / Account"
    CARD = "QRIBFTTC", "Thẻ / Card"


def new_public_id() -> str:
    """A random, URL-safe 12-character id for the public page ``/b/<public_id>/`` (72 bits):
    sequential primary keys would let anyone enumerate every business of the country."""
    return secrets.token_urlsafe(9)


class PaymentProfile(models.Model):
    """Where a business household receives payments. ``bank_bin`` is the 6-digit NAPAS BIN;
    ``account_number`` an account (``QRIBFTTA``) or card number (``QRIBFTTC``);
    ``account_holder`` the holder's name folded to ASCII upper case, as banks display it;
    ``payload`` the static VietQR payload printed on the standee; ``active`` profiles are the
    ones whose QR code is displayed and counted."""

    business = models.OneToOneField(
        "registry.BusinessHousehold", on_delete=models.PROTECT, related_name="payment_profile"
    )
    commune = models.ForeignKey(
        "territory.AdministrativeUnit", on_delete=models.PROTECT, related_name="+"
    )
    bank_bin = models.CharField(max_length=6)
    account_kind = models.CharField(max_length=8, choices=AccountKind.choices, default=AccountKind.ACCOUNT)
    account_number = models.CharField(max_length=19)
    account_holder = models.CharField(max_length=50)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    public_id = models.CharField(max_length=16, unique=True, default=new_public_id, editable=False)
    payload = models.CharField(max_length=255, blank=True, default="")

    objects = CommuneOwnedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(account_kind__in=AccountKind.values), name="payment_profile_kind_valid"),
            models.CheckConstraint(condition=Q(bank_bin__length=6), name="payment_profile_bin_6"),
        ]

    def __str__(self) -> str:
        return f"{self.bank_bin} {self.account_number}"

    @property
    def is_card(self) -> bool:
        return self.account_kind == AccountKind.CARD

    def qr_payload(self) -> str:
        """The static VietQR payload: the stored one, or (for a row written before payloads were
        stored) encoded now. Raises :class:`~langso.lib.errors.RuleViolation` if the stored
        values break the codec's rules."""
        if self.payload:
            return self.payload
        from .vietqr import VietQR, encode

        return encode(VietQR(bin=self.bank_bin, account=self.account_number, service=self.account_kind))
