"""Bilingual text of the payment pages without the shared gettext catalogue.

``{% vien "Mã QR thanh toán" "Payment QR code" %}`` prints the Vietnamese or the English text
for the active language. The platform's catalogue (``locale/``) is checked against every
``{% translate %}`` in the package, and another team keeps it; keeping both languages side by
side here lets this app ship complete pages in both without editing that catalogue.
"""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

register = template.Library()


def pick(vi: str, en: str) -> str:
    """``en`` when the active language is English, ``vi`` otherwise."""
    return en if (get_language() or "vi").startswith("en") else vi


@register.simple_tag
def vien(vi: str, en: str) -> str:
    return pick(vi, en)


@register.filter
def vnd(amount: int | None) -> str:
    """``45000`` → ``"45.000 ₫"`` (vi) / ``"45,000 VND"`` (en)."""
    if amount is None:
        return "—"
    grouped = f"{amount:,}"
    return pick(grouped.replace(",", ".") + " ₫", grouped + " VND")


@register.filter
def grouped(number: str) -> str:
    """An account number in groups of four: ``"0011 0043 2512 3"``."""
    return " ".join(number[i:i + 4] for i in range(0, len(number), 4))
