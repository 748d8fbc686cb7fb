"""Registry actions: validation, constraints, audit, scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404

from langso.audit.models import AuditEntry
from langso.lib.errors import RuleViolation
from langso.registry import actions
from langso.registry.identifiers import make_cccd
from langso.registry.models import Household, Resident


@pytest.fixture
def household(territory, users):
    return actions.create_household(users["editor"], territory["a"], village=territory["va"], address="Số 1",
                                    latitude=21.25, longitude=105.5)


def add_head(actor, household, **kw):
    values = dict(full_name="Nguyễn Văn An", date_of_birth=dt.date(1980, 5, 1), sex="M", relation_to_head="head",
                  cccd=make_cccd("026", "M", 1980, 1))
    values.update(kw)
    return actions.add_resident(actor, household, **values)


def test_create_household_writes_audit_entry(household, users):
    entry = AuditEntry.objects.get(action="household.create")
    assert entry.actor == users["editor"]
    assert entry.target_id == str(household.pk)
    assert entry.unit == household.commune


def test_outsider_cannot_write_and_nothing_is_written(territory, users, household):
    with pytest.raises(Http404):
        actions.create_household(users["outsider"], territory["a"])
    with pytest.raises(Http404):
        add_head(users["outsider"], household)
    with pytest.raises(Http404):  # a province officer reads but does not write
        add_head(users["reader"], household)
    assert Household.objects.count() == 1
    assert Resident.objects.count() == 0


def test_name_normalised_to_nfc_and_folded(household, users):
    import unicodedata
    resident = add_head(users["editor"], household, full_name=unicodedata.normalize("NFD", "  Nguyễn   Thị Đào "),
                        sex="F", cccd=make_cccd("026", "F", 1980, 2))
    assert resident.full_name == unicodedata.normalize("NFC", "Nguyễn Thị Đào")
    assert resident.search_name == "nguyen thi dao"
    household.refresh_from_db()
    assert household.head_search_name == "nguyen thi dao"


def test_one_head_per_household(household, users):
    add_head(users["editor"], household)
    with pytest.raises(RuleViolation) as err:
        add_head(users["editor"], household, full_name="Trần Văn Bình", cccd=make_cccd("026", "M", 1980, 3))
    assert err.value.rule == "resident.one_head"
    assert Resident.objects.count() == 1


def test_cccd_unique_among_living_but_reusable_after_death(household, users):
    head = add_head(users["editor"], household)
    other = actions.create_household(users["editor"], household.commune)
    with pytest.raises(RuleViolation) as err:
        add_head(users["editor"], other, full_name="Người Khác")
    assert err.value.rule == "resident.cccd_unique"
    actions.update_resident(users["editor"], head, died_on=dt.date(2026, 1, 2))
    # The dead resident's row stays; the constraint only covers the living.
    add_head(users["editor"], other, full_name="Người Khác")
    assert Resident.objects.count() == 2


@pytest.mark.parametrize(
    ("changes", "rule"),
    [
        ({"cccd": "12345"}, "cccd.length"),
        ({"cccd": "0261800000A1"}, "cccd.digits"),
        ({"cccd": "003180000001"}, "cccd.province"),
        ({"cccd": make_cccd("026", "M", 1981, 1)}, "cccd.birth_year"),
        ({"cccd": make_cccd("026", "F", 1980, 1)}, "cccd.sex"),
        ({"date_of_birth": dt.date(2030, 1, 1), "cccd": None}, "resident.dob_future"),
        ({"full_name": "   "}, "resident.name"),
        ({"phone": "12345"}, "resident.phone"),
        ({"relation_to_head": "boss"}, "resident.relation"),
    ],
)
def test_bad_resident_input_names_field_and_rule(household, users, changes, rule):
    with pytest.raises(RuleViolation) as err:
        add_head(users["editor"], household, **changes)
    assert err.value.rule == rule
    assert err.value.vi and err.value.en
    assert Resident.objects.count() == 0


def test_update_household_rejects_village_of_other_commune(household, territory, users):
    with pytest.raises(RuleViolation) as err:
        actions.update_household(users["editor"], household, village=territory["vb"])
    assert err.value.field == "village"
    household.refresh_from_db()
    assert household.village == territory["va"]


def test_coordinates_must_pair_and_be_in_range(territory, users):
    with pytest.raises(RuleViolation):
        actions.create_household(users["editor"], territory["a"], latitude=21.0)
    with pytest.raises(RuleViolation):
        actions.create_household(users["editor"], territory["a"], latitude=95.0, longitude=105.0)
    assert Household.objects.count() == 0


def test_business_household_owner_must_live_in_commune(household, territory, users):
    head = add_head(users["editor"], household)
    business = actions.create_business_household(users["editor"], territory["a"], owner=head,
                                                  registration_number="19a8001234", trade_name="Tạp hóa An",
                                                  sector="retail")
    assert business.registration_number == "19A8001234"
    with pytest.raises(RuleViolation) as err:
        actions.create_business_household(users["editor"], territory["a"], owner=head,
                                          registration_number="19A8001234", trade_name="Khác", sector="retail")
    assert err.value.rule == "business.unique"
