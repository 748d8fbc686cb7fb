"""Metric discovery and the indicator catalogue loaded from ``data/*.yaml``.

Metrics are discovered from every installed app's ``metrics.py`` (a ``METRICS`` list, see
:mod:`langso.lib.metrics`). Indicator definitions and targets are data; :func:`sync_catalogue`
writes them to the database idempotently and refuses a definition that names an unknown
metric or unit, with a message naming the entry.
"""

from __future__ import annotations

import functools
import importlib
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from django.apps import apps
from django.db import transaction

from langso.lib.errors import RuleViolation
from langso.lib.metrics import Metric
from langso.lib.vietnamese import nfc

from .models import Comparison, Indicator, IndicatorUnit, Target


@functools.cache
def metrics() -> dict[str, Metric]:
    """Every declared metric by code. Raises ``ImproperlyConfigured``-like ``ValueError`` on a duplicate code."""
    found: dict[str, Metric] = {}
    for config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{config.name}.metrics")
        except ModuleNotFoundError as exc:
            if exc.name == f"{config.name}.metrics":
                continue
            raise
        for metric in getattr(module, "METRICS", []):
            if metric.code in found:
                raise ValueError(f"metric {metric.code} declared twice")
            found[metric.code] = metric
    return found


def _read(path: Path | None, name: str) -> dict[str, Any]:
    if path is None:
        text = resources.files("langso.indicators").joinpath(f"data/{name}").read_text("utf-8")
    else:
        text = Path(path).read_text("utf-8")
    return yaml.safe_load(text)


def _require(entry: dict[str, Any], key: str, where: str) -> Any:
    if entry.get(key) in (None, ""):
        raise RuleViolation(f"{where}.{key}", "catalogue.required", f"Thiếu trường '{key}'.", f"Field '{key}' is missing.")
    return entry[key]


@transaction.atomic
def sync_catalogue(indicators_path: Path | None = None, targets_path: Path | None = None) -> tuple[int, int]:
    """Write the indicator and target files to the database; return (indicators, targets) counts.

    Idempotent (update by code). All-or-nothing: a bad entry raises :class:`RuleViolation`
    naming ``indicators[i].field`` or ``targets[i].field`` and nothing is written.
    """
    known = metrics()
    data = _read(indicators_path, "indicators.yaml")
    seen = set()
    for position, entry in enumerate(data["indicators"]):
        where = f"indicators[{position}]"
        code = _require(entry, "code", where)
        for key in ("numerator", "denominator"):
            metric = entry.get(key)
            if metric and metric not in known:
                raise RuleViolation(f"{where}.{key}", "catalogue.metric",
                                    f"Chỉ tiêu {code}: không có số đo '{metric}'.",
                                    f"Indicator {code}: no metric named '{metric}'.")
        unit = _require(entry, "unit", where)
        if unit not in IndicatorUnit.values:
            raise RuleViolation(f"{where}.unit", "catalogue.unit", f"Đơn vị '{unit}' không hợp lệ.", f"Unknown unit '{unit}'.")
        if unit == IndicatorUnit.PERCENT and not entry.get("denominator"):
            raise RuleViolation(f"{where}.denominator", "catalogue.denominator",
                                f"Chỉ tiêu tỷ lệ {code} cần mẫu số.", f"Percentage indicator {code} needs a denominator.")
        Indicator.objects.update_or_create(
            code=code,
            defaults={
                "name_vi": nfc(_require(entry, "name_vi", where)),
                "name_en": _require(entry, "name_en", where),
                "description_vi": nfc(entry.get("description_vi", "")),
                "description_en": entry.get("description_en", ""),
                "numerator": _require(entry, "numerator", where),
                "denominator": entry.get("denominator") or "",
                "unit": unit,
                "higher_is_better": entry.get("higher_is_better", True),
                "source": nfc(_require(entry, "source", where)),
                "position": position,
            },
        )
        seen.add(code)
    targets = _read(targets_path, "targets.yaml")["targets"]
    by_code = {i.code: i for i in Indicator.objects.filter(code__in=seen)}
    for position, entry in enumerate(targets):
        where = f"targets[{position}]"
        code = _require(entry, "indicator", where)
        if code not in by_code:
            raise RuleViolation(f"{where}.indicator", "catalogue.target_indicator",
                                f"Mục tiêu cho chỉ tiêu không tồn tại '{code}'.", f"Target for unknown indicator '{code}'.")
        if entry.get("comparison") not in Comparison.values:
            raise RuleViolation(f"{where}.comparison", "catalogue.comparison", "Phép so sánh không hợp lệ.",
                                "Unknown comparison.")
        Target.objects.update_or_create(
            indicator=by_code[code], year=int(_require(entry, "year", where)),
            defaults={
                "comparison": entry["comparison"],
                "value": float(_require(entry, "value", where)),
                "verified": bool(entry.get("verified", False)),
                "source": nfc(_require(entry, "source", where)),
            },
        )
    return len(seen), len(targets)
