"""Display helpers of the criteria pages, in the active language (Vietnamese unless switched).

``{% load criteria_tags %}`` gives ``vien`` (pick the Vietnamese or English text), ``status_badge``
(met / not met / pending …), ``level_name``, and the filters ``threshold_text``, ``value_text``,
``bar_text`` and ``cname`` (a model's ``name_vi``/``name_en``).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language

from langso.web.templatetags.langso_format import format_number

from ..models import IndicatorKind, Level

register = template.Library()

SYMBOL = {">=": "≥", ">": ">", "<=": "≤", "<": "<"}
STATUS = {
    "met": ("badge--ok", "Đạt", "Met"),
    "not_met": ("badge--miss", "Chưa đạt", "Not met"),
    "pending": ("badge--warn", "Chờ", "Pending"),
    "not_assessed": ("", "Chưa đánh giá", "Not assessed"),
    "no_data": ("", "Chưa có dữ liệu", "No data"),
}
LEVELS = {
    Level.STANDARD: ("Đạt chuẩn NTM", "New-rural standard"),
    Level.ADVANCED: ("NTM nâng cao", "Advanced new-rural"),
    Level.MODEL: ("NTM kiểu mẫu", "Model new-rural"),
    Level.MODERN: ("NTM hiện đại (thí điểm)", "Modern new-rural (pilot)"),
    Level.SMART_VILLAGE: ("Thôn thông minh", "Smart village"),
    Level.SMART_PILOT: ("Xã thí điểm NTM thông minh", "Pilot smart commune"),
    "not_qualified": ("Đã đánh giá, chưa đạt mức nào", "Assessed, no level yet"),
    "not_assessed": ("Chưa đánh giá", "Not assessed"),
}
UNITS = {"percent": ("%", "%"), "count": ("", ""), "million_vnd": (" triệu đồng", " million VND")}


def _en() -> bool:
    return (get_language() or "vi").startswith("en")


def _pick(vi: str, en: str) -> str:
    return en if _en() else vi


@register.simple_tag
def vien(vi: str, en: str) -> str:
    return _pick(vi, en)


@register.simple_tag
def status_badge(status: str) -> str:
    css, vi, en = STATUS.get(status, ("", status, status))
    return format_html('<span class="badge {}">{}</span>', css, _pick(vi, en))


@register.filter
def level_name(level: str | None) -> str:
    if not level:
        return "—"
    vi, en = LEVELS.get(level, (level, level))
    return _pick(vi, en)


@register.filter
def cname(obj: Any) -> str:
    """``name_en`` in English (when present), ``name_vi`` otherwise; works on dicts too."""
    get = obj.get if isinstance(obj, dict) else lambda k, d="": getattr(obj, k, d)
    return (get("name_en", "") or get("name_vi", "")) if _en() else get("name_vi", "")


def _unit(unit: str) -> str:
    vi, en = UNITS.get(unit, ("", ""))
    return _pick(vi, en)


@register.filter
def bar_text(threshold: Any) -> str:
    """An :class:`~langso.criteria.evaluation.Threshold` (or result snapshot) as "≥ 95%"."""
    kind = getattr(threshold, "kind", "")
    if kind == IndicatorKind.BOOLEAN:
        return _pick("Đạt", "Met")
    value = getattr(threshold, "value", None)
    if value is None:
        return _pick("chưa có mức", "not set")
    return f"{SYMBOL.get(threshold.comparison, threshold.comparison)} {format_number(value, 1)}{_unit(threshold.unit)}"


@register.filter
def threshold_text(result: Any) -> str:
    """A result's threshold snapshot: "≥ 95%", "Đạt" for met / not met, "chưa có mức" when unset."""
    indicator = result.indicator
    if indicator.placeholder:
        return "—"
    if indicator.kind == IndicatorKind.BOOLEAN:
        return _pick("Đạt", "Met")
    if result.threshold is None:
        return _pick("chưa có mức", "not set")
    return f"{SYMBOL.get(result.comparison, result.comparison)} {format_number(result.threshold, 1)}{_unit(indicator.unit)}"


@register.filter
def value_text(result: Any) -> str:
    indicator = result.indicator
    if indicator.kind == IndicatorKind.BOOLEAN:
        return {True: _pick("Đạt", "Met"), False: _pick("Không đạt", "Not met"), None: "—"}[result.met_declared]
    if result.value is None:
        return "—"
    return f"{format_number(result.value, 1)}{_unit(indicator.unit)}"


@register.filter
def bi(label: str) -> str:
    """A bilingual choice label "Vietnamese / English" → the part of the active language."""
    vi, _, en = str(label).partition(" / ")
    return (en or vi) if _en() else vi


@register.filter
def number(value: Any, decimals: int = 1) -> str:
    return format_number(value, int(decimals))


@register.filter
def get_item(mapping: dict, key: Any) -> Any:
    return mapping.get(key) if mapping else None
