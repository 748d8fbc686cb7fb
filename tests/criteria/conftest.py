"""Fixtures of the criteria tests: the shipped sets, classified communes and indicator values.

Built on the shared trio (tests/conftest.py): ``editor`` (officer of commune A 09154), ``reader``
(officer of A's province 25), ``outsider`` (officer of commune B, province 01). Evidence files go to
a per-test MEDIA_ROOT.
"""

from __future__ import annotations

import pytest

from langso.criteria import actions, catalogue
from langso.criteria.models import Scheme

from .factories import VALUES_A, put_values


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def sets(db):
    """The shipped criteria sets, by code."""
    return {criteria_set.code: criteria_set for criteria_set, _ in catalogue.sync_sets()}


@pytest.fixture
def ready(territory, users, sets):
    """Communes A and C classified (group 2 for 2026–2030, Red River Delta for 2021–2025) and A's
    indicator values for November 2026."""
    for key in ("a", "c"):
        actions.classify_commune(users["reader"], territory[key], Scheme.GROUP_2026, "group2",
                                 source="Quyết định 1/QĐ-UBND (test)")
        actions.classify_commune(users["reader"], territory[key], Scheme.REGION_2021, "dbsh",
                                 source="Quyết định 2/QĐ-UBND (test)")
    put_values(territory["a"], VALUES_A)
    return {"territory": territory, "users": users, "sets": sets}


@pytest.fixture
def assessment(ready):
    """Commune A's 2026 assessment against the 2026–2030 set, started by its officer."""
    return actions.start_assessment(ready["users"]["editor"], ready["territory"]["a"],
                                    ready["sets"]["ntm-xa-2026-2030"], 2026)
