"""Shared test fixtures: a tiny territory and the four callers of every access test.

Like healthchecks' owner/member/outsider trio: ``editor`` (officer of commune A),
``reader`` (province officer of A's province), ``outsider`` (officer of commune B in another
province) and anonymous. Factories build rows directly; nothing depends on shared JSON fixtures.
"""

from __future__ import annotations

import datetime as dt
import os

os.environ.setdefault("LANGSO_TESTING", "1")

import pytest
from hypothesis import settings as hypothesis_settings

# No per-example time limit: speed is measured by `langso bench`, never by tests, and a shared 2-core CI
# machine must not turn a slow example into a failure (Hypothesis' default deadline is 200 ms).
hypothesis_settings.register_profile("langso", deadline=None)
hypothesis_settings.load_profile("langso")

from langso.territory.models import REFORM_DATE, AdministrativeUnit, Level, UnitType, Village


def make_province(code: str, name: str) -> AdministrativeUnit:
    unit = AdministrativeUnit.objects.create(
        code=code, name=name, full_name=f"Tỉnh {name}", unit_type=UnitType.PROVINCE,
        level=Level.PROVINCE, valid_from=REFORM_DATE,
    )
    unit.province = unit
    unit.save(update_fields=["province"])
    return unit


def make_commune(province: AdministrativeUnit, code: str, name: str, boundary: str = "") -> AdministrativeUnit:
    return AdministrativeUnit.objects.create(
        code=code, name=name, full_name=f"Xã {name}", unit_type=UnitType.COMMUNE,
        level=Level.COMMUNE, parent=province, province=province, valid_from=REFORM_DATE,
        boundary=boundary,
    )


@pytest.fixture(autouse=True)
def _no_rate_limit_state():
    """The rate-limit counters (langso.lib.ratelimit) live in the local-memory cache of the test
    process, and every test client comes from 127.0.0.1: each test starts and ends with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def territory(db):
    """Province 25 with communes A (09154) and C (09157); province 01 with commune B (00004)."""
    from langso.lib.vietnamese import fold

    p25 = make_province("25", "Phú Thọ")
    p01 = make_province("01", "Hà Nội")
    a = make_commune(p25, "09154", "Vĩnh Phú")
    c = make_commune(p25, "09157", "Thổ Tang")
    b = make_commune(p01, "00004", "Ba Đình")
    va = Village.objects.create(commune=a, name="Ngũ Kiên", village_type="thon", search_name=fold("Ngũ Kiên"))
    vb = Village.objects.create(commune=b, name="Tổ 1", village_type="to_dan_pho", search_name=fold("Tổ 1"))
    return {"p25": p25, "p01": p01, "a": a, "b": b, "c": c, "va": va, "vb": vb}


@pytest.fixture
def users(territory, django_user_model):
    """The callers of every access test, with their memberships."""
    from langso.accounts.models import Membership, Role

    editor = django_user_model.objects.create_user("editor", password="pw-editor-123")
    reader = django_user_model.objects.create_user("reader", password="pw-reader-123")
    outsider = django_user_model.objects.create_user("outsider", password="pw-outsider-123")
    Membership.objects.create(user=editor, unit=territory["a"], role=Role.COMMUNE_OFFICER)
    Membership.objects.create(user=reader, unit=territory["p25"], role=Role.PROVINCE_OFFICER)
    Membership.objects.create(user=outsider, unit=territory["b"], role=Role.COMMUNE_OFFICER)
    return {"editor": editor, "reader": reader, "outsider": outsider}


@pytest.fixture
def today() -> dt.date:
    return dt.date(2026, 11, 29)
