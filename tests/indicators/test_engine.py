"""The indicator engine computes from the records, per commune and rolled up to the province."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from langso.indicators.catalogue import metrics, sync_catalogue
from langso.indicators.engine import compute, count_metrics, period_of
from langso.indicators.models import Indicator, IndicatorValue, Target
from langso.lib.errors import RuleViolation
from langso.registry import actions
from langso.registry.identifiers import make_cccd

AS_OF = dt.date(2026, 11, 29)


def person(household, name, born, sex="M", relation="child", paying=False, serial=None):
    cccd = make_cccd("026", sex, born.year, serial) if serial is not None else None
    return actions.add_resident(None, household, full_name=name, date_of_birth=born, sex=sex,
                                relation_to_head=relation, cccd=cccd, has_online_payment_account=paying, today=AS_OF)


@pytest.fixture
def records(territory):
    a, c = territory["a"], territory["c"]
    # Commune A: 2 households (1 located); 3 adults (2 paying), 1 child, 1 dead adult (paying).
    h1 = actions.create_household(None, a, latitude=21.2, longitude=105.5, registered_on=dt.date(2020, 1, 1))
    h2 = actions.create_household(None, a, registered_on=dt.date(2020, 1, 1))
    person(h1, "Nguyễn Văn A", dt.date(1980, 1, 1), relation="head", paying=True, serial=1)
    person(h1, "Lê Thị B", dt.date(1982, 1, 1), sex="F", relation="spouse", paying=True, serial=2)
    person(h1, "Nguyễn Văn C", dt.date(2015, 6, 1))  # 11 years old: not an adult
    person(h2, "Trần Văn D", dt.date(1990, 1, 1), relation="head", serial=3)
    dead = person(h2, "Trần Văn E", dt.date(1950, 1, 1), relation="parent", paying=True, serial=4)
    actions.update_resident(None, dead, died_on=dt.date(2026, 3, 1), today=AS_OF)
    # Commune C: 1 household, 1 adult paying. Province 25 = A + C.
    h3 = actions.create_household(None, c, latitude=21.3, longitude=105.6, registered_on=dt.date(2020, 1, 1))
    person(h3, "Phạm Thị F", dt.date(2000, 2, 2), sex="F", relation="head", paying=True, serial=5)
    return territory


def value(code, unit, period=None):
    return IndicatorValue.objects.get(indicator__code=code, unit=unit, period=period or period_of(AS_OF))


def test_commune_values_come_from_records(records):
    result = compute(as_of=AS_OF)
    a = records["a"]
    assert value("REG-HH", a).value == 2
    assert value("REG-RES", a).value == 4  # the dead parent no longer counts
    assert value("REG-GPS", a).value == 50.0
    pay = value("PAY-ADULT", a)
    assert (pay.numerator, pay.denominator) == (2, 3)
    assert pay.value == pytest.approx(66.6667, abs=1e-3)
    assert result.period == "202611"
    assert result.communes == 3


def test_province_rolls_up_numerators_not_percentages(records):
    compute(as_of=AS_OF)
    pay = value("PAY-ADULT", records["p25"])
    assert (pay.numerator, pay.denominator) == (3, 4)  # not the mean of 66.7 % and 100 %
    assert pay.value == 75.0
    assert value("REG-HH", records["p25"]).value == 3
    # Province 01 has a commune but no records: counts are 0, percentages undefined.
    assert value("REG-HH", records["p01"]).value == 0
    assert value("PAY-ADULT", records["p01"]).value is None


def test_indicators_of_later_issues_compute_as_zero(records):
    compute(as_of=AS_OF)
    assert value("ADDR-CODE", records["a"]).value == 0.0
    assert value("PAY-QR", records["a"]).value is None  # no business households yet
    assert value("PAY-QR", records["a"]).numerator == 0


def test_as_of_counts_the_past(records):
    compute(as_of=dt.date(2026, 1, 31))
    a = records["a"]
    assert value("REG-RES", a, "202601").value == 5  # the parent was alive in January
    pay = value("PAY-ADULT", a, "202601")
    assert (pay.numerator, pay.denominator) == (3, 4)


def test_recompute_replaces_values_of_the_period(records):
    compute(as_of=AS_OF)
    actions.create_household(None, records["a"], registered_on=dt.date(2026, 1, 1))
    compute(as_of=AS_OF)
    assert value("REG-HH", records["a"]).value == 3
    assert IndicatorValue.objects.filter(indicator__code="REG-HH", unit=records["a"]).count() == 1


def test_one_query_per_model(records):
    codes = sorted(metrics())
    with CaptureQueriesContext(connection) as queries:
        counts = count_metrics(codes, AS_OF)
    models = {m.model for m in metrics().values()}
    assert len(queries) == len(models)
    assert counts["registry.households"][records["a"].pk] == 2


def test_catalogue_is_complete_and_sourced(db):
    indicators, targets = sync_catalogue()
    assert indicators == Indicator.objects.count() >= 7
    assert all(i.source for i in Indicator.objects.all())
    assert Target.objects.get(indicator__code="PAY-ADULT", year=2025).value == 80


def test_catalogue_rejects_unknown_metric(db, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("indicators:\n  - {code: X, name_vi: X, name_en: X, numerator: nope.metric, unit: count, source: s}\n")
    with pytest.raises(RuleViolation) as err:
        sync_catalogue(indicators_path=bad)
    assert err.value.field == "indicators[0].numerator"
    assert Indicator.objects.count() == 0


def test_communes_without_records_have_no_value_but_provinces_always_do(records):
    compute(as_of=AS_OF)
    assert not IndicatorValue.objects.filter(unit=records["b"]).exists()  # commune B has no record
    assert IndicatorValue.objects.filter(unit=records["p01"], indicator__code="REG-HH").get().value == 0
    # A reporting commune gets every indicator, zeros included.
    assert value("REG-BIZ", records["c"]).value == 0
