"""The layer catalogue and the layers: discovery, scope, clusters at low zoom, points at high zoom."""

from __future__ import annotations

import json

from django.test import Client

from langso.accounts.access import scope_for
from langso.addressing import actions, clusters
from langso.maps import catalogue
from langso.maps.catalogue import LayerQuery

VIEW_A = (105.50, 21.24, 105.54, 21.28)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_catalogue_collects_every_apps_layers_and_keeps_households_private() -> None:
    layers = catalogue.all_layers()
    assert {"communes", "villages", "education", "health", "tourism", "households", "location_outliers"} <= set(layers)
    assert not layers["households"].public and not layers["location_outliers"].public
    tourism = {layer.key for layer in catalogue.layers_for_theme("tourism")}
    assert {"communes", "villages", "tourism"} <= tourism and not tourism & {"households", "education"}
    assert all(layer.public for theme in ("education", "health", "tourism") for layer in catalogue.layers_for_theme(theme))
    assert set(catalogue.all_layers()) == {layer.key for layer in catalogue.layers_for_theme("officials")}


def test_households_are_clustered_zoomed_out_and_points_zoomed_in(homes, users) -> None:
    a = homes["located"][0].commune
    actions.assign_codes(None, a)
    clusters.refresh_commune(a)
    layer = catalogue.get_layer("households")
    scope = scope_for(users["editor"])
    zoomed_out = layer.fetch(LayerQuery(scope=scope, bbox=VIEW_A, zoom=10))
    assert zoomed_out.clustered and sum(f["properties"]["count"] for f in zoomed_out.features) == 5
    zoomed_in = layer.fetch(LayerQuery(scope=scope, bbox=VIEW_A, zoom=17))
    assert not zoomed_in.clustered and len(zoomed_in.features) == 5
    props = zoomed_in.features[0]["properties"]
    assert set(props) == {"kind", "code", "url"} and len(props["code"]) == 10
    outsider = layer.fetch(LayerQuery(scope=scope_for(users["outsider"]), bbox=VIEW_A, zoom=17))
    assert outsider.features == []
    assert layer.fetch(LayerQuery(scope=scope_for(users["outsider"]), bbox=VIEW_A, zoom=10)).features == []


def test_clusters_follow_changes_when_the_map_is_opened(homes, users) -> None:
    a = homes["located"][0].commune
    assert clusters.ensure_fresh([a]) == 1
    assert clusters.ensure_fresh([a]) == 0
    actions.set_household_location(None, homes["unlocated"], text="21.2605, 105.5205")
    assert clusters.ensure_fresh([a]) == 1
    response = client_for(users["editor"]).get(f"/maps/data/households.geojson?bbox={','.join(map(str, VIEW_A))}&zoom=9"
                                               f"&commune={a.code}")
    assert sum(f["properties"]["count"] for f in response.json()["features"]) == 6


def test_official_layer_endpoint_needs_a_login_and_respects_scope(homes, users) -> None:
    a = homes["located"][0].commune
    url = f"/maps/data/households.geojson?bbox={','.join(map(str, VIEW_A))}&zoom=17"
    assert Client().get(url).status_code == 302
    assert len(client_for(users["reader"]).get(url).json()["features"]) == 5
    assert client_for(users["outsider"]).get(url).json()["features"] == []
    assert client_for(users["outsider"]).get(url + f"&commune={a.code}").status_code == 404
    assert client_for(users["editor"]).get("/maps/data/households.geojson?bbox=1,2,3").status_code == 400
    assert Client().get("/maps/public/households.geojson").status_code == 404


def test_outlier_layer_lists_points_outside_the_commune(homes, users) -> None:
    from addressing.conftest import make_household

    a = homes["located"][0].commune
    stray = make_household(a, homes["located"][0].village, 21.30, 105.52)
    actions.check_locations(None, a)
    body = client_for(users["editor"]).get("/maps/data/location_outliers.geojson?bbox=105.4,21.2,105.6,21.4").json()
    assert [f["id"] for f in body["features"]] == [stray.pk]
    assert body["features"][0]["properties"]["inside_commune"] is False


def test_village_areas_are_voronoi_cells_clipped_to_the_commune(place_a) -> None:
    from shapely.geometry import shape

    from langso.territory.models import Village

    a = place_a["a"]
    Village.objects.create(commune=a, name="Thôn Hai", village_type="thon", centre_lat=21.27, centre_lon=105.53)
    body = json.loads(Client().get(f"/maps/public/villages.geojson?commune={a.code}").content)
    areas = [shape(f["geometry"]) for f in body["features"]]
    assert len(areas) == 2 and all(f["properties"]["approximate"] for f in body["features"])
    assert abs(sum(area.area for area in areas) - 0.04 * 0.04) < 1e-6
    assert areas[0].intersection(areas[1]).area < 1e-9


def test_commune_map_page_for_officials(homes, users) -> None:
    a = homes["located"][0].commune
    page = client_for(users["editor"]).get(f"/c/{a.code}/map/")
    assert page.status_code == 200 and b"map-config" in page.content
    assert client_for(users["outsider"]).get(f"/c/{a.code}/map/").status_code == 404
    assert client_for(users["reader"]).get(f"/p/{a.province.code}/map/").status_code == 200
    assert client_for(users["editor"]).get(f"/p/{a.province.code}/map/").status_code == 404


def test_search_by_code_number_and_name_in_scope(homes, users) -> None:
    from langso.registry.actions import add_resident
    import datetime as dt

    a = homes["located"][0].commune
    household = homes["located"][0]
    add_resident(None, household, full_name="Nguyễn Văn Tìm", date_of_birth=dt.date(1980, 1, 1), sex="M",
                 relation_to_head="head")
    code = actions.issue_address_code(None, household)
    editor = client_for(users["editor"])
    for q in (code.display.lower(), str(household.pk), "van tim"):
        results = editor.get("/maps/search/", {"q": q}).json()["results"]
        assert [r["id"] for r in results] == [household.pk], q
    assert editor.get("/maps/search/", {"q": "van tim"}).json()["results"][0]["head"] == "Nguyễn Văn Tìm"
    assert client_for(users["outsider"]).get("/maps/search/", {"q": code.code}).json()["results"] == []
    assert client_for(users["outsider"]).get("/maps/search/", {"q": "x", "commune": a.code}).status_code == 404
