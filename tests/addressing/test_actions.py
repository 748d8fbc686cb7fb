"""Issuing codes (one household, a commune, a province), setting locations, official identifiers."""

from __future__ import annotations

import pytest
from django.http import Http404

from addressing.conftest import CENTRE_A, make_household
from langso.addressing import actions, codes
from langso.addressing.models import AddressCode, CodeCell, LocationCheck, OfficialIdentifier
from langso.audit.models import AuditEntry
from langso.lib.errors import RuleViolation


def test_issue_derives_the_code_from_the_point_and_is_idempotent(homes, users) -> None:
    household = homes["located"][0]
    code = actions.issue_address_code(users["editor"], household)
    assert code.cell == codes.cell_of(household.latitude, household.longitude)
    assert code.serial == 1 and codes.is_check_valid(code.code)
    assert (code.anchor_lat, code.anchor_lon) == (household.latitude, household.longitude)
    assert actions.issue_address_code(users["editor"], household).pk == code.pk
    assert AddressCode.objects.count() == 1
    assert AuditEntry.objects.filter(action="address_code.issue").count() == 1


def test_issue_needs_a_point_and_a_writer(homes, users) -> None:
    with pytest.raises(RuleViolation) as info:
        actions.issue_address_code(None, homes["unlocated"])
    assert info.value.rule == "address_code.no_location"
    for role in ("reader", "outsider"):
        with pytest.raises(Http404):
            actions.issue_address_code(users[role], homes["located"][0])
    assert not AddressCode.objects.exists()


def test_bulk_assignment_is_idempotent_and_serials_follow_per_cell(homes, users) -> None:
    report = actions.assign_codes(users["editor"], homes["located"][0].commune)
    assert (report.issued, report.already, report.unlocated) == (5, 0, 1)
    again = actions.assign_codes(users["editor"], homes["located"][0].commune)
    assert (again.issued, again.already) == (0, 5)
    rows = list(AddressCode.objects.values_list("cell", "serial"))
    assert len(set(rows)) == 5
    for cell in {c for c, _ in rows}:
        serials = sorted(s for c, s in rows if c == cell)
        assert serials == list(range(1, len(serials) + 1))
        assert CodeCell.objects.get(cell=cell).last_serial == len(serials)


def test_codes_survive_a_location_correction_and_a_commune_merge(homes, place_a) -> None:
    household = homes["located"][0]
    code = actions.issue_address_code(None, household)
    actions.set_household_location(None, household, text="21.2700, 105.5300")
    household.refresh_from_db()
    assert AddressCode.objects.get(household=household).code == code.code
    assert codes.distance_to_cell_m(code.code, household.latitude, household.longitude) > 1000
    # A merge moves the household to another commune row: the code does not name the commune.
    household.commune = place_a["c"]
    household.save(update_fields=["commune"])
    assert AddressCode.objects.get(household=household).code == code.code


def test_province_assignment_covers_every_writable_commune(place_a, users) -> None:
    a, c = place_a["a"], place_a["c"]
    make_household(a, None, 21.25, 105.51)
    make_household(c, None, 21.40, 105.70)
    report = actions.assign_codes_for_province(None, place_a["p25"])
    assert report.issued == 2 and report.communes == 2
    with pytest.raises(RuleViolation):
        actions.assign_codes_for_province(None, a)
    # An officer of A assigning "the province" reaches only A.
    make_household(c, None, 21.41, 105.71)
    assert actions.assign_codes_for_province(users["editor"], place_a["p25"]).issued == 0


def test_points_outside_the_grid_are_skipped_and_reported(place_a) -> None:
    far = make_household(place_a["a"], None, 48.85, 2.35)
    report = actions.assign_codes(None, place_a["a"])
    assert report.outside_grid == [far.pk] and report.issued == 0


def test_set_location_parses_checks_and_refuses_a_point_outside_the_commune(homes, users) -> None:
    household = homes["unlocated"]
    outcome = actions.set_household_location(users["editor"], household, text="21°15'36\"N 105°31'12\"E",
                                             issue_code=True)
    household.refresh_from_db()
    assert (round(household.latitude, 4), round(household.longitude, 4)) == (21.26, 105.52)
    assert outcome.verdict.inside_commune is True and outcome.code is not None
    check = LocationCheck.objects.get(household=household)
    assert check.inside_commune and check.near_village and check.latitude == household.latitude
    with pytest.raises(RuleViolation) as info:
        actions.set_household_location(users["editor"], household, latitude=21.30, longitude=105.52)
    assert info.value.rule == "location.outside_commune" and "m outside" in info.value.en
    household.refresh_from_db()
    assert household.latitude == pytest.approx(21.26)
    outcome = actions.set_household_location(users["editor"], household, latitude=21.30, longitude=105.52,
                                             allow_outside=True)
    assert outcome.verdict.inside_commune is False and 2000 < outcome.verdict.outside_by_m < 2400
    with pytest.raises(Http404):
        actions.set_household_location(users["reader"], household, text=f"{CENTRE_A[0]}, {CENTRE_A[1]}")


def test_official_identifiers_import_all_or_nothing(homes, users) -> None:
    a = homes["located"][0].commune
    code = actions.issue_address_code(None, homes["located"][1])
    csv_text = (
        "household,address_code,scheme,value\n"
        f"{homes['located'][0].pk},,vpostcode,15000 ab1c2d3\n"
        f",{code.display},ndap,0123456789\n"
    )
    assert actions.import_official_identifiers(users["editor"], a, csv_text, source="vnpost.csv") == 2
    assert OfficialIdentifier.objects.get(household=homes["located"][0]).value == "15000AB1C2D3"
    bad = f"household,scheme,value\n{homes['located'][2].pk},location_id,012345678901\n{homes['located'][3].pk},ndap,12\n"
    with pytest.raises(RuleViolation) as info:
        actions.import_official_identifiers(users["editor"], a, bad)
    assert info.value.field == "row 3, field value" and "10 digits" in info.value.en
    assert not OfficialIdentifier.objects.filter(scheme="location_id").exists()
    taken = f"household,scheme,value\n{homes['located'][4].pk},ndap,0123456789\n"
    with pytest.raises(RuleViolation) as info:
        actions.import_official_identifiers(users["editor"], a, taken)
    assert info.value.rule == "identifier.unique"
    with pytest.raises(Http404):
        actions.import_official_identifiers(users["outsider"], a, csv_text)
