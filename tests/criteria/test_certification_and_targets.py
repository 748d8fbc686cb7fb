"""Certification records (legacy history stays on legacy units; merged communes assessed afresh) and
progress towards the programme targets of Decision 924/QĐ-TTg."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404

from langso.criteria import actions, queries, standing, targets
from langso.criteria.models import Level, Scheme
from langso.lib.errors import RuleViolation
from langso.territory.models import AdministrativeUnit, Level as UnitLevel, LineageEvent, UnitLineage, UnitType

from .factories import fill_entered, pdf_upload, result_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def legacy(territory):
    """Legacy Vĩnh Phúc (26) and its commune Ngũ Kiên (09148), merged into commune A (09154)."""
    old_province = AdministrativeUnit.objects.create(
        code="26", name="Vĩnh Phúc", full_name="Tỉnh Vĩnh Phúc", unit_type=UnitType.PROVINCE, level=UnitLevel.PROVINCE,
        valid_from=dt.date(1997, 1, 1), valid_to=dt.date(2025, 6, 30))
    old_province.province = old_province
    old_province.save()
    ngu_kien = AdministrativeUnit.objects.create(
        code="09148", name="Ngũ Kiên", full_name="Xã Ngũ Kiên", unit_type=UnitType.COMMUNE, level=UnitLevel.COMMUNE,
        province=old_province, parent=old_province, valid_from=dt.date(2008, 1, 1), valid_to=dt.date(2025, 6, 30))
    UnitLineage.objects.create(predecessor=ngu_kien, successor=territory["a"], event=LineageEvent.MERGE, source="NQ")
    UnitLineage.objects.create(predecessor=old_province, successor=territory["p25"], event=LineageEvent.MERGE,
                               source="NQ 202/2025/QH15")
    return ngu_kien


def _record(actor, unit, **overrides):
    fields = {"level": Level.MODEL, "year": 2023, "decision_number": "123/QĐ-UBND", "decided_on": dt.date(2023, 11, 30),
              "issuing_body": "UBND tỉnh Vĩnh Phúc"}
    return actions.record_certification(actor, unit, **{**fields, **overrides})


def test_legacy_history_stays_on_the_legacy_unit_and_shows_on_its_successor(legacy, users, territory, sets):
    record = _record(users["reader"], legacy)  # the successor province's officer records the history
    assert record.unit == legacy
    history = queries.certification_history(territory["a"])
    assert [(h["record"], h["legacy"]) for h in history] == [(record, True)]
    # ... but the merged commune itself qualifies for nothing until it is assessed afresh.
    assert standing.highest_level(standing.qualification(territory["a"], 2025)) is None
    with pytest.raises(Http404):
        _record(users["outsider"], legacy, decision_number="124/QĐ-UBND")
    with pytest.raises(Http404):
        _record(users["editor"], legacy, decision_number="125/QĐ-UBND")


@pytest.mark.parametrize(("overrides", "rule"), [
    ({"decided_on": dt.date(2025, 8, 1), "year": 2025}, "criteria.legacy_date"),
    ({"decision_number": "123"}, "criteria.decision_number"),
    ({"decided_on": dt.date(2030, 1, 1), "year": 2030}, "criteria.decided_on"),
    ({"year": 2019}, "criteria.decided_on"),
])
def test_certification_rules(legacy, users, overrides, rule):
    with pytest.raises(RuleViolation) as caught:
        _record(users["reader"], legacy, **overrides)
    assert caught.value.rule == rule


def test_current_commune_needs_its_own_approved_qualifying_assessment(ready, legacy):
    users, a = ready["users"], ready["territory"]["a"]
    assessment = actions.start_assessment(users["editor"], a, ready["sets"]["ntm-xa-2026-2030"], 2026)
    kwargs = {"level": Level.STANDARD, "year": 2026, "decided_on": dt.date(2026, 11, 1), "issuing_body": "UBND tỉnh Phú Thọ"}
    with pytest.raises(RuleViolation) as caught:
        _record(users["reader"], a, **kwargs)
    assert caught.value.rule == "criteria.certify_assessment"
    fill_entered(assessment, users["editor"])
    actions.approve_assessment(users["reader"], actions.submit_assessment(users["editor"], assessment))
    with pytest.raises(RuleViolation) as caught:  # approved, but 7.2 and 7.4 are not met and 40 slots are empty
        _record(users["reader"], a, assessment=assessment, **kwargs)
    assert caught.value.rule == "criteria.certify_not_qualified"
    # A non-ladder recognition (pilot smart commune) needs no assessment.
    pilot = _record(users["reader"], a, level=Level.SMART_PILOT, year=2026, decided_on=dt.date(2026, 3, 10),
                    issuing_body="UBND tỉnh Phú Thọ")
    assert pilot.unit == a


def test_levels_need_the_lower_level_first(sets, territory, users):
    """Advanced requires standard (Decision 318 Annex II); a met advanced set alone qualifies for nothing."""
    actions.classify_commune(None, territory["a"], Scheme.REGION_2021, "dbsh", source="QĐ")
    advanced = actions.start_assessment(None, territory["a"], sets["ntm-nang-cao-2021-2025"], 2025)
    advanced.results.update(status="met", reason="")
    levels = {item["level"]: item for item in standing.qualification(territory["a"], 2025)}
    assert levels["advanced"]["status"] == "met" and not levels["advanced"]["qualifies"]
    assert levels["standard"]["status"] == "not_assessed"
    basic = actions.start_assessment(None, territory["a"], sets["ntm-xa-2021-2025"], 2025)
    basic.results.update(status="met", reason="")
    levels = {item["level"]: item for item in standing.qualification(territory["a"], 2025)}
    assert levels["standard"]["qualifies"] and levels["advanced"]["qualifies"]
    assert not levels["model"]["qualifies"] and levels["model"]["status"] == "not_assessed"
    report = standing.gap_report(territory["a"], 2025)
    assert report["next"]["level"] == "model" and report["summary"] is None


def test_gap_report_gives_the_numbers(assessment):
    report = standing.gap_report(assessment.commune, 2026)
    assert report["next"]["level"] == "standard"
    missing = {row["indicator"].code: row["gap"] for row in report["missing"]}
    assert missing == {"7.2": {"points": 3.8, "count": 39, "direction": "more"},
                       "7.4": {"points": pytest.approx(1.6667, abs=1e-3), "count": 10, "direction": "more"}}
    assert len(report["placeholder_groups"]) == 8 and sum(len(g["codes"]) for g in report["placeholder_groups"]) == 40
    assert {row["indicator"].code for row in report["pending_judgeable"]} == {"1.1", "1.2", "7.5"}


def test_programme_progress_computes_only_what_the_records_allow(ready):
    users, t, sets = ready["users"], ready["territory"], ready["sets"]
    a2025 = actions.start_assessment(users["editor"], t["a"], sets["ntm-xa-2021-2025"], 2025)
    actions.enter_value(users["editor"], result_of(a2025, "8.4"), met=True)
    actions.add_evidence(users["editor"], result_of(a2025, "8.4"), pdf_upload())
    progress = targets.province_progress(t["p25"])
    measures = {m["key"]: m for target in progress["targets"] for m in target["measures"]}
    gov2 = measures["basic-8.4"]
    # Two rural communes in the province (A and C); A meets 8.4, C is not assessed: 50% of 97%.
    assert (gov2["status"], gov2["actual"], gov2["met_count"], gov2["total"], gov2["assessed"]) == (
        "not_met", 50.0, 1, 2, 1)
    assert gov2["gap"] == {"points": 47.0, "communes": 1}
    for key in ("communes-with-cooperative", "districts-with-linkage", "linkage-digital", "units-digital-service",
                "files-commune"):
        assert measures[key]["status"] == "no_data" and measures[key]["actual"] is None and measures[key]["needs"]
    assert measures["advanced-8.4"]["status"] == "no_data"  # nobody assessed against the advanced set
    assert measures["smart-pilot"]["status"] == "not_met" and measures["smart-pilot"]["actual"] == 0
    actions.record_certification(users["reader"], t["a"], level=Level.SMART_PILOT, year=2026,
                                 decision_number="9/QĐ-UBND", decided_on=dt.date(2026, 3, 1), issuing_body="UBND tỉnh")
    measures = {m["key"]: m for target in targets.province_progress(t["p25"])["targets"] for m in target["measures"]}
    assert measures["smart-pilot"]["status"] == "met"
    mine = {(item["code"], item["label"]): item["status"] for item in targets.commune_progress(t["a"])}
    assert mine[("GOV-2", "Xã đạt chỉ tiêu 8.4 (bộ tiêu chí xã NTM 2021–2025)")] == "met"
    assert {item["status"] for item in targets.commune_progress(t["c"]) if item["code"] == "GOV-2"} == {"not_assessed"}


def test_legacy_districts_are_listed_for_history(legacy, territory):
    district = AdministrativeUnit.objects.create(
        code="253", name="Vĩnh Tường", full_name="Huyện Vĩnh Tường", unit_type=UnitType.RURAL_DISTRICT,
        level=UnitLevel.DISTRICT, province=legacy.province, parent=legacy.province,
        valid_from=dt.date(1997, 1, 1), valid_to=dt.date(2025, 6, 30))
    assert queries.legacy_districts(territory["p25"]) == [district]


def _catalogue_entry(code: str) -> None:
    """A catalogue indicator the lead has not added yet (awaited by the criteria data)."""
    from langso.indicators.models import Indicator

    Indicator.objects.get_or_create(code=code, defaults={
        "name_vi": code, "name_en": code, "numerator": "participation.units_meeting_soc1",
        "denominator": "participation.units", "unit": "percent", "source": "test"})


def test_indicator_based_targets_read_stored_values_once_they_exist(ready):
    from .factories import put_values

    t = ready["territory"]
    progress = {m["key"]: m for target in targets.province_progress(t["p25"])["targets"] for m in target["measures"]}
    assert progress["units-digital-service"]["status"] == "no_data"  # SOC-1 not computed yet: no data, not 0%
    _catalogue_entry("SOC-1")  # in the lead's catalogue already; made here if not
    put_values(t["a"], {"SOC-1": (1, 1)})
    put_values(t["c"], {"SOC-1": (0, 1)})
    measure = {m["key"]: m for target in targets.province_progress(t["p25"])["targets"]
               for m in target["measures"]}["units-digital-service"]
    assert (measure["status"], measure["actual"], measure["met_count"], measure["assessed"], measure["period"]) == (
        "met", 50.0, 1, 2, "202611")
    mine = {item["label"]: item["status"] for item in targets.commune_progress(t["c"])}
    assert mine["Xã cung cấp dịch vụ thiết yếu trên nền tảng số và khảo sát hài lòng trực tuyến"] == "not_met"


def test_an_awaited_catalogue_code_turns_an_entered_indicator_automatic(ready):
    from .factories import put_values

    from langso.indicators.models import Indicator

    t, users, sets = ready["territory"], ready["users"], ready["sets"]
    Indicator.objects.filter(code="HEALTH-RECORD").delete()  # as before the catalogue had it
    before = actions.start_assessment(users["editor"], t["a"], sets["ntm-xa-2021-2025"], 2025)
    assert result_of(before, "15.4").source == "entered"
    _catalogue_entry("HEALTH-RECORD")
    put_values(t["a"], {"HEALTH-RECORD": (1500, 2000)}, period="202512")
    actions.refresh_automatic(users["editor"], before)
    result = result_of(before, "15.4")
    assert (result.source, result.value, result.status, result.reason) == ("auto", 75.0, "pending", "threshold_unset")
