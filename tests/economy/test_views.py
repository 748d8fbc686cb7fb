"""Officer pages (access: editor writes, province reader reads, outsider and anonymous get 404 or
the login page), the public trace page (GS1 Digital Link and own resolver path), label PDFs whose
QR decodes to the lot's URI, and the GeoJSON of raw-material areas."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.test import Client
from django.urls import reverse

from langso.economy.models import Lot, Product, RawMaterialArea, TraceEvent
from langso.economy.trace import lot_uri

pdfium = pytest.importorskip("pypdfium2")
zxingcpp = pytest.importorskip("zxingcpp")


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def officer_urls(code: str, e: dict) -> list[str]:
    return [
        reverse("economy:hub", args=[code]), reverse("economy:areas-geojson", args=[code]),
        reverse("economy:area", args=[code, e["area"].pk]), reverse("economy:product", args=[code, e["product"].pk]),
        reverse("economy:lot", args=[code, e["lot"].pk]), reverse("economy:lot-labels", args=[code, e["lot"].pk]),
    ]


def test_editor_and_reader_see_the_pages_outsider_gets_404(economy, commune_a, users):
    for url in officer_urls(commune_a.code, economy):
        assert client_for(users["editor"]).get(url).status_code == 200, url
        assert client_for(users["reader"]).get(url).status_code == 200, url
        assert client_for(users["outsider"]).get(url).status_code == 404, url
        assert client_for().get(url).status_code == 302, url  # to the login page


def test_hub_shows_stars_online_share_and_expiry(economy, commune_a, users):
    body = client_for(users["editor"]).get(reverse("economy:hub", args=[commune_a.code])).content.decode()
    assert "Thanh long ruột đỏ" in body and "★★★★" in body and "09/01/2028" in body
    assert "Chuỗi thanh long" in body and "VN-PTHO-0001" in body


def test_reader_cannot_write_and_nothing_changes(economy, commune_a, users):
    url = reverse("economy:product-lot", args=[commune_a.code, economy["product"].pk])
    data = {"code": "L2", "produced_on": "2026-11-10", "quantity": "10", "unit": "kg"}
    assert client_for(users["reader"]).post(url, data).status_code == 404
    assert client_for(users["outsider"]).post(url, data).status_code == 404
    assert Lot.objects.count() == 1
    response = client_for(users["editor"]).post(url, data)
    assert response.status_code == 302 and Lot.objects.count() == 2


def test_forms_show_rule_messages(economy, commune_a, users):
    editor = client_for(users["editor"])
    url = reverse("economy:product-ocop", args=[commune_a.code, economy["product"].pk])
    response = editor.post(url, {"score": "40", "certificate_number": "X", "certified_on": "2026-01-01"})
    assert response.status_code == 400 and "Under 50 points" in response.content.decode()
    url = reverse("economy:store-new", args=[commune_a.code])
    response = editor.post(url, {"producer": economy["farm"].pk, "platform": "shopee", "name": "S",
                                 "url": "https://evil.example/x", "opened_on": "2026-01-01"})
    assert "shopee.vn" in response.content.decode()


def test_area_drawn_or_imported_through_the_form(commune_a, users):
    url = reverse("economy:area-new", args=[commune_a.code])
    polygon = {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [
        [[105.60, 21.30], [105.601, 21.30], [105.601, 21.301], [105.60, 21.30]]]}}
    response = client_for(users["editor"]).post(url, {"name": "Ruộng rau", "crop": "Rau", "created_on": "2026-01-01",
                                                       "geometry": json.dumps(polygon), "uses_sensors": "on"})
    assert response.status_code == 302
    area = RawMaterialArea.objects.get()
    assert area.uses_sensors and 0.5 < float(area.area_ha) < 0.6  # half of a ~104 m × 111 m square


def test_public_trace_page_by_digital_link_and_own_path(economy, client):
    lot = economy["lot"]
    uri = lot_uri(lot)
    assert uri.endswith("/01/08938501001016/10/L2611-01")
    for url in ("/01/08938501001016/10/L2611-01", "/01/8938501001016/10/L2611-01",
                reverse("economy:trace", args=[lot.public_id])):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert "Thanh long ruột đỏ" in body and "OCOP 4" in body and "VietGAP" in body
        assert "HTX Thanh long Vĩnh Phú" in body and "Ngũ Kiên" in body  # trade name, origin village
        assert "Siêu thị nông sản Việt Trì" in body and "Đại lý vật tư Hưng Thịnh" in body
        assert "trace-map" in body
    assert client.get("/01/08938501001017/10/L2611-01").status_code == 404  # bad check digit
    assert client.get("/01/08938501001016/10/NOPE").status_code == 404
    assert client.get("/t/nope/").status_code == 404


def test_public_page_shows_no_household_data(economy, client, households):
    body = client.get(reverse("economy:trace", args=[economy["lot"].public_id])).content.decode()
    assert "Số 7" not in body and "Nông sản Ngũ Kiên" not in body


def test_label_sheet_qr_decodes_to_the_lot_uri(economy, commune_a, users):
    response = client_for(users["editor"]).get(reverse("economy:lot-labels", args=[commune_a.code, economy["lot"].pk]))
    assert response["Content-Type"] == "application/pdf"
    document = pdfium.PdfDocument(io.BytesIO(response.content))
    page = document[0]
    assert "Thanh long ruột đỏ" in page.get_textpage().get_text_range()
    image = page.render(scale=200 / 72).to_pil()
    texts = {r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode}
    assert texts == {lot_uri(economy["lot"])}


def test_product_without_gtin_uses_the_platform_path(economy, users):
    from langso.economy import actions

    product = actions.create_product(users["editor"], economy["lead"], name="Mứt thanh long", group="food",
                                     created_on=dt.date(2024, 1, 1))
    lot = actions.create_lot(users["editor"], product, code="M1", produced_on=dt.date(2026, 1, 1), quantity=5,
                             unit="pack")
    assert lot_uri(lot).endswith(f"/t/{lot.public_id}/")
    assert Product.objects.count() == 2 and TraceEvent.objects.filter(lot=lot).count() == 1


def test_areas_geojson(economy, commune_a, users):
    data = client_for(users["reader"]).get(reverse("economy:areas-geojson", args=[commune_a.code])).json()
    (feature,) = data["features"]
    assert feature["geometry"]["type"] == "Polygon" and feature["properties"]["digital"] is True


def test_raw_material_areas_are_a_map_layer_scoped_to_the_reader(economy, users):
    from langso.accounts.access import scope_for
    from langso.maps.catalogue import LayerQuery, get_layer

    layer = get_layer("raw_material_areas")
    assert layer is not None and not layer.public
    seen = layer.fetch(LayerQuery(scope=scope_for(users["reader"]), bbox=(105.5, 21.2, 105.7, 21.4)))
    assert [f["properties"]["name"] for f in seen.features] == ["Vùng thanh long"]
    assert layer.fetch(LayerQuery(scope=scope_for(users["reader"]), bbox=(106.5, 21.2, 106.7, 21.4))).features == []
    assert layer.fetch(LayerQuery(scope=scope_for(users["outsider"]))).features == []


def test_small_officer_actions(economy, commune_a, users):
    editor, reader = client_for(users["editor"]), client_for(users["reader"])
    area, farm, store = economy["area"], economy["farm"], economy["store"]
    url = reverse("economy:area-technologies", args=[commune_a.code, area.pk])
    assert reader.post(url, {"sensors": "on"}).status_code == 404
    assert editor.post(url, {"sensors": "on"}).status_code == 302
    area.refresh_from_db()
    assert (area.uses_sensors, area.uses_farming_diary) == (True, False)
    url = reverse("economy:producer-ecommerce", args=[commune_a.code, farm.pk])
    assert editor.post(url, {"declares": "1"}).status_code == 302
    farm.refresh_from_db()
    assert farm.declares_ecommerce
    url = reverse("economy:store-close", args=[commune_a.code, store.pk])
    assert client_for(users["outsider"]).post(url).status_code == 404
    assert editor.post(url).status_code == 302
    store.refresh_from_db()
    assert store.closed_on is not None and not store.listings.filter(withdrawn_on__isnull=True).exists()


def test_epcis_document_of_a_lot(economy, commune_a, users):
    url = reverse("economy:lot-epcis", args=[commune_a.code, economy["lot"].pk])
    assert client_for(users["outsider"]).get(url).status_code == 404
    doc = client_for(users["reader"]).get(url).json()
    assert doc["type"] == "EPCISDocument" and doc["schemaVersion"] == "2.0"
    events = doc["epcisBody"]["eventList"]
    assert [e["bizStep"] for e in events] == ["receiving", "commissioning", "shipping"]
    assert events[1]["action"] == "ADD" and events[1]["quantityList"] == [
        {"epcClass": "https://id.gs1.org/01/08938501001016/10/L2611-01", "quantity": 1500.0, "uom": "KGM"}]
    assert events[2]["eventTime"] == "2026-11-03T00:00:00+07:00" and events[2]["langso:party"] == "Siêu thị nông sản Việt Trì"
