"""Points of interest: actions (validation, audit, no deletion) and the officers' pages."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.test import Client

from langso.audit.models import AuditEntry
from langso.lib.errors import RuleViolation
from langso.maps import actions
from langso.maps.models import Place


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_create_update_close_with_audit(place_a, users) -> None:
    a = place_a["a"]
    place = actions.create_place(users["editor"], a, category="school", name="  Trường  Mầm non A ",
                                 coordinates="21°15'36\"N 105°31'12\"E")
    assert place.name == "Trường Mầm non A" and round(place.latitude, 4) == 21.26
    actions.update_place(users["editor"], place, name="Trường Mầm non Ngũ Kiên", category="kindergarten")
    actions.close_place(users["editor"], place)
    place.refresh_from_db()
    assert place.category.key == "kindergarten" and place.closed_on is not None
    assert list(AuditEntry.objects.filter(target_type="maps.Place").values_list("action", flat=True).order_by("pk")) == [
        "place.create", "place.update", "place.update"]
    assert Place.objects.count() == 1


@pytest.mark.parametrize("values,rule", [
    ({"category": "nope", "name": "X", "latitude": 21.26, "longitude": 105.52}, "place.category"),
    ({"category": "school", "name": " ", "latitude": 21.26, "longitude": 105.52}, "place.name"),
    ({"category": "school", "name": "X", "latitude": 21.30, "longitude": 105.52}, "location.outside_commune"),
    ({"category": "school", "name": "X", "coordinates": "105.52, 21.26"}, "coordinates.swapped"),
    ({"category": "school", "name": "X", "latitude": 21.26, "longitude": 105.52, "website": "ftp://x"}, "place.website"),
])
def test_bad_values_are_refused(place_a, values, rule) -> None:
    with pytest.raises(RuleViolation) as info:
        actions.create_place(None, place_a["a"], **values)
    assert info.value.rule == rule


def test_duplicates_and_outsiders(place_a, users) -> None:
    a = place_a["a"]
    actions.create_place(None, a, category="school", name="Trường A", latitude=21.26, longitude=105.52)
    with pytest.raises(RuleViolation) as info:
        actions.create_place(None, a, category="school", name="Trường A", latitude=21.261, longitude=105.521)
    assert info.value.rule == "place.unique"
    for role in ("reader", "outsider"):
        with pytest.raises(Http404):
            actions.create_place(users[role], a, category="school", name="Trường B", latitude=21.26, longitude=105.52)


def test_officer_pages(place_a, users, places) -> None:
    a = place_a["a"]
    editor = client_for(users["editor"])
    listing = editor.get(f"/c/{a.code}/places/")
    assert listing.status_code == 200 and "Kho lưu trữ nội bộ" in listing.content.decode()
    assert client_for(users["reader"]).get(f"/c/{a.code}/places/").status_code == 200
    assert client_for(users["reader"]).get(f"/c/{a.code}/places/new/").status_code == 404
    assert client_for(users["outsider"]).get(f"/c/{a.code}/places/").status_code == 404
    created = editor.post(f"/c/{a.code}/places/new/", {"category": "sight", "name": "Đình Ngũ Kiên",
                                                        "coordinates": "21.2605, 105.5205", "public": "on"})
    assert created.status_code == 302 and Place.objects.filter(name="Đình Ngũ Kiên", public=True).exists()
    refused = editor.post(f"/c/{a.code}/places/new/", {"category": "sight", "name": "Xa", "coordinates": "21.3, 105.52"})
    assert refused.status_code == 400 and "Vẫn lưu" in refused.content.decode()
    school = places["school"]
    edit = editor.post(f"/c/{a.code}/places/{school.pk}/edit/", {"category": "school", "name": "Trường TH Ngũ Kiên",
                                                                  "coordinates": "21.261, 105.521", "public": "on"})
    assert edit.status_code == 302
    school.refresh_from_db()
    assert school.name == "Trường TH Ngũ Kiên"
    assert client_for(users["reader"]).get(f"/c/{a.code}/places/{school.pk}/edit/").status_code == 404
