"""The criteria sets are data: shipped files load with every slot, honestly labelled; bad files are
refused naming the entry; versions are kept."""

from __future__ import annotations

import pytest

from langso.criteria import catalogue
from langso.criteria.models import CriteriaSet, CriterionIndicator
from langso.lib.errors import RuleViolation

pytestmark = pytest.mark.django_db

MINIMAL = """
code: test-set
version: "1"
name_vi: Bộ thử
name_en: Test set
level: standard
period: [2026, 2030]
classification: group-2026-2030
classes:
  - {key: group1, name_vi: Nhóm 1, name_en: Group 1}
  - {key: group2, name_vi: Nhóm 2, name_en: Group 2}
source: Quyết định thử
declared_indicators: 2
criteria:
  - number: "1"
    name_vi: Thử
    name_en: Test
    indicators:
      - code: "1.1"
        name_vi: Tỷ lệ thử
        name_en: Test share
        metric: PAY-QR
        threshold: {kind: numeric, unit: percent, comparison: ">=", values: {all: 90, group1: 95}}
      - code: "1.2"
        name_vi: Có thử
        name_en: Has a test
        threshold: {kind: boolean}
"""


def _file(text: str, name: str = "test-set.yaml") -> catalogue.SetFile:
    return catalogue.SetFile(name, text)


def test_shipped_sets_hold_every_slot_the_decisions_state(sets):
    counts = {code: s.indicators.count() for code, s in sets.items()}
    assert counts == {"ntm-xa-2021-2025": 57, "ntm-nang-cao-2021-2025": 75, "ntm-kieu-mau-2021-2025": 3,
                      "thon-thong-minh-vinh-phuc": 6, "ntm-xa-2026-2030": 47}
    new = sets["ntm-xa-2026-2030"]
    assert new.criteria.count() == 10 and new.classification == "group-2026-2030"
    assert [c["key"] for c in new.classes] == ["group1", "group2", "group3"]
    assert len(sets["ntm-xa-2021-2025"].classes) == 7 and sets["ntm-xa-2021-2025"].criteria.count() == 19
    assert sets["ntm-nang-cao-2021-2025"].criteria.count() == 19
    assert sets["ntm-nang-cao-2021-2025"].requires_level == "standard"
    assert sets["ntm-kieu-mau-2021-2025"].requires_level == "advanced"


def test_no_unconfirmed_figure_is_presented_as_confirmed(sets):
    """Honesty rule: the 2021–2025 basic set encodes no regional figure; every other figure is either
    verified (with its source) or unverified with a stated basis; empty slots say so."""
    basic = CriterionIndicator.objects.filter(criteria_set=sets["ntm-xa-2021-2025"], kind="numeric")
    assert all(v is None for i in basic for v in i.thresholds.values())
    for indicator in CriterionIndicator.objects.filter(kind="numeric", placeholder=False):
        has_figure = any(v is not None for v in indicator.thresholds.values()) or indicator.derived
        if has_figure and not indicator.threshold_verified:
            assert indicator.threshold_basis_vi and indicator.threshold_basis_en, indicator.code
    new = sets["ntm-xa-2026-2030"]
    assert new.indicators.filter(placeholder=True).count() == 40
    assert not new.indicators.filter(placeholder=False, verified=True).exists()  # no Annex I text confirmed
    assert not new.indicators.filter(threshold_verified=True, kind="numeric").exists()
    assert set(new.indicators.exclude(metric="").values_list("metric", flat=True)) == {
        "DOC-SIGNED", "PAY-ADULT", "PAY-QR", "ADDR-CODE"}
    assert not any(s.allocation_verified for s in sets.values())
    health = CriterionIndicator.objects.get(criteria_set=sets["ntm-nang-cao-2021-2025"], code="14.1")
    assert health.thresholds == {"all": 95.0} and health.threshold_verified  # given with its source
    assert CriterionIndicator.objects.get(criteria_set=sets["ntm-xa-2021-2025"], code="8.4").verified


def test_reload_is_idempotent_and_a_changed_file_updates_its_version(sets):
    assert {outcome for _, outcome in catalogue.sync_sets()} == {"unchanged"}
    (first, outcome), = catalogue.sync_sets([_file(MINIMAL)])
    assert outcome == "created" and first.indicators.get(code="1.1").thresholds == {"all": 90.0, "group1": 95.0}
    (same, outcome), = catalogue.sync_sets([_file(MINIMAL.replace("group1: 95", "group1: 96"))])
    assert outcome == "updated" and same.pk == first.pk
    assert same.indicators.get(code="1.1").thresholds["group1"] == 96.0
    (second, outcome), = catalogue.sync_sets([_file(MINIMAL.replace('version: "1"', 'version: "2"'))])
    assert outcome == "created" and second.pk != first.pk
    assert list(CriteriaSet.objects.filter(code="test-set").order_by("id").values_list("version", "is_latest")) == [
        ("1", False), ("2", True)]


@pytest.mark.parametrize(("change", "field"), [
    (("declared_indicators: 2", "declared_indicators: 3"), "declared_indicators"),
    (("metric: PAY-QR", "metric: NO-SUCH"), "criteria[0].indicators[0].metric"),
    (('comparison: ">="', 'comparison: "=="'), "criteria[0].indicators[0].threshold.comparison"),
    (("group1: 95", "group9: 95"), "criteria[0].indicators[0].threshold.values.group9"),
    (('code: "1.2"', 'code: "1.1"'), "criteria[0].indicators[1].code"),
    (("level: standard", "level: legendary"), "level"),
    (("period: [2026, 2030]", "period: [2030, 2026]"), "period"),
])
def test_bad_files_are_refused_naming_the_entry(db, change, field):
    with pytest.raises(RuleViolation) as caught:
        catalogue.sync_sets([_file(MINIMAL.replace(*change))])
    assert caught.value.field.startswith("test-set.yaml:") and field in caught.value.field
    assert caught.value.vi and caught.value.en
    assert not CriteriaSet.objects.filter(code="test-set").exists()  # all or nothing


def test_derived_threshold_must_name_an_existing_indicator(db):
    text = MINIMAL.replace("values: {all: 90, group1: 95}",
                           "derived: {set: nowhere, indicator: '10', factor: 1.1}")
    with pytest.raises(RuleViolation, match="nowhere"):
        catalogue.sync_sets([_file(text)])


def test_programme_targets_and_dhis2_mapping_are_data():
    targets = catalogue.programme_targets()
    assert [t["code"] for t in targets["targets"]] == ["GOV-1", "GOV-2", "GOV-3", "ECO-1", "ECO-2", "ECO-3", "SOC-1",
                                                       "SOC-2"]
    by_code = {t["code"]: t for t in targets["targets"]}
    assert by_code["GOV-2"]["measures"][0]["value"] == 97 and by_code["GOV-2"]["measures"][0]["indicator"] == "8.4"
    assert by_code["ECO-1"]["measures"][0]["source"] == "indicator"  # once the catalogue has ECO-1
    assert by_code["ECO-2"]["measures"][0]["source"] == "legacy_indicator"  # computed on the former districts
    assert by_code["ECO-2"]["measures"][0]["indicator"] == "ECO-2"
    # Vĩnh Phúc's own 80 % is a unit target of the indicator catalogue now, not a copy in this file.
    assert "overrides" not in by_code["ECO-2"]["measures"][0]
    assert by_code["ECO-2"]["measures"][1]["source"] == "indicator"  # on communes since 1 July 2025
    mapping = catalogue.dhis2_mapping()
    assert mapping["org_unit"]["template"] == "VN{code}"
