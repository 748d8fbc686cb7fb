"""Outbreak evaluation against stored cases: lifecycle detected → confirmed → closed, one boundary per rule."""

from __future__ import annotations

import datetime as dt

import pytest
from health.factories import case_at

from langso.health import actions
from langso.health.models import Outbreak, OutbreakStatus
from langso.lib.errors import RuleViolation

D0 = dt.date(2026, 9, 1)


@pytest.mark.django_db
def test_dengue_focus_lifecycle(health) -> None:
    a = health["a"]
    c1 = case_at(health, 0, D0)
    case_at(health, 199, D0 + dt.timedelta(days=14))  # exactly at the window, inside the radius
    case_at(health, 5000, D0 + dt.timedelta(days=2))  # far away: not part of it
    actions.evaluate_outbreaks(a, D0 + dt.timedelta(days=14))
    # dengue is group B: with no history, September's 3 cases also exceed the 3-year mean of 0
    assert sorted(Outbreak.objects.values_list("rule", flat=True)) == ["dengue_focus", "monthly_above_mean"]
    ob = Outbreak.objects.get(rule="dengue_focus")
    assert (ob.status, ob.case_count, ob.key, ob.first_case_on) == (OutbreakStatus.DETECTED, 2, str(c1.pk), D0)
    assert ob.facts["closure_verified"] is False and '"Polygon"' in ob.area
    # idempotent
    assert actions.evaluate_outbreaks(a, D0 + dt.timedelta(days=15))["detected"] == 0
    actions.confirm_outbreak(health["worker"], ob, on=D0 + dt.timedelta(days=15))
    with pytest.raises(RuleViolation):
        actions.confirm_outbreak(health["worker"], ob, on=D0 + dt.timedelta(days=15))
    # 13 days after the last case: still active; 14: closed on that day
    actions.evaluate_outbreaks(a, D0 + dt.timedelta(days=27))
    ob.refresh_from_db()
    assert ob.closed_on is None
    actions.evaluate_outbreaks(a, D0 + dt.timedelta(days=28))
    ob.refresh_from_db()
    assert (ob.status, ob.closed_on, ob.confirmed_on) == (OutbreakStatus.CLOSED, D0 + dt.timedelta(days=28),
                                                          D0 + dt.timedelta(days=15))


@pytest.mark.django_db
def test_no_focus_at_201_m_or_one_day_outside(health) -> None:
    case_at(health, 0, D0)
    case_at(health, 201, D0 + dt.timedelta(days=1))
    case_at(health, 100, D0 + dt.timedelta(days=15))  # 15 days after the first, 14 after the second...
    # ...but 100 m from the first (15 days: outside) and 101 m from the second (inside): a focus of 2
    actions.evaluate_outbreaks(health["a"], D0 + dt.timedelta(days=15))
    ob = Outbreak.objects.get(rule="dengue_focus")
    assert ob.case_count == 2


@pytest.mark.django_db
def test_group_a_one_confirmed_case(health) -> None:
    case_at(health, 0, D0, disease="cholera", status="suspected")
    assert actions.evaluate_outbreaks(health["a"], D0)["detected"] == 0
    case_at(health, 0, D0, disease="cholera", status="confirmed")
    assert actions.evaluate_outbreaks(health["a"], D0)["detected"] == 1
    assert Outbreak.objects.get().rule == "group_a_case"


@pytest.mark.django_db
def test_monthly_rule_at_the_mean_and_above(health) -> None:
    """Measles (group B): October of the 3 previous years had 1, 2, 3 cases (mean 2)."""
    for years_back, n in [(1, 1), (2, 2), (3, 3)]:
        for i in range(n):
            case_at(health, i * 1000, dt.date(2026 - years_back, 10, 5), disease="measles")
    case_at(health, 0, dt.date(2026, 10, 3), disease="measles")
    case_at(health, 9000, dt.date(2026, 10, 4), disease="measles")
    assert actions.evaluate_outbreaks(health["a"], dt.date(2026, 10, 20))["detected"] == 0  # 2 = mean
    case_at(health, 18000, dt.date(2026, 10, 20), disease="measles")
    assert actions.evaluate_outbreaks(health["a"], dt.date(2026, 10, 20))["detected"] == 1  # 3 > 2
    ob = Outbreak.objects.get(rule="monthly_above_mean")
    assert (ob.key, ob.case_count, ob.facts["mean"]) == ("2026-10", 3, 2.0)
    # the month ends: closed on 1 November
    actions.evaluate_outbreaks(health["a"], dt.date(2026, 11, 1))
    ob.refresh_from_db()
    assert (ob.status, ob.closed_on) == (OutbreakStatus.CLOSED, dt.date(2026, 11, 1))


@pytest.mark.django_db
def test_evaluate_command(health, capsys) -> None:
    from django.core.management import call_command

    case_at(health, 0, D0)
    case_at(health, 10, D0)
    call_command("health_evaluate", "--date", (D0 + dt.timedelta(days=1)).isoformat())
    assert "09154" in capsys.readouterr().out
    assert Outbreak.objects.filter(rule="dengue_focus").count() == 1


@pytest.mark.django_db
def test_a_new_case_next_to_a_closed_focus_opens_a_new_one(health) -> None:
    case_at(health, 0, D0)
    case_at(health, 50, D0 + dt.timedelta(days=1))
    actions.evaluate_outbreaks(health["a"], D0 + dt.timedelta(days=20))  # closed on day 15
    case_at(health, 20, D0 + dt.timedelta(days=25))
    case_at(health, 30, D0 + dt.timedelta(days=26))
    actions.evaluate_outbreaks(health["a"], D0 + dt.timedelta(days=26))
    foci = list(Outbreak.objects.filter(rule="dengue_focus").order_by("pk"))
    assert [(f.closed_on, f.case_count) for f in foci] == [(D0 + dt.timedelta(days=15), 2), (None, 2)]


@pytest.mark.django_db
def test_daily_task_runs_the_same_evaluation(health) -> None:
    from langso.health.tasks import evaluate_outbreaks_task

    case_at(health, 0, D0)
    case_at(health, 10, D0)
    result = evaluate_outbreaks_task.call((D0 + dt.timedelta(days=1)).isoformat())
    assert result["09154"]["active"] >= 1
    assert evaluate_outbreaks_task.call((D0 + dt.timedelta(days=1)).isoformat())["09154"]["detected"] == 0
