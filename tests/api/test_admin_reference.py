"""Admin of reference data (units, indicators: read-only but for the superuser), of rows only
programs write (indicator values, the audit log: read-only, scoped by unit) and memberships
(superuser only, through accounts.actions)."""

from __future__ import annotations

import pytest
from api.formdata import form_data

from langso.accounts.models import Membership
from langso.audit.models import AuditEntry


@pytest.fixture
def admin_for(world, client_for):
    return lambda who: client_for(who, staff=True)


@pytest.fixture
def root(world, django_user_model):
    return django_user_model.objects.create_superuser("root", password="pw-root-123")


@pytest.mark.parametrize("who", ["editor", "reader", "outsider"])
def test_officials_view_units_and_indicators_but_change_nothing(world, admin_for, who):
    client = admin_for(who)
    a = world.territory["a"]
    for url in [f"/admin/territory/administrativeunit/{a.pk}/change/",
                f"/admin/indicators/indicator/{world['indicator'].pk}/change/",
                f"/admin/territory/unitlineage/{world['lineage_a'].pk}/change/"]:
        page = client.get(url)
        assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
        assert client.post(url, {"name": "x"}).status_code == 403
    assert client.get("/admin/territory/administrativeunit/add/").status_code == 403
    a.refresh_from_db()
    assert a.name == "Vĩnh Phú"


def test_superuser_changes_a_unit_and_the_change_is_audited(world, client_for, root):
    client = client_for("root")
    a = world.territory["a"]
    url = f"/admin/territory/administrativeunit/{a.pk}/change/"
    data = form_data(client.get(url).content.decode())
    data["name_en"] = "Vinh Phu"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    a.refresh_from_db()
    assert a.name_en == "Vinh Phu"
    entry = AuditEntry.objects.get(action="territory_administrativeunit.update")
    assert entry.actor == root and entry.data == {"name_en": "Vinh Phu"}
    assert client.get(f"/admin/territory/administrativeunit/{a.pk}/delete/").status_code == 403


@pytest.mark.parametrize(
    ("who", "units"),
    [("editor", {"09154"}), ("reader", {"09154", "09157", "25"}), ("outsider", {"00004"})],
)
def test_indicator_values_are_scoped_and_read_only(world, admin_for, who, units):
    client = admin_for(who)
    response = client.get("/admin/indicators/indicatorvalue/")
    assert {v.unit.code for v in response.context["cl"].result_list} == units
    p25 = world["values"]["p25"]
    page = client.get(f"/admin/indicators/indicatorvalue/{p25.pk}/change/")
    if "25" in units:
        assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    else:
        assert (page.status_code, page["Location"]) == (302, "/admin/")


@pytest.mark.parametrize(
    ("who", "units"),
    [("editor", {"09154"}), ("reader", {"09154", "09157"}), ("outsider", {"00004"})],
)
def test_audit_log_is_scoped_by_unit_and_read_only(world, admin_for, who, units):
    client = admin_for(who)
    entries = client.get("/admin/audit/auditentry/").context["cl"].result_list
    assert {e.unit.code for e in entries} == units
    entry = world["audit_a"]
    page = client.get(f"/admin/audit/auditentry/{entry.pk}/change/")
    assert page.status_code == (200 if "09154" in units else 302)
    assert client.get("/admin/audit/auditentry/add/").status_code == 403
    assert client.post(f"/admin/audit/auditentry/{entry.pk}/change/", {"action": "x"}).status_code in (302, 403)
    assert client.get(f"/admin/audit/auditentry/{entry.pk}/delete/").status_code == 403


def test_system_entries_without_a_unit_are_for_the_superuser_only(world, admin_for, client_for, root):
    from langso.audit.log import record

    entry = record(None, "system.job", target_type="job", target_id="1")
    assert admin_for("reader").get(f"/admin/audit/auditentry/{entry.pk}/change/").status_code == 302
    assert client_for("root").get(f"/admin/audit/auditentry/{entry.pk}/change/").status_code == 200


@pytest.mark.parametrize("who", ["editor", "reader", "outsider"])
def test_memberships_are_hidden_from_officials(world, admin_for, who):
    client = admin_for(who)
    assert client.get("/admin/accounts/membership/").status_code == 403
    assert client.get(f"/admin/accounts/membership/{world['membership_editor'].pk}/change/").status_code == 403
    assert client.get("/admin/accounts/").status_code == 404
    index = client.get("/admin/").content.decode()
    assert "/admin/accounts/membership/" not in index and "/admin/registry/household/" in index


def test_superuser_grants_through_the_action(world, client_for, root):
    client = client_for("root")
    reader = world.users["reader"]
    data = {"user": str(reader.pk), "unit": str(world.territory["a"].pk), "role": "province_officer"}
    response = client.post("/admin/accounts/membership/add/", data)
    assert response.status_code == 200 and "unit" in response.context["adminform"].form.errors
    data["role"] = "commune_officer"
    assert client.post("/admin/accounts/membership/add/", data).status_code == 302
    membership = Membership.objects.get(user=reader, unit=world.territory["a"])
    assert AuditEntry.objects.filter(action="membership.grant", target_id=str(membership.pk), actor=root).exists()
    response = client.post(f"/admin/accounts/membership/{membership.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert AuditEntry.objects.filter(action="membership.revoke", target_id=str(membership.pk)).exists()
