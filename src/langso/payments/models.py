"""Payment profiles of business households (the account their VietQR code pays into).

The VietQR codec, standees and cashier view are built on this table (see the VietQR issue);
the foundation needs it so the "% business households with a payment QR" indicator computes.
"""

from __future__ import annotations

from django.db import models

from langso.registry.models import CommuneOwnedQuerySet


class AccountKind(models.TextChoices):
    """VietQR service codes (NAPAS VietQR spec, tag 38 subtag 02)."""

    ACCOUNT = "QRIBFTTA", "Tài khoản / Account"
    CARD = "QRIBFTTC", "Thẻ / Card"


class PaymentProfile(models.Model):
    """Where a business household receives payments. ``bank_bin`` is the 6-digit NAPAS BIN;
    ``active`` profiles are the ones whose QR code is displayed."""

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

    objects = CommuneOwnedQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.bank_bin} {self.account_number}"
