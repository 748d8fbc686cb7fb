"""Judging values against criteria thresholds: pure functions, no database writes.

Rules (the criteria sets' common structure: Decision 318/QĐ-TTg Annexes I–II, Decision 319/QĐ-TTg,
Decision 51/2025/QĐ-TTg Annex I):

- a numeric indicator is met when its value satisfies ``value <comparison> threshold`` for the
  commune's region or group; a met / not-met indicator is what the commune declared (with evidence);
- an indicator is *pending* — never met, never failed — when there is no value yet
  (``no_value``), the records have not been computed for the commune (``not_computed``), the
  threshold for its region/group is not encoded (``threshold_unset``) or the slot has no content
  yet (``placeholder``);
- a criterion is met when all its indicators are met, not met when any is not met, else pending;
  a set likewise over its criteria;
- a level is reached when the set certifying it is met *and* the level it requires is reached
  (advanced needs standard; model needs advanced: Decision 319/QĐ-TTg).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, Iterable

from .models import CriterionIndicator, IndicatorKind, ResultStatus

EPSILON = 1e-9


@dataclass(frozen=True)
class Threshold:
    """The bar one indicator is judged against for one region/group. ``value`` is ``None`` when
    not encoded; ``verified`` false when the figure awaits the official text."""

    kind: str
    comparison: str
    value: float | None
    verified: bool
    unit: str


# (set code, indicator code, class key) → the bar encoded there, or None.
ThresholdLookup = Callable[[str, str, str], float | None]


def threshold_for(indicator: CriterionIndicator, class_key: str, lookup: ThresholdLookup | None = None) -> Threshold:
    """The threshold of ``indicator`` for ``class_key`` (a region or group key; ``""`` for sets
    without classes). A ``derived`` threshold is ``factor`` × the referenced indicator's bar for the
    same class (``None`` if that one is not encoded). A value given for ``"all"`` applies to every
    class without its own entry."""
    if indicator.kind == IndicatorKind.BOOLEAN:
        return Threshold(IndicatorKind.BOOLEAN, "", None, indicator.threshold_verified, "")
    if indicator.derived:
        base = lookup(indicator.derived["set"], indicator.derived["indicator"], class_key) if lookup else None
        value = None if base is None else round(base * float(indicator.derived["factor"]), 6)
        return Threshold(indicator.kind, indicator.comparison, value, indicator.threshold_verified and value is not None,
                         indicator.unit)
    values = indicator.thresholds or {}
    value = values[class_key] if class_key in values else values.get("all")
    return Threshold(indicator.kind, indicator.comparison, value, indicator.threshold_verified, indicator.unit)


def compare(value: float, comparison: str, bound: float) -> bool:
    """``value <comparison> bound`` for ``>=``, ``>``, ``<=``, ``<``. Raises ``KeyError`` otherwise."""
    return {
        ">=": value >= bound - EPSILON,
        ">": value > bound + EPSILON,
        "<=": value <= bound + EPSILON,
        "<": value < bound - EPSILON,
    }[comparison]


def judge(indicator: CriterionIndicator, threshold: Threshold, *, value: float | None, met_declared: bool | None,
          computed: bool = True) -> tuple[str, str]:
    """``(status, reason)`` of one indicator: status in :class:`ResultStatus`; reason ``""`` when
    judged, else ``placeholder``/``not_computed``/``no_value``/``threshold_unset``."""
    if indicator.placeholder:
        return ResultStatus.PENDING, "placeholder"
    if indicator.kind == IndicatorKind.BOOLEAN:
        if met_declared is None:
            return ResultStatus.PENDING, "no_value"
        return (ResultStatus.MET if met_declared else ResultStatus.NOT_MET), ""
    if not computed:
        return ResultStatus.PENDING, "not_computed"
    if value is None:
        return ResultStatus.PENDING, "no_value"
    if threshold.value is None:
        return ResultStatus.PENDING, "threshold_unset"
    return (ResultStatus.MET if compare(value, threshold.comparison, threshold.value) else ResultStatus.NOT_MET), ""


def combine(statuses: Iterable[str]) -> str:
    """Met when every status is met (and there is at least one), not met when any is, else pending."""
    statuses = list(statuses)
    if any(s == ResultStatus.NOT_MET for s in statuses):
        return ResultStatus.NOT_MET
    if statuses and all(s == ResultStatus.MET for s in statuses):
        return ResultStatus.MET
    return ResultStatus.PENDING


def shortfall(comparison: str, threshold: float | None, value: float | None, *, unit: str = "",
              numerator: float | None = None, denominator: float | None = None) -> dict[str, Any] | None:
    """How far ``value`` is from ``threshold``, or ``None`` when it is met or cannot be said.

    Returns ``{"points": d, "count": n, "direction": "more"|"fewer"}``: ``points`` is the distance in
    the indicator's unit (percentage points for percentages); for a percentage with a known
    numerator and denominator, ``count`` is how many more (or fewer) counted rows it takes —
    e.g. 912 of 1,000 adults with an account against "> 95%" gives 39 more (951 > 950).
    """
    if threshold is None or value is None or compare(value, comparison, threshold):
        return None
    direction = "more" if comparison in (">=", ">") else "fewer"
    points = abs(threshold - value)
    count = None
    if unit == "percent" and numerator is not None and denominator:
        bar = threshold * denominator / 100.0
        if comparison == ">=":
            count = math.ceil(bar - EPSILON) - numerator
        elif comparison == ">":
            count = math.floor(bar + EPSILON) + 1 - numerator
        elif comparison == "<=":
            count = numerator - math.floor(bar + EPSILON)
        else:
            count = numerator - (math.ceil(bar - EPSILON) - 1)
        count = max(int(count), 1)
    elif unit == "count" and comparison in (">=", ">"):
        count = max(int(math.floor(threshold + EPSILON) + (1 if comparison == ">" else 0) - (value or 0)), 1)
    return {"points": round(points, 4), "count": count, "direction": direction}
