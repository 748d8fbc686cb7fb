"""``{{ label|bilingual }}``: the half of a "tiếng Việt / English" choice label for the active language."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def bilingual(label: object) -> str:
    text = str(label or "")
    if " / " not in text:
        return text
    vi, en = text.split(" / ", 1)
    return en if (get_language() or "vi").startswith("en") else vi
