"""Metric discovery and the indicator catalogue loaded from ``data/*.yaml``.

Metrics are discovered from every installed app's ``metrics.py`` (a ``METRICS`` list, see
:mod:`langso.lib.metrics`). Indicator definitions and targets are data; :func:`sync_catalogue`
writes them to the database idempotently and refuses a definition that names an unknown
metric or unit, with a message naming the entry.
"""

from __future__ import annotations

import datetime as dt
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

from .models import Aggregation, Comparison, Indicator, IndicatorUnit, Target


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
    naming ``indicators[i].field`` or ``targets[i].field`` and nothing is written. A target
    for one unit (``unit: {level, code, valid_on}``) whose unit is not loaded is skipped and not
    counted.
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
        aggregation = entry.get("aggregation") or Aggregation.SUM
        if aggregation not in Aggregation.values:
            raise RuleViolation(f"{where}.aggregation", "catalogue.aggregation",
                                f"Cách tổng hợp '{aggregation}' không hợp lệ ({', '.join(Aggregation.values)}).",
                                f"Unknown aggregation '{aggregation}' ({', '.join(Aggregation.values)}).")
        if aggregation == Aggregation.SHARE_OF_UNITS:
            if unit != IndicatorUnit.PERCENT or entry.get("denominator"):
                raise RuleViolation(f"{where}.aggregation", "catalogue.share_of_units",
                                    f"Chỉ tiêu {code}: tỷ lệ đơn vị là chỉ tiêu phần trăm, không có mẫu số riêng.",
                                    f"Indicator {code}: a share of units is a percentage without its own denominator.")
        elif unit == IndicatorUnit.PERCENT and not entry.get("denominator"):
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
                "aggregation": aggregation,
                "source": nfc(_require(entry, "source", where)),
                "position": position,
            },
        )
        seen.add(code)
    targets = _read(targets_path, "targets.yaml")["targets"]
    by_code = {i.code: i for i in Indicator.objects.filter(code__in=seen)}
    written = 0
    for position, entry in enumerate(targets):
        where = f"targets[{position}]"
        code = _require(entry, "indicator", where)
        if code not in by_code:
            raise RuleViolation(f"{where}.indicator", "catalogue.target_indicator",
                                f"Mục tiêu cho chỉ tiêu không tồn tại '{code}'.", f"Target for unknown indicator '{code}'.")
        if entry.get("comparison") not in Comparison.values:
            raise RuleViolation(f"{where}.comparison", "catalogue.comparison", "Phép so sánh không hợp lệ.",
                                "Unknown comparison.")
        unit = _target_unit(entry.get("unit"), where)
        if unit is _ABSENT:
            continue
        written += 1
        Target.objects.update_or_create(
            indicator=by_code[code], year=int(_require(entry, "year", where)), unit=unit,
            defaults={
                "comparison": entry["comparison"],
                "value": float(_require(entry, "value", where)),
                "verified": bool(entry.get("verified", False)),
                "source": nfc(_require(entry, "source", where)),
            },
        )
    return len(seen), written


_ABSENT = object()


def _target_unit(spec: Any, where: str) -> Any:
    """The unit of a unit-specific target: ``{level, code, valid_on}`` (``valid_on``: a day the
    unit was in force, for legacy units; not ``on``, which YAML 1.1 reads as ``true``). ``None`` for a national target; :data:`_ABSENT` when the unit is
    not loaded in this database (the target is skipped). Raises :class:`RuleViolation`
    ``catalogue.target_unit`` for a malformed spec."""
    if spec in (None, ""):
        return None
    from langso.territory.models import AdministrativeUnit
    from langso.territory.queries import resolve

    if not isinstance(spec, dict) or not spec.get("code") or not spec.get("level"):
        raise RuleViolation(f"{where}.unit", "catalogue.target_unit",
                            "Đơn vị của mục tiêu cần 'level' và 'code' (và 'valid_on' cho đơn vị cũ).",
                            "A target's unit needs 'level' and 'code' (and 'valid_on' for a legacy unit).")
    unknown = sorted(str(key) for key in spec if key not in {"level", "code", "valid_on"})
    if unknown:
        raise RuleViolation(f"{where}.unit", "catalogue.target_unit",
                            f"Khóa không hợp lệ {unknown} (dùng level, code, valid_on).",
                            f"Unknown keys {unknown} (use level, code, valid_on).")
    on = spec.get("valid_on")
    if on is not None and not isinstance(on, dt.date):
        raise RuleViolation(f"{where}.unit.valid_on", "catalogue.target_unit",
                            "Ngày 'valid_on' phải có dạng YYYY-MM-DD.", "'valid_on' must be a date YYYY-MM-DD.")
    try:
        return resolve(str(spec["code"]), on=on, level=str(spec["level"]))
    except AdministrativeUnit.DoesNotExist:
        return _ABSENT
    except RuleViolation as exc:
        raise RuleViolation(f"{where}.unit.code", exc.rule, exc.vi, exc.en, exc.source) from None
