"""Fixtures of the participation tests: households of commune A, a satisfaction survey run with
codes, and a clean rate-limit cache per test. Rows are made with the ORM (households) and the
participation actions (everything else)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache

from langso.participation import actions
from langso.registry.models import Household

TODAY = dt.date(2026, 11, 29)


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


def make_households(commune, village, n: int, start: int = 0) -> list[Household]:
    return Household.objects.bulk_create([
        Household(commune=commune, village=village, address=f"Số {start + i} đường Làng") for i in range(n)
    ])


@pytest.fixture
def households(territory):
    return make_households(territory["a"], territory["va"], 12)


@pytest.fixture
def run(territory, users, households):
    """An open run of the default survey in commune A (opened 5 days before TODAY), codes issued."""
    run = actions.open_survey(users["editor"], territory["a"], survey_code="ntm-satisfaction",
                              opens_on=TODAY - dt.timedelta(days=5), closes_on=TODAY + dt.timedelta(days=10))
    actions.issue_codes(users["editor"], run)
    return run


def codes_of(run) -> list[str]:
    return list(run.codes.order_by("id").values_list("code", flat=True))


def all_satisfied(definition, value: str = "5") -> dict[str, str]:
    return {q["code"]: value for q in definition["questions"] if q["type"] == "scale"}


def answer_all(run, n: int, value: str = "5", text: str = "", today=TODAY) -> None:
    """``n`` households answer every scale question with ``value`` (and the free text, if given)."""
    for code in codes_of(run)[:n]:
        answers = all_satisfied(run.definition, value)
        if text:
            answers["improve"] = text
        actions.submit_response(run, code=code, answers=answers, today=today)


def close(run, on=TODAY - dt.timedelta(days=1)):
    """Move the run into the past so its results are released on TODAY."""
    type(run).objects.filter(pk=run.pk).update(opens_on=on - dt.timedelta(days=10), closes_on=on)
    run.refresh_from_db()
    return run
