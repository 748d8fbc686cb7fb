"""Reads of indicator values and targets (langso.indicators.queries)."""

from __future__ import annotations

import datetime as dt

import pytest

from langso.indicators import queries
from langso.indicators.models import Target

pytestmark = pytest.mark.django_db


def test_latest_period(territory, indicators):
    assert queries.latest_period() == "202611"
    assert queries.latest_period([territory["a"]]) == "202611"
    assert queries.latest_period([territory["b"].pk]) is None
    assert queries.period_label("202611") == "11/2026"
    assert queries.period_label(None) == ""
    assert queries.period_as_of("202611", [territory["a"]]) == dt.date(2026, 11, 28)


def test_values_by_unit(territory, indicators, django_assert_num_queries):
    a, c = territory["a"], territory["c"]
    with django_assert_num_queries(1):
        values = queries.values_by_unit("202611", [a, c.pk])
    assert values == {a.pk: {"pct": 85.25, "cnt": 1234}, c.pk: {"pct": 40.0}}
    assert queries.values_by_unit("202611", [a], indicators=["cnt"]) == {a.pk: {"cnt": 1234}}
    assert queries.values_by_unit("202610", [a]) == {a.pk: {"pct": 10.0}}
    assert queries.values_by_unit(None, [a]) == {}


def test_targets_for_year_picks_the_next_horizon(indicators):
    assert queries.targets_for_year(2025)["pct"]["year"] == 2026
    assert queries.targets_for_year(2026)["pct"]["year"] == 2026
    assert queries.targets_for_year(2027)["pct"] == {
        "own": False, "comparison": ">=", "symbol": "≥", "value": 90, "year": 2030, "verified": False,
        "source": "QĐ test",
    }
    assert queries.targets_for_year(2040)["pct"]["year"] == 2030
    assert "cnt" not in queries.targets_for_year(2026)


def test_is_met():
    target = {"comparison": "<=", "value": 5}
    assert queries.is_met(target, 4) is True
    assert queries.is_met(target, 6) is False
    assert queries.is_met(target, None) is None
    assert queries.is_met(None, 3) is None


def test_unit_scorecard(territory, indicators, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        card = queries.unit_scorecard("202611", territory["c"], "en")
    assert [item["code"] for item in card] == ["pct", "cnt"]
    pct, cnt = card
    assert pct["name"] == "Households with a digital address code"
    assert pct["value"] == 40.0 and pct["met"] is False and pct["target"]["value"] == 80
    assert cnt["computed"] is False and cnt["value"] is None and cnt["met"] is None
    Target.objects.create(indicator=indicators["cnt"], comparison=">", value=1000, year=2026, source="x")
    card = queries.unit_scorecard("202611", territory["a"], "vi")
    assert card[1]["met"] is True and card[1]["name"] == "Số hộ kinh doanh"


def test_scorecard_without_values(territory, indicators):
    card = queries.unit_scorecard(None, territory["b"])
    assert all(item["value"] is None and not item["computed"] for item in card)
