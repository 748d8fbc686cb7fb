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
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RuleViolation(name, "catalogue.yaml", f"Tệp {name} không đúng cú pháp YAML: {exc}",
                            f"{name} is not valid YAML: {exc}") from None


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
    for position, entry in enumerate(_entries(data, "indicators")):
        where = f"indicators[{position}]"
        code = _text(_require(entry, "code", where), f"{where}.code")
        if code in seen:
            raise RuleViolation(f"{where}.code", "catalogue.duplicate", f"Mã chỉ tiêu {code} xuất hiện hai lần.",
                                f"Indicator code {code} appears twice.")
        for key in ("numerator", "denominator", "unit", "name_vi", "name_en", "source"):
            if entry.get(key) not in (None, ""):
                _text(entry[key], f"{where}.{key}")
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
    targets = _entries(_read(targets_path, "targets.yaml"), "targets")
    by_code = {i.code: i for i in Indicator.objects.filter(code__in=seen)}
    written = 0
    keys: set[tuple[str, int, int | None]] = set()
    for position, entry in enumerate(targets):
        where = f"targets[{position}]"
        code = _require(entry, "indicator", where)
        if code not in by_code:
            raise RuleViolation(f"{where}.indicator", "catalogue.target_indicator",
                                f"Mục tiêu cho chỉ tiêu không tồn tại '{code}'.", f"Target for unknown indicator '{code}'.")
        if entry.get("comparison") not in Comparison.values:
            raise RuleViolation(f"{where}.comparison", "catalogue.comparison",
                                f"Phép so sánh {entry.get('comparison')!r} không hợp lệ ({', '.join(Comparison.values)}).",
                                f"Unknown comparison {entry.get('comparison')!r} ({', '.join(Comparison.values)}).")
        year = _number(_require(entry, "year", where), f"{where}.year", whole=True)
        value = _number(_require(entry, "value", where), f"{where}.value")
        unit = _target_unit(entry.get("unit"), where)
        if unit is _ABSENT:
            continue
        key = (code, year, unit.pk if unit is not None else None)
        if key in keys:
            raise RuleViolation(f"{where}", "catalogue.duplicate",
                                f"Mục tiêu {code} năm {year} cho cùng đơn vị xuất hiện hai lần.",
                                f"Target {code} for {year} and the same unit appears twice.")
        keys.add(key)
        written += 1
        Target.objects.update_or_create(
            indicator=by_code[code], year=year, unit=unit,
            defaults={
                "comparison": entry["comparison"],
                "value": value,
                "verified": bool(entry.get("verified", False)),
                "source": nfc(_require(entry, "source", where)),
            },
        )
    return len(seen), written


_ABSENT = object()


def _entries(data: Any, key: str) -> list[dict[str, Any]]:
    """The list under ``key`` of a catalogue file, every item a mapping; else :class:`RuleViolation`."""
    if not isinstance(data, dict) or not isinstance(data.get(key), list):
        raise RuleViolation(key, "catalogue.structure", f"Tệp phải có danh sách '{key}:'.",
                            f"The file must hold a '{key}:' list.")
    for position, entry in enumerate(data[key]):
        if not isinstance(entry, dict):
            raise RuleViolation(f"{key}[{position}]", "catalogue.structure",
                                "Mỗi mục phải là một bảng khóa: giá trị.", "Each entry must be a key: value mapping.")
    return data[key]


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise RuleViolation(where, "catalogue.type", f"Giá trị {value!r} phải là chuỗi.", f"{value!r} must be text.")
    return value


def _number(value: Any, where: str, *, whole: bool = False) -> Any:
    """``value`` as an int (``whole``) or a float; :class:`RuleViolation` ``catalogue.type`` otherwise."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (whole and not float(value).is_integer()):
        kind_vi, kind_en = ("số nguyên", "a whole number") if whole else ("số", "a number")
        raise RuleViolation(where, "catalogue.type", f"Giá trị {value!r} phải là {kind_vi}.",
                            f"{value!r} must be {kind_en}.")
    return int(value) if whole else float(value)


def _target_unit(spec: Any, where: str) -> Any:
    """The unit of a unit-specific target: ``{level, code, valid_on}`` (``valid_on``: a day the
    unit was in force, for legacy units; not ``on``, which YAML 1.1 reads as ``true``). ``None`` for a national target; :data:`_ABSENT` when the unit is
    not loaded in this database (the target is skipped). Raises :class:`RuleViolation`
    ``catalogue.target_unit`` for a malformed spec."""
    if spec in (None, ""):
        return None
    from langso.territory.models import AdministrativeUnit, Level
    from langso.territory.queries import resolve

    if not isinstance(spec, dict) or not spec.get("code") or not spec.get("level"):
        raise RuleViolation(f"{where}.unit", "catalogue.target_unit",
                            "Đơn vị của mục tiêu cần 'level' và 'code' (và 'valid_on' cho đơn vị cũ).",
                            "A target's unit needs 'level' and 'code' (and 'valid_on' for a legacy unit).")
    unknown = sorted(str(key) for key in spec if key not in {"level", "code", "valid_on"})
    if unknown:
        hint_vi, hint_en = (" ('on' bị YAML đọc thành true: dùng valid_on)", " (YAML reads 'on' as true: use valid_on)") \
            if True in spec else ("", "")
        raise RuleViolation(f"{where}.unit", "catalogue.target_unit",
                            f"Khóa không hợp lệ {unknown} (dùng level, code, valid_on){hint_vi}.",
                            f"Unknown keys {unknown} (use level, code, valid_on){hint_en}.")
    if spec["level"] not in Level.values:
        raise RuleViolation(f"{where}.unit.level", "catalogue.target_unit",
                            f"Cấp '{spec['level']}' không hợp lệ ({', '.join(Level.values)}).",
                            f"Unknown level '{spec['level']}' ({', '.join(Level.values)}).")
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
