"""Judging values against thresholds (pure functions; Decisions 318/319/51 share this structure)."""

from __future__ import annotations

import pytest

from langso.criteria.evaluation import Threshold, combine, compare, judge, shortfall, threshold_for
from langso.criteria.models import CriterionIndicator


def _indicator(**fields) -> CriterionIndicator:
    base = {"code": "x", "kind": "numeric", "unit": "percent", "comparison": ">=", "thresholds": {},
            "threshold_verified": False, "placeholder": False, "derived": None}
    return CriterionIndicator(**{**base, **fields})


def test_compare_handles_each_comparison_at_the_boundary():
    assert compare(95, ">=", 95) and not compare(95, ">", 95)
    assert compare(6, "<=", 6) and not compare(6, "<", 6)
    assert compare(95.0000000001, ">=", 95.0)


def test_threshold_by_class_falls_back_to_all_and_may_be_unset():
    indicator = _indicator(thresholds={"all": 90, "group1": 95, "group3": None})
    assert threshold_for(indicator, "group1").value == 95
    assert threshold_for(indicator, "group2").value == 90
    assert threshold_for(indicator, "group3").value is None


def test_derived_threshold_is_a_multiple_of_the_referenced_bar():
    indicator = _indicator(unit="million_vnd", derived={"set": "adv", "indicator": "10", "factor": 1.1},
                           threshold_verified=True)
    bars = {("adv", "10", "dbsh"): 60.0}
    assert threshold_for(indicator, "dbsh", lambda s, c, k: bars.get((s, c, k))).value == pytest.approx(66.0)
    unset = threshold_for(indicator, "tn", lambda s, c, k: bars.get((s, c, k)))
    assert unset.value is None and not unset.verified


@pytest.mark.parametrize(("fields", "kwargs", "expected"), [
    ({}, {"value": 96, "met_declared": None}, ("met", "")),
    ({}, {"value": 91, "met_declared": None}, ("not_met", "")),
    ({}, {"value": None, "met_declared": None}, ("pending", "no_value")),
    ({"thresholds": {}}, {"value": 50, "met_declared": None}, ("pending", "threshold_unset")),
    ({}, {"value": 99, "met_declared": None, "computed": False}, ("pending", "not_computed")),
    ({"kind": "boolean"}, {"value": None, "met_declared": False}, ("not_met", "")),
    ({"kind": "boolean"}, {"value": None, "met_declared": None}, ("pending", "no_value")),
    ({"placeholder": True}, {"value": 99, "met_declared": True}, ("pending", "placeholder")),
])
def test_judge(fields, kwargs, expected):
    indicator = _indicator(**{"thresholds": {"all": 95}, **fields})
    assert judge(indicator, threshold_for(indicator, "group2"), **kwargs) == expected


def test_combine_not_met_wins_then_pending():
    assert combine(["met", "met"]) == "met"
    assert combine(["met", "pending"]) == "pending"
    assert combine(["pending", "not_met"]) == "not_met"
    assert combine([]) == "pending"


def test_shortfall_counts_the_rows_it_takes():
    # 912 of 1,000 adults with an account against "> 95%": 951 > 950 → 39 more.
    assert shortfall(">", 95, 91.2, unit="percent", numerator=912, denominator=1000) == {
        "points": 3.8, "count": 39, "direction": "more"}
    assert shortfall(">=", 100, 98.3333, unit="percent", numerator=590, denominator=600)["count"] == 10
    # Poverty 8% of 500 households against "≤ 6%": 30 is the bar, 40 now → 10 fewer.
    assert shortfall("<=", 6, 8, unit="percent", numerator=40, denominator=500) == {
        "points": 2, "count": 10, "direction": "fewer"}
    assert shortfall(">=", 1, 0, unit="count") == {"points": 1, "count": 1, "direction": "more"}
    assert shortfall(">=", 95, 96, unit="percent", numerator=96, denominator=100) is None
    assert shortfall(">=", None, 50) is None


def test_threshold_dataclass_is_plain():
    assert Threshold("boolean", "", None, True, "").kind == "boolean"
