"""Deadlines for answering feedback, from ``data/feedback_deadlines.yaml``.

Shape: ``rules: [{id, working_days: int ≥ 1, categories: all | [category, …], verified: bool,
source: str}]`` and ``holidays: [ISO dates]``. The first rule whose categories include the
item's category applies. Working days are Monday–Friday minus the listed holidays; day 1 is the
first working day after the day of receipt.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from importlib import resources

import yaml


@dataclass(frozen=True)
class DeadlineRule:
    id: str
    working_days: int
    categories: frozenset[str] | None  # None: every category
    verified: bool
    source: str


@functools.cache
def _load() -> tuple[list[DeadlineRule], frozenset[dt.date]]:
    text = resources.files("langso.participation").joinpath("data/feedback_deadlines.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    rules = []
    for i, entry in enumerate(data["rules"]):
        days = entry.get("working_days")
        if not isinstance(days, int) or days < 1:
            raise ValueError(f"feedback_deadlines.yaml rules[{i}].working_days must be an integer ≥ 1")
        categories = entry.get("categories", "all")
        rules.append(DeadlineRule(
            id=str(entry["id"]), working_days=days,
            categories=None if categories == "all" else frozenset(categories),
            verified=bool(entry.get("verified", False)), source=str(entry.get("source", "")).strip(),
        ))
    holidays = frozenset(dt.date.fromisoformat(str(d)) for d in data.get("holidays") or [])
    return rules, holidays


def rule_for(category: str) -> DeadlineRule:
    """The rule applying to ``category``; ``LookupError`` if the file has none (a data error)."""
    for rule in _load()[0]:
        if rule.categories is None or category in rule.categories:
            return rule
    raise LookupError(f"no feedback deadline rule covers category {category!r}")


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date ``days`` working days after ``start`` (Monday–Friday, listed holidays skipped)."""
    holidays = _load()[1]
    day = start
    left = days
    while left > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            left -= 1
    return day


def deadline_for(category: str, received_on: dt.date) -> tuple[dt.date, DeadlineRule]:
    """``(deadline, rule)`` for an item of ``category`` received on ``received_on``."""
    rule = rule_for(category)
    return add_working_days(received_on, rule.working_days), rule
