"""The admin of the population register: scoped lists, 404-like answers outside the scope,
view-only for province officers, saves through registry.actions, no deletion."""

from __future__ import annotations

import datetime as dt

import pytest
from api.formdata import form_data
from api.world import NAME_HEAD_A, leaked

from langso.audit.models import AuditEntry
from langso.registry.models import Household, Resident


@pytest.fixture
def admin_for(world, client_for):
    """Test clients of staff officials (the admin requires is_staff)."""
    return lambda who: client_for(who, staff=True)


def _change_url(obj) -> str:
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/change/"


def test_officials_without_staff_flag_are_sent_to_the_admin_login(world, client_for):
    response = client_for("editor").get("/admin/registry/household/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize(
    ("who", "communes"),
    [("editor", {"09154"}), ("reader", {"09154", "09157"}), ("outsider", {"00004"})],
)
def test_changelist_is_scoped(world, admin_for, who, communes):
    response = admin_for(who).get("/admin/registry/household/")
    assert response.status_code == 200
    shown = set(response.context["cl"].result_list.values_list("commune__code", flat=True))
    assert shown == communes


def test_outsider_is_told_the_household_does_not_exist(world, admin_for):
    outsider = admin_for("outsider")
    hh = world["household_a"]
    for url in [_change_url(hh), f"/admin/registry/household/{hh.pk}/history/"]:
        response = outsider.get(url)
        assert response.status_code == 302 and response["Location"] == "/admin/"
        missing = outsider.get(url.replace(f"/{hh.pk}/", "/999999/"))
        assert (missing.status_code, missing["Location"]) == (302, "/admin/")
    assert outsider.get(f"/admin/registry/household/{hh.pk}/delete/").status_code == 403
    before = Household.objects.get(pk=hh.pk).address
    response = outsider.post(_change_url(hh), {"address": "hacked"})
    assert response.status_code in (302, 403)
    assert Household.objects.get(pk=hh.pk).address == before
    search = outsider.get("/admin/registry/resident/?q=bi+mat")
    assert not leaked(search.content.decode(), world.secrets_a)


def test_reader_views_but_cannot_change(world, admin_for):
    reader = admin_for("reader")
    head = world["head_a"]
    page = reader.get(_change_url(head))
    assert page.status_code == 200
    body = page.content.decode()
    assert NAME_HEAD_A in body and 'name="_save"' not in body
    assert reader.get("/admin/registry/resident/add/").status_code == 403
    response = reader.post(_change_url(head), {"full_name": "Đổi Tên"})
    assert response.status_code == 403
    assert Resident.objects.get(pk=head.pk).full_name == NAME_HEAD_A


def test_nobody_deletes_households_or_residents(world, admin_for, django_user_model):
    django_user_model.objects.create_superuser("root", password="pw-root-123")
    for who in ["editor", "reader", "root"]:
        client = admin_for(who)
        for obj in [world["household_a"], world["head_a"]]:
            url = f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/delete/"
            assert client.get(url).status_code == 403
            assert client.post(url, {"post": "yes"}).status_code == 403
        listing = client.get("/admin/registry/household/")
        assert "delete_selected" not in listing.content.decode()
    assert Household.objects.filter(pk=world["household_a"].pk).exists()


