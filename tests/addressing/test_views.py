"""Addressing pages: who sees what, bulk assignment, setting a location, cards."""

from __future__ import annotations

import pytest
from django.test import Client

from addressing.conftest import CENTRE_A
from langso.addressing import actions
from langso.addressing.models import AddressCode, LocationCheck


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_commune_page_for_readers_and_writers_only(homes, users) -> None:
    a = homes["located"][0].commune
    url = f"/c/{a.code}/addresses/"
    editor = client_for(users["editor"]).get(url)
    assert editor.status_code == 200 and "Cấp mã cho các hộ còn thiếu" in editor.content.decode()
    reader = client_for(users["reader"]).get(url)
    assert reader.status_code == 200 and "Cấp mã cho các hộ còn thiếu" not in reader.content.decode()
    assert client_for(users["outsider"]).get(url).status_code == 404
    assert Client().get(url).status_code == 302


def test_assign_button_issues_checks_and_lists_outliers(homes, users) -> None:
    a = homes["located"][0].commune
    from addressing.conftest import make_household

    stray = make_household(a, homes["located"][0].village, 21.30, 105.52)
    assert client_for(users["reader"]).post(f"/c/{a.code}/addresses/assign/").status_code == 404
    response = client_for(users["editor"]).post(f"/c/{a.code}/addresses/assign/", follow=True)
    assert response.status_code == 200
    assert AddressCode.objects.count() == 6 and LocationCheck.objects.count() == 6
    page = response.content.decode()
    assert f"#{stray.pk}" in page and "ngoài xã" in page


def test_set_location_by_typed_dms_or_map_click_with_clear_errors(homes, users) -> None:
    household = homes["unlocated"]
    a = household.commune
    url = f"/c/{a.code}/households/{household.pk}/address/location/"
    editor = client_for(users["editor"])
    bad = editor.post(url, {"coordinates": "21°78'N 105°31'E"})
    assert bad.status_code == 400 and "phút và giây phải nhỏ hơn 60" in bad.content.decode()
    outside = editor.post(url, {"coordinates": "21.30, 105.52"})
    assert outside.status_code == 400 and "Vẫn lưu" in outside.content.decode()
    ok = editor.post(url, {"coordinates": "21°15'36\"N 105°31'12\"E", "issue": "on"})
    assert ok.status_code == 302
    household.refresh_from_db()
    assert round(household.latitude, 4) == 21.26 and AddressCode.objects.filter(household=household).exists()
    clicked = editor.post(url, {"latitude": "21.2601", "longitude": "105.5201"})
    assert clicked.status_code == 302
    household.refresh_from_db()
    assert household.latitude == 21.2601
    assert client_for(users["reader"]).post(url, {"coordinates": "21.26, 105.52"}).status_code == 404


def test_household_page_and_card(homes, users) -> None:
    household = homes["located"][0]
    a = household.commune
    base = f"/c/{a.code}/households/{household.pk}/address/"
    assert client_for(users["editor"]).get(base + "card.pdf").status_code == 404  # no code yet
    code = actions.issue_address_code(None, household)
    page = client_for(users["reader"]).get(base)
    assert page.status_code == 200 and code.display in page.content.decode()
    card = client_for(users["reader"]).get(base + "card.pdf")
    assert card.status_code == 200 and card["Content-Type"] == "application/pdf"
    assert client_for(users["outsider"]).get(base + "card.pdf").status_code == 404
    cards = client_for(users["editor"]).get(f"/c/{a.code}/addresses/cards.pdf?village={household.village_id}")
    assert cards.status_code == 200 and cards.content.startswith(b"%PDF")


@pytest.mark.parametrize("role", ["reader", "outsider"])
def test_official_import_view_refuses_non_writers(homes, users, role) -> None:
    a = homes["located"][0].commune
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("codes.csv", f"household,scheme,value\n{homes['located'][0].pk},ndap,0123456789\n".encode())
    response = client_for(users[role]).post(f"/c/{a.code}/addresses/identifiers/import/", {"file": upload})
    assert response.status_code == 404


def test_official_import_view_reports_errors(homes, users) -> None:
    a = homes["located"][0].commune
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("codes.csv", f"household,scheme,value\n{homes['located'][0].pk},ndap,12\n".encode())
    response = client_for(users["editor"]).post(f"/c/{a.code}/addresses/identifiers/import/", {"file": upload},
                                                follow=True)
    assert "row 2, field value" in response.content.decode()
    assert CENTRE_A


def test_a_village_bigger_than_one_pdf_is_split_into_batches(homes, users, monkeypatch) -> None:
    from langso.addressing import views

    located = homes["located"]
    village_id = located[0].village_id
    for household in located:
        actions.issue_address_code(None, household)
    printable = sum(1 for h in located if h.village_id == village_id)
    assert printable >= 2
    monkeypatch.setattr(views, "CARDS_PER_PDF", 1)  # one card per file: every household is its own batch
    a = located[0].commune
    page = client_for(users["reader"]).get(f"/c/{a.code}/addresses/").content.decode()
    assert f'value="{village_id}-2"' in page and f"2–2 / {printable}" in page
    reader = client_for(users["reader"])
    first = reader.get(f"/c/{a.code}/addresses/cards.pdf?village={village_id}")
    second = reader.get(f"/c/{a.code}/addresses/cards.pdf?village={village_id}-2")
    assert first.status_code == second.status_code == 200 and first.content != second.content
    assert "phan-2" in second["Content-Disposition"]
    assert reader.get(f"/c/{a.code}/addresses/cards.pdf?village={village_id}-{printable + 1}").status_code == 404
    assert reader.get(f"/c/{a.code}/addresses/cards.pdf?village={village_id}-0").status_code == 404
