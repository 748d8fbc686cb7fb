"""Public thematic maps and the OGC API – Features endpoint: open to anyone, never personal data."""

from __future__ import annotations

import pytest
from django.test import Client

from langso.addressing import actions as addressing


@pytest.fixture
def world(homes, places):
    a = homes["located"][0].commune
    addressing.assign_codes(None, a)
    from langso.registry.actions import add_resident
    import datetime as dt

    add_resident(None, homes["located"][0], full_name="Lê Thị Riêng Tư", date_of_birth=dt.date(1970, 5, 5), sex="F",
                 relation_to_head="head")
    return {"a": a, "homes": homes, "places": places}


def _private_strings(world) -> list[str]:
    from langso.addressing.models import AddressCode

    codes = list(AddressCode.objects.values_list("code", flat=True))
    return ["Lê Thị Riêng Tư", "Kho lưu trữ nội bộ", "Cửa hàng đã đóng", "households.geojson"] + codes + [
        f"{h.latitude:.6f}" for h in world["homes"]["located"]]


@pytest.mark.parametrize("theme,expected", [
    ("tourism", "Homestay Vườn Nhãn"), ("education", "Trường Tiểu học Ngũ Kiên"), ("health", "Trạm Y tế xã Vĩnh Phú"),
])
def test_public_maps_show_places_and_nothing_private(world, theme, expected) -> None:
    for url in (f"/maps/{theme}/", f"/maps/{theme}/?commune={world['a'].code}"):
        response = Client().get(url)
        body = response.content.decode()
        assert response.status_code == 200 and expected in body
        for secret in _private_strings(world):
            assert secret not in body, (url, secret)
    assert Client().get("/maps/officials/").status_code == 404


def test_public_layers_are_geojson_without_households(world) -> None:
    for key in ("communes", "villages", "education", "health", "tourism"):
        response = Client().get(f"/maps/public/{key}.geojson?province=25")
        assert response.status_code == 200 and response["Content-Type"] == "application/geo+json"
        body = response.content.decode()
        for secret in _private_strings(world):
            assert secret not in body, (key, secret)
    tourism = Client().get("/maps/public/tourism.geojson").json()
    assert [f["properties"]["name"] for f in tourism["features"]] == ["Homestay Vườn Nhãn"]


def test_ogc_landing_conformance_collections(world) -> None:
    landing = Client().get("/ogc/").json()
    rels = {link["rel"] for link in landing["links"]}
    assert {"self", "conformance", "data"} <= rels
    conformance = Client().get("/ogc/conformance").json()["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core" in conformance
    collections = Client().get("/ogc/collections").json()["collections"]
    ids = {c["id"] for c in collections}
    assert {"communes", "villages", "education", "health", "tourism"} <= ids  # other apps may add theirs
    assert not ids & {"households", "location_outliers"}
    assert Client().get("/ogc/collections/households").status_code == 404
    assert Client().get("/ogc/collections/households/items").status_code == 404
    one = Client().get("/ogc/collections/communes").json()
    assert one["extent"]["spatial"]["bbox"] == [[105.5, 21.24, 105.54, 21.28]]


def test_ogc_items_bbox_limit_paging_and_single_feature(world, place_a) -> None:
    from langso.maps import actions

    for i in range(4):
        actions.create_place(None, place_a["a"], category="sight", name=f"Điểm {i}", latitude=21.25 + i / 1000,
                             longitude=105.51)
    first = Client().get("/ogc/collections/tourism/items?limit=2").json()
    assert first["numberMatched"] == 5 and first["numberReturned"] == 2
    next_link = next(link["href"] for link in first["links"] if link["rel"] == "next")
    second = Client().get(next_link.replace("http://testserver", "")).json()
    assert second["numberReturned"] == 2 and any(link["rel"] == "prev" for link in second["links"])
    ids = {f["id"] for f in first["features"]} | {f["id"] for f in second["features"]}
    assert len(ids) == 4
    boxed = Client().get("/ogc/collections/tourism/items?bbox=105.505,21.249,105.515,21.2515").json()
    assert sorted(f["properties"]["name"] for f in boxed["features"]) == ["Điểm 0", "Điểm 1"]
    feature_id = first["features"][0]["id"]
    single = Client().get(f"/ogc/collections/tourism/items/{feature_id}")
    assert single.status_code == 200 and single.json()["id"] == feature_id
    assert Client().get("/ogc/collections/tourism/items/999999").status_code == 404
    assert Client().get(f"/ogc/collections/tourism/items/{world['places']['internal'].pk}").status_code == 404
    assert Client().get("/ogc/collections/tourism/items?bbox=1,2").status_code == 400
    assert Client().get("/ogc/collections/tourism/items?limit=0").status_code == 400
    commune = Client().get(f"/ogc/collections/communes/items/{place_a['a'].code}").json()
    assert commune["properties"]["code"] == place_a["a"].code
