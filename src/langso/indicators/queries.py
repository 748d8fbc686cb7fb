"""Reads of indicator definitions, stored values and targets for pages and maps.

Every function returns plain dicts and lists (no model instances) so that templates, JSON
endpoints and tests see the same shapes. Values are never computed here: the engine
(:mod:`langso.indicators.engine`) stores them in :class:`IndicatorValue`, one row per indicator,
unit and period; these functions only select them, with a bounded number of queries whatever the
number of households. Scoping is the caller's job: pass only units the caller may read
(see :mod:`langso.accounts.access`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Max, Q

from .models import Indicator, IndicatorValue, Target


def _unit_ids(units: Iterable[Any]) -> list[int]:
    return [u if isinstance(u, int) else u.pk for u in units]


def latest_period(units: Iterable[Any] | None = None) -> str | None:
    """The most recent period code (e.g. ``"202611"``) with stored values, or ``None``.

    ``units`` (instances or primary keys) restricts the search to those units' values; period
    codes are fixed-width ``YYYYMM`` so the string maximum is the latest period.
    """
    qs = IndicatorValue.objects.all()
    if units is not None:
        qs = qs.filter(unit_id__in=_unit_ids(units))
    return qs.aggregate(latest=Max("period"))["latest"]


def period_as_of(period: str, units: Iterable[Any]) -> dt.date | None:
    """The day the records of ``period`` were counted at for ``units`` (the latest ``as_of``)."""
    return (
        IndicatorValue.objects.filter(period=period, unit_id__in=_unit_ids(units))
        .aggregate(as_of=Max("as_of"))["as_of"]
    )


def period_label(period: str | None) -> str:
    """``"202611"`` → ``"11/2026"``; other shapes are returned unchanged (``""`` for ``None``)."""
    if not period:
        return ""
    if len(period) == 6 and period.isdigit():
        return f"{period[4:]}/{period[:4]}"
    return period


def indicator_catalogue(language: str = "vi", codes: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """Indicator definitions in display order.

    Each item: ``code``, ``name`` (in ``language``: ``en…`` gives English, anything else
    Vietnamese), ``description``, ``unit`` (``"percent"``/``"count"``), ``higher_is_better``,
    ``aggregation`` (``"sum"``/``"share_of_units"``), ``source``.
    """
    qs = Indicator.objects.all()
    if codes is not None:
        qs = qs.filter(code__in=list(codes))
    english = language.startswith("en")
    return [
        {
            "code": ind.code,
            "name": (ind.name_en or ind.name_vi) if english else ind.name_vi,
            "description": (ind.description_en or ind.description_vi) if english else ind.description_vi,
            "unit": ind.unit,
            "higher_is_better": ind.higher_is_better,
            "aggregation": ind.aggregation,
            "source": ind.source,
        }
        for ind in qs.only(
            "code", "name_vi", "name_en", "description_vi", "description_en", "unit",
            "higher_is_better", "aggregation", "source", "position",
        )
    ]


def values_by_unit(
    period: str | None,
    units: Iterable[Any],
    indicators: Iterable[str] | None = None,
) -> dict[int, dict[str, float | None]]:
    """``{unit_id: {indicator_code: value}}`` for ``period``; one query.

    A unit with no stored value for an indicator has no key for it; a stored value may be
    ``None`` (a percentage over a zero denominator). Units with no value at all are absent.
    ``period=None`` (nothing computed yet) gives ``{}``.
    """
    if period is None:
        return {}
    qs = IndicatorValue.objects.filter(period=period, unit_id__in=_unit_ids(units))
    if indicators is not None:
        qs = qs.filter(indicator__code__in=list(indicators))
    result: dict[int, dict[str, float | None]] = {}
    for unit_id, code, value in qs.values_list("unit_id", "indicator__code", "value"):
        result.setdefault(unit_id, {})[code] = value
    return result


def _target_dict(target: Target) -> dict[str, Any]:
    return {
        "own": target.unit_id is not None,
        "comparison": target.comparison,
        "symbol": target.get_comparison_display(),
        "value": target.value,
        "year": target.year,
        "verified": target.verified,
        "source": target.source,
    }


def targets_for_year(year: int, indicators: Iterable[str] | None = None, unit: Any = None
                     ) -> dict[str, dict[str, Any]]:
    """The target that applies in ``year`` for each indicator: ``{code: target}``.

    The applicable target is the one with the nearest horizon on or after ``year`` (a target
    "by 2025" applies through 2025); once every horizon has passed, the latest one. National
    targets by default; with ``unit`` (instance or primary key) the unit's own targets replace
    the national ones of the same indicators (Vĩnh Phúc's 80 % for ECO-2). Each target:
    ``own`` (a unit's own target), ``comparison`` (``">="`` …), ``symbol`` (``"≥"`` …),
    ``value``, ``year``, ``verified`` (false while the figure awaits the official text) and
    ``source``. One query.
    """
    qs = Target.objects.select_related("indicator").order_by("indicator_id", "year")
    if unit is None:
        qs = qs.filter(unit__isnull=True)
    else:
        qs = qs.filter(Q(unit__isnull=True) | Q(unit_id=_unit_ids([unit])[0]))
    if indicators is not None:
        qs = qs.filter(indicator__code__in=list(indicators))
    chosen: dict[tuple[str, bool], Target] = {}
    for target in qs:
        key = (target.indicator.code, target.unit_id is not None)
        current = chosen.get(key)
        if current is None or current.year < year:
            # Ordered by year: keep moving forward until the first horizon >= year.
            chosen[key] = target
    national = {code: _target_dict(t) for (code, own), t in chosen.items() if not own}
    return national | {code: _target_dict(t) for (code, own), t in chosen.items() if own}


def is_met(target: dict[str, Any] | None, value: float | None) -> bool | None:
    """Whether ``value`` meets ``target`` (a dict from :func:`targets_for_year`); ``None`` when
    either is missing."""
    if target is None or value is None:
        return None
    bound = target["value"]
    return {
        ">=": value >= bound,
        ">": value > bound,
        "<=": value <= bound,
        "<": value < bound,
    }[target["comparison"]]


def unit_scorecard(period: str | None, unit: Any, language: str = "vi") -> list[dict[str, Any]]:
    """Every indicator of the catalogue for one unit in ``period``, against its target.

    Items: the catalogue fields plus ``value``, ``numerator``, ``denominator`` (``None`` when
    not computed), ``target`` (dict or ``None``) and ``met`` (``True``/``False``/``None``).
    Three queries.
    """
    catalogue = indicator_catalogue(language)
    stored: dict[str, tuple[float | None, float, float | None]] = {}
    if period is not None:
        rows = IndicatorValue.objects.filter(period=period, unit_id=_unit_ids([unit])[0]).values_list(
            "indicator__code", "value", "numerator", "denominator"
        )
        stored = {code: (value, num, den) for code, value, num, den in rows}
    year = int(period[:4]) if period and period[:4].isdigit() else dt.date.today().year
    targets = targets_for_year(year)
    card = []
    for item in catalogue:
        value, numerator, denominator = stored.get(item["code"], (None, None, None))
        target = targets.get(item["code"])
        card.append(
            {
                **item,
                "value": value,
                "numerator": numerator,
                "denominator": denominator,
                "computed": item["code"] in stored,
                "target": target,
                "met": is_met(target, value),
            }
        )
    return card


def former_provinces(province: Any) -> list[Any]:
    """The former provinces (in force until 30 June 2025) whose territory went into the current
    ``province`` (Phú Thọ: Hòa Bình 17, Phú Thọ 25, Vĩnh Phúc 26), by code. One query."""
    from langso.territory.models import AdministrativeUnit, Level, UnitLineage

    ids = UnitLineage.objects.filter(successor=province, predecessor__level=Level.PROVINCE).values("predecessor_id")
    return list(AdministrativeUnit.objects.legacy().provinces().filter(pk__in=ids).order_by("code"))


def legacy_periods(unit: Any) -> list[str]:
    """Periods with stored values for a (former) unit, newest first. One query."""
    return list(IndicatorValue.objects.filter(unit_id=_unit_ids([unit])[0]).order_by("-period")
                .values_list("period", flat=True).distinct())


def former_district_table(former_province: Any, period: str | None, language: str = "vi") -> dict[str, Any]:
    """Every indicator on the former districts of ``former_province`` in ``period``.

    Shape: ``{"catalogue": [indicator items with "target" — the former province's own target
    when it has one — and "province" (value, numerator, denominator, met; for a
    ``share_of_units`` indicator the share of ALL the former province's districts, with
    "with_data"/"with_data_value" for the districts with data, and no verdict after June 2025)],
    "districts": [{"unit", "communes", "reporting", "values": {code: (value, numerator,
    denominator)}}], "split": [{"commune", "districts", "villages", "placed"}], "as_of"}``.
    ``communes`` are the current communes holding part of the district's territory and
    ``reporting`` those with values in ``period`` (also for the whole former province, each
    commune once: ``"communes"``, ``"reporting"``); ``split`` lists the communes formed from
    several former districts with how many of their villages have a recorded former commune.
    Values come from :mod:`langso.indicators.legacy` via the engine. Six queries.
    """
    from django.db.models import Count
    from langso.indicators.legacy import LAST_DISTRICT_PERIOD
    from langso.territory.models import AdministrativeUnit, Level, UnitLineage, Village
    from langso.territory.queries import legacy_parents

    districts = list(AdministrativeUnit.objects.legacy().filter(level=Level.DISTRICT, province=former_province)
                     .order_by("code"))
    by_district: dict[int, set[int]] = {d.pk: set() for d in districts}
    edges = UnitLineage.objects.filter(successor__valid_to__isnull=True, successor__level=Level.COMMUNE).filter(
        Q(predecessor__parent__in=districts) | Q(predecessor__in=districts))
    for successor, level, predecessor, parent in edges.values_list(
            "successor_id", "predecessor__level", "predecessor_id", "predecessor__parent_id"):
        by_district[predecessor if level == Level.DISTRICT else parent].add(successor)
    communes = set().union(*by_district.values()) if by_district else set()
    units = [d.pk for d in districts] + [former_province.pk] + list(communes)
    stored: dict[int, dict[str, tuple[float | None, float, float | None]]] = {}
    as_of = None
    if period is not None:
        rows = IndicatorValue.objects.filter(period=period, unit_id__in=units).values_list(
            "unit_id", "indicator__code", "value", "numerator", "denominator", "as_of")
        for unit_id, code, value, numerator, denominator, day in rows:
            stored.setdefault(unit_id, {})[code] = (value, numerator, denominator)
            as_of = max(as_of, day) if as_of else day
    year = int(period[:4]) if period and period[:4].isdigit() else dt.date.today().year
    targets = targets_for_year(year, unit=former_province)
    own = stored.get(former_province.pk, {})
    catalogue = indicator_catalogue(language)
    after_reform = period is not None and period > LAST_DISTRICT_PERIOD
    for item in catalogue:
        item["target"] = targets.get(item["code"])
        value, numerator, denominator = own.get(item["code"], (None, None, None))
        if item["aggregation"] == "share_of_units" and numerator is not None and districts:
            # A district target is a share of ALL the province's districts (those without data do not
            # count), as on the programme-targets page; the share among districts with data is shown too.
            item["province"] = {"value": round(100.0 * numerator / len(districts), 4), "numerator": numerator,
                                "denominator": float(len(districts)), "with_data": denominator,
                                "with_data_value": value}
            # After 30 June 2025 districts no longer exist: their targets are not judged on later periods.
            item["province"]["met"] = None if after_reform else is_met(item["target"], item["province"]["value"])
        else:
            item["province"] = {"value": value, "numerator": numerator, "denominator": denominator,
                                "met": is_met(item["target"], value)}
    parents = legacy_parents(communes)
    split_ids = [c for c, found in parents.items() if len(found) > 1]
    split_units = {u.pk: u for u in AdministrativeUnit.objects.filter(pk__in=split_ids)}
    names = {d.pk: d.name for d in districts}
    villages = {row["commune_id"]: row for row in Village.objects.filter(commune_id__in=split_ids)
                .values("commune_id").annotate(total=Count("pk"), placed=Count("pk", filter=Q(
                    legacy_commune__isnull=False)))}
    split = [{"commune": split_units[c],
              "districts": sorted(names.get(p.district_id, str(p.district_id)) for p in parents[c]),
              "villages": villages.get(c, {}).get("total", 0), "placed": villages.get(c, {}).get("placed", 0)}
             for c in sorted(split_ids, key=lambda i: split_units[i].code)]
    return {
        "catalogue": catalogue,
        "districts": [{"unit": d, "communes": len(by_district[d.pk]),
                       "reporting": sum(1 for c in by_district[d.pk] if c in stored),
                       "values": stored.get(d.pk, {})} for d in districts],
        "split": split,
        "as_of": as_of,
        "communes": len(communes),
        "reporting": sum(1 for c in communes if c in stored),
    }
