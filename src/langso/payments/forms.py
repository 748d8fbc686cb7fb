"""Reading the payment pages' form input: amounts typed by a cashier, profile fields."""

from __future__ import annotations

import re

from langso.lib.errors import RuleViolation

# "45000", "45.000", "45,000", "45 000", "1.250.000": Vietnamese groups thousands with dots.
_AMOUNT = re.compile(r"^\d{1,3}(?:([.,\s])\d{3})?(?:\1\d{3})*$|^\d+$")


def parse_amount(text: str | None) -> int:
    """A whole amount of đồng typed by a person. Digits, optionally grouped by threes with one of
    ``.`` ``,`` or a space (``"1.250.000"``); an optional trailing ``đ``/``₫``/``VND``.

    Raises :class:`RuleViolation` (field ``amount``) when empty, not such a number (``"45,5"``
    is refused: VND has no minor unit) or zero.
    """
    value = (text or "").strip()
    value = re.sub(r"\s*(₫|đ|vnd|vnđ|dong|đồng)$", "", value, flags=re.IGNORECASE).strip()
    if not value:
        raise RuleViolation("amount", "payments.amount_required", "Cần nhập số tiền.", "Enter an amount.")
    if not _AMOUNT.match(value):
        raise RuleViolation("amount", "payments.amount_format",
                            "Số tiền là số nguyên đồng, có thể nhóm hàng nghìn bằng dấu chấm (ví dụ 45.000).",
                            "The amount is a whole number of đồng, optionally grouped by thousands (e.g. 45,000).")
    amount = int(re.sub(r"\D", "", value))
    if amount <= 0:
        raise RuleViolation("amount", "payments.amount_positive", "Số tiền phải lớn hơn 0.",
                            "The amount must be greater than 0.")
    return amount
