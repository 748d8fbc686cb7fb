"""Failed look-ups of a business's public page, QR image or public cashier are rate-limited per
client address; a real business's page is never slowed down (it hangs at a shop's counter)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from langso.payments import actions
from public_limits import check_misses_are_limited

pytestmark = pytest.mark.django_db


def test_public_id_misses_are_limited(business, users, settings):
    profile = actions.set_payment_profile(users["editor"], business, bank_bin="970436",
                                          account_number="0011004325123", account_holder="Nguyễn Văn Đức")
    check_misses_are_limited(
        settings,
        good=[reverse(name, args=[profile.public_id])
              for name in ("payments:public", "payments:public-qr-png", "payments:public-cashier")],
        bad=[reverse(name, args=["AAAAAAAAAAAA"])
             for name in ("payments:public", "payments:public-qr-png", "payments:public-cashier")],
    )
