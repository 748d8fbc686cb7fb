"""Formatting of numbers, dates and identifiers in pages, in the active language.

Django's Vietnamese locale sets the separators ("." thousands, "," decimals) but no digit
grouping, so ``intcomma``/``floatformat`` would print 1234 as "1234"; these filters group in
both languages (vi "1.234,5", en "1,234.5"). Dates are dd/mm/yyyy in Vietnamese (the form used
on Vietnamese administrative documents) and "5 Mar 1980" in English, which no reader misreads.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.translation import get_language

register = template.Library()

PLACEHOLDER = "—"


def _is_english() -> bool:
    return (get_language() or "vi").startswith("en")


def format_number(value: Any, decimals: int = 0, trim: bool = True) -> str:
    """Group thousands and round to ``decimals`` places, with the active language's separators.

    ``None`` and non-numbers give "—". With ``trim`` trailing zero decimals are dropped
    ("85,0" → "85"); without it every value keeps ``decimals`` places (aligned columns).
    """
    if value is None or isinstance(value, bool):
        return PLACEHOLDER
    try:
        # Half away from zero, as people round (and as the browser's Intl.NumberFormat does):
        # 85.25 → "85,3", where float formatting would give "85,2".
        number = Decimal(str(float(value))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    except (TypeError, ValueError, InvalidOperation):
        return PLACEHOLDER
    text = f"{number:,.{decimals}f}"
    if trim and decimals and "." in text:
        text = text.rstrip("0").rstrip(".")
    if text.startswith("-") and not text.strip("-0.,"):
        text = text[1:]  # "-0" / "-0.0" after rounding
    if _is_english():
        return text
    return text.replace(",", "\u0000").replace(".", ",").replace("\u0000", ".")


@register.filter
def num(value: Any, decimals: int = 0) -> str:
    """``{{ 1234567|num }}`` → "1.234.567" (vi); ``{{ 85.25|num:1 }}`` → "85,3"."""
    return format_number(value, int(decimals))


@register.filter
def indicator_value(value: Any, unit: str) -> str:
    """An indicator value in its unit: percentages with one decimal and "%" ("98,0%", so a
    column of them aligns), counts whole."""
    if value is None:
        return PLACEHOLDER
    if unit == "percent":
        return f"{format_number(value, 1, trim=False)}%"
    return format_number(value, 0)


@register.filter
def target_value(value: Any, unit: str) -> str:
    """A target in its unit, as the legal text writes it: "80%", "95,5%", "1.000"."""
    if value is None:
        return PLACEHOLDER
    if unit == "percent":
        return f"{format_number(value, 1)}%"
    return format_number(value, 0)


@register.filter
def dmy(value: dt.date | dt.datetime | None) -> str:
    """A date as dd/mm/yyyy in Vietnamese, "5 Mar 1980" in English; "—" for ``None``."""
    if value is None or value == "":
        return PLACEHOLDER
    if _is_english():
        return date_filter(value, "j M Y")
    return date_filter(value, "d/m/Y")


@register.filter
def in_language(label: str) -> str:
    """The part of a bilingual model label ("Chủ hộ / Head") in the active language.

    Model choices carry both languages separated by " / "; a label without the separator is
    returned as it is.
    """
    text = str(label)
    if " / " not in text:
        return text
    vietnamese, english = text.rsplit(" / ", 1)
    return english if _is_english() else vietnamese


@register.filter
def initial(user: Any) -> str:
    """The letter for a user's avatar: the first letter of the given name, which in Vietnamese
    order is the last word ("Nguyễn Thị Hạnh" → "H"), else of the user name."""
    full_name = (user.get_full_name() if hasattr(user, "get_full_name") else "").strip()
    source = full_name.split()[-1] if full_name else str(getattr(user, "get_username", lambda: "")())
    return source[:1].upper() or "?"


@register.filter
def mask_cccd(value: str | None) -> str:
    """A 12-digit CCCD number with all but its last three digits hidden: "•••••••••123".

    The first six digits encode province of birth, sex and year of birth (Circular
    07/2016/TT-BCA), so they are hidden too; three digits are enough to tell members apart.
    """
    if not value:
        return PLACEHOLDER
    return "•" * (len(value) - 3) + value[-3:]


@register.filter
def mask_phone(value: str | None) -> str:
    """A phone number with all but its last three digits hidden."""
    if not value:
        return PLACEHOLDER
    return "•" * max(len(value) - 3, 0) + value[-3:]
