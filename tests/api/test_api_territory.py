"""/api/units/ (public reference data, current and legacy, with lineage) and /api/villages/ (scoped)."""

from __future__ import annotations

import json

import pytest


def _codes(response) -> list[str]:
    return [row["code"] for row in response.json()["results"]]


def test_anonymous_is_refused_without_data(world, client_for):
    response = client_for(None).get("/api/units/")
    assert response.status_code in (401, 403)  # 403: session authentication comes first
    assert "results" not in response.json()


@pytest.mark.parametrize("who", ["editor", "reader", "outsider"])
def test_every_signed_in_user_reads_all_units(world, client_for, who):
    response = client_for(who).get("/api/units/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 6  # 2 provinces, 3 current communes, 1 legacy commune
    assert {"00004", "09154", "09157", "01", "25"} <= set(_codes(response))


def test_filters_level_province_and_validity(world, client_for):
    api = client_for("outsider")
    assert _codes(api.get("/api/units/?level=province")) == ["01", "25"]
    assert _codes(api.get("/api/units/?province=25&level=commune")) == ["09154", "09157"]
    legacy = api.get("/api/units/?valid_on=2024-01-01").json()["results"]
    assert [(u["code"], u["valid_to"]) for u in legacy] == [("09154", "2025-06-30")]
    current = api.get("/api/units/?valid_on=2026-01-01&code=09154").json()["results"]
    assert [u["id"] for u in current] == [world.territory["a"].pk]
    assert _codes(api.get("/api/units/?current=false")) == ["09154"]
    assert len(_codes(api.get("/api/units/?current=true"))) == 5
    assert api.get("/api/units/?valid_on=not-a-date").status_code == 400


def test_lineage_links_both_ways(world, client_for):
    api = client_for("reader")
    a, legacy = world.territory["a"], world["legacy_a"]
    new = api.get(f"/api/units/{a.pk}/").json()
    assert [(p["id"], p["code"], p["event"], p["valid_to"]) for p in new["predecessors"]] == [
        (legacy.pk, "09154", "merge", "2025-06-30")
    ]
    assert new["successors"] == []
    old = api.get(f"/api/units/{legacy.pk}/").json()
    assert [(s["id"], s["code"]) for s in old["successors"]] == [(a.pk, "09154")]
    assert new["province_code"] == "25" and new["parent_code"] == "25"


def test_detail_carries_boundary_as_geojson_and_list_does_not(world, client_for):
    a = world.territory["a"]
    a.boundary = json.dumps({"type": "Polygon", "coordinates": [[[105, 21], [105.1, 21], [105.1, 21.1], [105, 21]]]})
    a.save(update_fields=["boundary"])
    api = client_for("editor")
    assert api.get(f"/api/units/{a.pk}/").json()["boundary"]["type"] == "Polygon"
    assert "boundary" not in api.get("/api/units/").json()["results"][0]
    assert api.get(f"/api/units/{world.territory['b'].pk}/").json()["boundary"] is None


def test_unit_list_query_count_does_not_grow_with_rows(world, client_for, django_assert_max_num_queries):
    api = client_for("editor")
    with django_assert_max_num_queries(6):
        assert api.get("/api/units/").status_code == 200


@pytest.mark.parametrize(
    ("who", "expected"),
    [("editor", {"Ngũ Kiên"}), ("reader", {"Ngũ Kiên"}), ("outsider", {"Tổ 1"})],
)
def test_villages_are_scoped_by_commune(world, client_for, who, expected):
    response = client_for(who).get("/api/villages/")
    assert response.status_code == 200
    assert {v["name"] for v in response.json()["results"]} == expected


def test_outsider_gets_404_on_another_communes_village(world, client_for):
    url = f"/api/villages/{world['village_a'].pk}/"
    assert client_for("outsider").get(url).status_code == 404
    assert client_for("reader").get(url).json()["commune"] == "09154"
    assert client_for("editor").get("/api/villages/?commune=00004").json()["results"] == []
