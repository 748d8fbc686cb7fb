"""Economy rows of commune A for the access walk (tests/test_access_walk.py)."""

from __future__ import annotations

import datetime as dt

SHIPMENT_DOCUMENT_A = "PX-BIMAT-A-0001"  # a delivery note number: officers only
STORE_URL_A = "https://postmart.vn/gian-hang/kho-rieng-cua-xa-a"
GTIN_A = "8938501001016"
LOT_A = "LA-0001"


def add_economy(world) -> None:
    """A cooperative, its producer, a raw-material area, an OCOP product with GTIN, a store with a
    listing, a lot with a shipment and a linkage model of commune A, made through the economy actions."""
    from langso.economy import actions

    a, editor, household = world.territory["a"], world.users["editor"], world["household_a"]
    coop = actions.create_cooperative(editor, a, kind="group", name="Tổ hợp tác A", registered_on=dt.date(2024, 1, 1),
                                      sector="crops")
    lead = actions.create_producer(editor, a, kind="cooperative", trade_name="Tổ hợp tác A", cooperative=coop,
                                   registered_on=dt.date(2024, 1, 1))
    area = actions.create_raw_material_area(
        editor, a, name="Vùng A", crop="Lúa", created_on=dt.date(2024, 1, 1),
        geometry={"type": "Polygon", "coordinates": [[[105.0, 21.0], [105.002, 21.0], [105.002, 21.002],
                                                      [105.0, 21.0]]]})
    product = actions.create_product(editor, lead, name="Gạo A", group="food", created_on=dt.date(2024, 1, 1),
                                     gtin=GTIN_A)
    store = actions.open_store(editor, lead, platform="postmart", name="Gạo A", url=STORE_URL_A,
                               opened_on=dt.date(2024, 1, 1))
    listing = actions.list_product(editor, store, product, price_vnd=20000, listed_on=dt.date(2024, 1, 1))
    lot = actions.create_lot(editor, product, code=LOT_A, produced_on=dt.date(2026, 1, 1), raw_material_area=area,
                             quantity=100, unit="kg")
    event = actions.add_trace_event(editor, lot, kind="shipped", occurred_on=dt.date(2026, 1, 2),
                                    party="Chợ đầu mối", document=SHIPMENT_DOCUMENT_A)
    farm = actions.create_producer(editor, a, kind="household", trade_name="Nông sản hộ A", household=household,
                                   registered_on=dt.date(2024, 1, 1), declares_ecommerce=True)
    linkage = actions.create_linkage(editor, a, name="Liên kết A", lead=lead, product=product, raw_material_area=area,
                                     contract_signed_on=dt.date(2024, 1, 1), household_ids=[household.pk])
    world.objects.update({"cooperative_a": coop, "area_a": area, "product_a": product, "lot_a": lot,
                          "producer_a": farm, "store_a": store, "listing_a": listing, "event_a": event,
                          "linkage_a": linkage})
    world.secrets_a = sorted({*world.secrets_a, SHIPMENT_DOCUMENT_A, STORE_URL_A})
    world.shown_a = sorted({*world.shown_a, SHIPMENT_DOCUMENT_A, STORE_URL_A})
