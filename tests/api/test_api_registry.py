"""/api/households/, /api/residents/, /api/business-households/: scoped by commune, read-only."""

from __future__ import annotations

import datetime as dt

import pytest

from api.world import NAME_HEAD_A, PHONE_A, TRADE_NAME_A, leaked

LISTS = ["/api/households/", "/api/residents/", "/api/business-households/"]


@pytest.mark.parametrize("url", LISTS)
def test_anonymous_is_refused(world, client_for, url):
    response = client_for(None).get(url)
    assert response.status_code in (401, 403)  # 403: session authentication comes first
    assert not leaked(response.content.decode(), world.secrets_a)


@pytest.mark.parametrize(
    ("who", "communes"),
    [("editor", {"09154"}), ("reader", {"09154", "09157"}), ("outsider", {"00004"})],
)
@pytest.mark.parametrize("url", LISTS[:2])
def test_lists_hold_only_communes_in_scope(world, client_for, who, communes, url):
    response = client_for(who).get(url)
    assert response.status_code == 200
    assert {row["commune"] for row in response.json()["results"]} == communes


def test_user_without_membership_sees_empty_lists(world, client_for, django_user_model):
    django_user_model.objects.create_user("nobody", password="pw-nobody-123")
    for url in LISTS:
        assert client_for("nobody").get(url).json() == {"count": 0, "next": None, "previous": None, "results": []}


def test_outsider_gets_404_on_every_detail_of_commune_a(world, client_for):
    outsider = client_for("outsider")
    for url in [
        f"/api/households/{world['household_a'].pk}/",
        f"/api/residents/{world['head_a'].pk}/",
        f"/api/business-households/{world['business_a'].pk}/",
    ]:
        response = outsider.get(url)
        assert response.status_code == 404, url
        missing = outsider.get(url.rsplit("/", 2)[0] + "/999999/")
        assert response.json() == missing.json()  # same answer as a row that does not exist
        assert not leaked(response.content.decode(), world.secrets_a)


def test_editor_does_not_see_the_other_commune_of_its_province(world, client_for):
    assert client_for("editor").get(f"/api/residents/{world['resident_c'].pk}/").status_code == 404
    assert client_for("reader").get(f"/api/residents/{world['resident_c'].pk}/").status_code == 200


@pytest.mark.parametrize("who", ["editor", "reader"])
def test_readers_of_the_commune_get_cccd_and_phone(world, client_for, who):
    head = client_for(who).get(f"/api/residents/{world['head_a'].pk}/").json()
    assert head["full_name"] == NAME_HEAD_A
    assert head["cccd"] == world["head_a"].cccd and len(head["cccd"]) == 12
    assert head["phone"] == PHONE_A


def test_resident_serializer_hides_identifiers_outside_the_scope(world):
    from langso.accounts.access import scope_for
    from langso.registry.api import ResidentSerializer

    data = ResidentSerializer(world["head_a"], context={"scope": scope_for(world.users["outsider"])}).data
    assert data["cccd"] is None and data["phone"] is None
    assert ResidentSerializer(world["head_a"]).data["cccd"] is None  # no scope in context: nothing


def test_household_carries_head_and_village(world, client_for):
    row = client_for("editor").get(f"/api/households/{world['household_a'].pk}/").json()
    assert row["head_name"] == NAME_HEAD_A
    assert row["village_name"] == "Ngũ Kiên" and row["commune"] == "09154"
    assert (row["latitude"], row["longitude"]) == (21.3, 105.4)


def test_filters(world, client_for):
    reader = client_for("reader")
    assert reader.get("/api/households/?commune=09157").json()["count"] == 1
    assert reader.get(f"/api/households/?village={world['village_a'].pk}").json()["count"] == 1
    assert reader.get("/api/households/?active=false").json()["count"] == 0
    members = reader.get(f"/api/residents/?household={world['household_a'].pk}").json()["results"]
    assert [m["relation_to_head"] for m in members] == ["head", "spouse"]
    assert reader.get("/api/residents/?relation_to_head=spouse").json()["count"] == 1
    assert reader.get("/api/residents/?living_here=false").json()["count"] == 0
    # A commune outside the scope filters to nothing, not to an error that would confirm it.
    assert reader.get("/api/residents/?commune=00004").json()["count"] == 0
    businesses = reader.get("/api/business-households/?sector=retail&open=true").json()["results"]
    assert [b["trade_name"] for b in businesses] == [TRADE_NAME_A]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_api_is_read_only(world, client_for, method):
    editor = client_for("editor")
    detail = f"/api/households/{world['household_a'].pk}/"
    response = getattr(editor, method)(detail if method != "post" else LISTS[0], data={}, content_type="application/json")
    assert response.status_code == 405
    anonymous = getattr(client_for(None), method)(detail, data={}, content_type="application/json")
    assert anonymous.status_code in (401, 403)


def test_pages_of_100_from_settings(world, client_for, settings):
    from langso.registry.models import Household

    assert settings.REST_FRAMEWORK["PAGE_SIZE"] == 100
    # Test rows only: bulk_create skips the actions on purpose, to make 101 rows in one query.
    Household.objects.bulk_create(Household(commune=world.territory["a"]) for _ in range(101))
    editor = client_for("editor")
    first = editor.get("/api/households/").json()
    assert first["count"] == 102 and len(first["results"]) == 100 and first["previous"] is None
    second = editor.get(first["next"]).json()
    assert len(second["results"]) == 2 and second["next"] is None
    ids = [row["id"] for row in first["results"] + second["results"]]
    assert ids == sorted(ids) and len(set(ids)) == 102


def test_resident_list_has_no_n_plus_one(world, client_for, django_assert_max_num_queries):
    from langso.registry import actions

    for i in range(10):
        actions.add_resident(None, world["household_a"], full_name=f"Con {i}", date_of_birth=dt.date(2010, 1, 1),
                             sex="M", relation_to_head="child")
    editor = client_for("editor")
    # session, user, memberships, count, page: the same for 2 or 2,000 residents
    with django_assert_max_num_queries(6):
        assert editor.get("/api/residents/").json()["count"] == 12