def test_editor_changes_a_household_through_the_action(world, admin_for):
    editor = admin_for("editor")
    hh = world["household_a"]
    data = form_data(editor.get(_change_url(hh)).content.decode())
    data.update({"address": "  Số 9   ngõ Mới ", "_save": "Save"})
    response = editor.post(_change_url(hh), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Household.objects.get(pk=hh.pk).address == "Số 9 ngõ Mới"  # NFC + spaces: the action ran
    entry = AuditEntry.objects.filter(action="household.update", target_id=str(hh.pk)).get()
    assert entry.actor == world.users["editor"] and entry.unit == world.territory["a"]
    assert entry.data == {"address": ["Số 7 ngõ Khuất Nẻo", "Số 9 ngõ Mới"]}


def test_a_broken_rule_shows_on_the_field_and_writes_nothing(world, admin_for):
    editor = admin_for("editor")
    hh = world["household_a"]
    data = form_data(editor.get("/admin/registry/resident/add/").content.decode())
    data.update({
        "household": str(hh.pk), "full_name": "Con Mới", "date_of_birth": "2001-02-03", "sex": "F",
        "relation_to_head": "child", "cccd": "025085000001",  # encodes a man born in 1985
    })
    count = AuditEntry.objects.count()
    response = editor.post("/admin/registry/resident/add/", data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "cccd" in errors and "1985" in str(errors["cccd"])  # the CCCD's birth year, named on its field
    assert not Resident.objects.filter(full_name="Con Mới").exists()
    assert AuditEntry.objects.count() == count  # the trial run was rolled back

    from langso.registry.identifiers import make_cccd

    data["cccd"] = make_cccd("025", "F", 2001, 5)
    response = editor.post("/admin/registry/resident/add/", data)
    assert response.status_code == 302
    child = Resident.objects.get(full_name="Con Mới")
    assert child.commune == world.territory["a"] and child.search_name == "con moi"
    assert AuditEntry.objects.filter(action="resident.create", target_id=str(child.pk)).count() == 1


def test_foreign_key_choices_are_limited_to_the_editors_commune(world, admin_for):
    editor = admin_for("editor")
    form = editor.get("/admin/registry/household/add/").context["adminform"].form
    assert list(form.fields["commune"].queryset) == [world.territory["a"]]
    assert list(form.fields["village"].queryset) == [world["village_a"]]
    resident_form = editor.get("/admin/registry/resident/add/").context["adminform"].form
    assert set(resident_form.fields["household"].queryset) == {world["household_a"]}

    data = {"commune": str(world.territory["b"].pk), "address": "x", "registered_on": "2026-01-01"}
    response = editor.post("/admin/registry/household/add/", data)
    assert response.status_code == 200 and "commune" in response.context["adminform"].form.errors
    assert not Household.objects.filter(commune=world.territory["b"], address="x").exists()


def test_editor_adds_a_household(world, admin_for):
    editor = admin_for("editor")
    data = form_data(editor.get("/admin/registry/household/add/").content.decode())
    data.update({"commune": str(world.territory["a"].pk), "village": str(world["village_a"].pk),
                 "address": "Nhà mới", "registered_on": "2026-11-01", "latitude": "21.1", "longitude": ""})
    response = editor.post("/admin/registry/household/add/", data)
    assert response.status_code == 200
    assert "latitude" in response.context["adminform"].form.errors  # the action wants a pair
    data["longitude"] = "105.2"
    response = editor.post("/admin/registry/household/add/", data)
    assert response.status_code == 302
    created = Household.objects.get(address="Nhà mới")
    assert created.registered_on == dt.date(2026, 11, 1)
    assert AuditEntry.objects.filter(action="household.create", target_id=str(created.pk)).exists()


def test_resident_search_folds_accents(world, admin_for):
    response = admin_for("editor").get("/admin/registry/resident/?q=Nguyễn Thị")
    assert [r.full_name for r in response.context["cl"].result_list] == [NAME_HEAD_A]


def test_autocomplete_of_households_is_scoped(world, admin_for):
    url = ("/admin/autocomplete/?app_label=registry&model_name=resident&field_name=household&term=")
    ids = {int(r["id"]) for r in admin_for("outsider").get(url).json()["results"]}
    assert ids == {world["household_b"].pk}


def test_business_households_are_view_only(world, admin_for):
    editor = admin_for("editor")
    assert editor.get(_change_url(world["business_a"])).status_code == 200
    assert editor.get("/admin/registry/businesshousehold/add/").status_code == 403
    assert editor.post(_change_url(world["business_a"]), {"trade_name": "x"}).status_code == 403


def test_editor_records_a_villages_former_commune_through_the_action(world, admin_for):
    import datetime as _dt

    from langso.territory.models import LEGACY_VALID_TO, AdministrativeUnit, UnitLineage, Village

    a, b = world.territory["a"], world.territory["b"]

    def former(code, name, successor):
        unit = AdministrativeUnit.objects.create(code=code, name=name, full_name=f"Xã {name}", unit_type="xa",
                                                 level="commune", valid_from=_dt.date(2008, 8, 1),
                                                 valid_to=LEGACY_VALID_TO)
        UnitLineage.objects.create(predecessor=unit, successor=successor, event="merge", source="test")
        return unit

    ngu_kien, elsewhere = former("09148", "Ngũ Kiên", a), former("00001", "Phúc Xá", b)
    village = world["village_a"]
    editor = admin_for("editor")
    page = editor.get(_change_url(village)).content.decode()
    assert "Ngũ Kiên" in page and "Phúc Xá" not in page  # only former communes of the editor's communes
    data = form_data(page)
    data.update({"legacy_commune": str(elsewhere.pk), "_save": "Save"})
    assert editor.post(_change_url(village), data).status_code == 200  # not a choice: refused, nothing written
    assert Village.objects.get(pk=village.pk).legacy_commune is None
    data.update({"legacy_commune": str(ngu_kien.pk)})
    response = editor.post(_change_url(village), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Village.objects.get(pk=village.pk).legacy_commune == ngu_kien
    entry = AuditEntry.objects.filter(action="village.origin", target_id=str(village.pk)).get()
    assert entry.actor == world.users["editor"] and entry.data == {"legacy_commune": [None, ngu_kien.pk]}
    reader = admin_for("reader")
    assert reader.post(_change_url(village), data).status_code == 403
