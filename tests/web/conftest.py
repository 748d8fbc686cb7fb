"""Small factories for the web tests: households, residents, indicators and their values.

Rows are created directly with the ORM (what the registry actions would store, folded search
columns included) so these tests do not depend on the write path.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from django.utils import timezone

from langso.indicators.models import Indicator, IndicatorValue, Target
from langso.lib.vietnamese import fold
from langso.registry.models import Household, Resident
from langso.territory.models import REFORM_DATE, AdministrativeUnit, Level, UnitType

_cccd_serial = itertools.count(1)


def next_cccd(prefix: str = "025") -> str:
    """A unique 12-digit number (structure is not validated here)."""
    return f"{prefix}{next(_cccd_serial):09d}"


def make_commune(province: AdministrativeUnit, code: str, name: str, **fields: Any) -> AdministrativeUnit:
    return AdministrativeUnit.objects.create(
        code=code, name=name, full_name=f"Xã {name}", unit_type=UnitType.COMMUNE, level=Level.COMMUNE,
        parent=province, province=province, valid_from=REFORM_DATE, search_name=fold(name), **fields,
    )


def make_resident(household: Household, name: str, relation: str = "head", **fields: Any) -> Resident:
    values = {
        "date_of_birth": dt.date(1980, 3, 5),
        "sex": "M",
        "cccd": None,
    }
    values.update(fields)
    return Resident.objects.create(
        household=household,
        commune_id=household.commune_id,
        full_name=name,
        search_name=fold(name),
        relation_to_head=relation,
        **values,
    )


def make_household(
    commune: Any,
    head: str = "Nguyễn Văn A",
    village: Any = None,
    members: tuple[tuple[str, str], ...] = (),
    head_cccd: str | None = None,
    **fields: Any,
) -> Household:
    """A household with its head (and ``members`` as (name, relation) pairs)."""
    household = Household.objects.create(
        commune=commune, village=village, head_search_name=fold(head), **fields
    )
    make_resident(household, head, "head", cccd=head_cccd)
    for name, relation in members:
        make_resident(household, name, relation, date_of_birth=dt.date(2010, 12, 24), sex="F")
    return household


def make_indicator(code: str, unit: str = "percent", position: int = 0, **fields: Any) -> Indicator:
    values = {
        "name_vi": f"Chỉ tiêu {code}",
        "name_en": f"Indicator {code}",
        "numerator": f"{code}_num",
        "denominator": f"{code}_den" if unit == "percent" else "",
        "source": "Test",
        "higher_is_better": True,
    }
    values.update(fields)
    return Indicator.objects.create(code=code, unit=unit, position=position, **values)


def make_value(indicator: Indicator, unit: Any, value: float | None, period: str = "202611") -> IndicatorValue:
    return IndicatorValue.objects.create(
        indicator=indicator,
        unit=unit,
        period=period,
        as_of=dt.date(int(period[:4]), int(period[4:]), 28),
        numerator=value or 0,
        denominator=100 if indicator.unit == "percent" else None,
        value=value,
        computed_at=timezone.now(),
    )


@pytest.fixture
def indicators(territory):
    """Two indicators with values for communes A and C and the province roll-up of 25.

    ``pct``: percent, A 85.25, C 40.0, province 60.5; target ≥ 80 (2026) verified and ≥ 90 (2030)
    unverified. ``cnt``: count, A 1234, C missing, province 1234; no target.
    """
    pct = make_indicator("pct", "percent", position=1, name_vi="Tỷ lệ hộ có mã địa chỉ số",
                         name_en="Households with a digital address code")
    cnt = make_indicator("cnt", "count", position=2, name_vi="Số hộ kinh doanh", name_en="Business households")
    Target.objects.create(indicator=pct, comparison=">=", value=80, year=2026, source="QĐ test", verified=True)
    Target.objects.create(indicator=pct, comparison=">=", value=90, year=2030, source="QĐ test", verified=False)
    make_value(pct, territory["a"], 85.25)
    make_value(pct, territory["c"], 40.0)
    make_value(pct, territory["p25"], 60.5)
    make_value(cnt, territory["a"], 1234)
    make_value(cnt, territory["p25"], 1234)
    # An older period that must not be shown.
    make_value(pct, territory["a"], 10.0, period="202610")
    return {"pct": pct, "cnt": cnt}


@pytest.fixture(autouse=True)
def empty_cache():
    """Simplified geometries are cached by primary key, and test databases reuse keys."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root", password="pw-root-123")
