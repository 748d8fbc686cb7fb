"""Fixtures of the economy tests: households of commune A (ORM), and a small economy built through
the actions — a cooperative, producers, a raw-material area inside A's boundary, a key product
with GTIN and OCOP stars, a linkage, a store with a listing and a lot with events."""

from __future__ import annotations

import datetime as dt

import pytest

from langso.economy import actions
from langso.registry.models import Household

TODAY = dt.date(2026, 11, 29)
# A 0.1° square around (105.6 E, 21.3 N): commune A's boundary in these tests.
BOUNDARY_A = ('{"type":"Polygon","coordinates":[[[105.55,21.25],[105.65,21.25],[105.65,21.35],'
              '[105.55,21.35],[105.55,21.25]]]}')
FIELD = {"type": "Polygon", "coordinates": [[[105.60, 21.30], [105.605, 21.30], [105.605, 21.304],
                                             [105.60, 21.304], [105.60, 21.30]]]}
GTIN = "8938501001016"


@pytest.fixture
def commune_a(territory):
    a = territory["a"]
    a.boundary = BOUNDARY_A
    a.save(update_fields=["boundary"])
    return a


@pytest.fixture
def households(commune_a, territory):
    return Household.objects.bulk_create([
        Household(commune=commune_a, village=territory["va"], address=f"Số {i}") for i in range(10)
    ])


@pytest.fixture
def economy(commune_a, territory, users, households):
    """A small economy of commune A, built by the editor through the actions."""
    editor = users["editor"]
    ids = [h.pk for h in households]
    coop = actions.create_cooperative(editor, commune_a, kind="cooperative", name="HTX Thanh long Vĩnh Phú",
                                      registered_on=dt.date(2020, 1, 1), sector="crops", registration_number="HTX-01",
                                      member_household_ids=ids[:6])
    lead = actions.create_producer(editor, commune_a, kind="cooperative", trade_name="HTX Thanh long Vĩnh Phú",
                                   cooperative=coop, registered_on=dt.date(2020, 1, 1), village=territory["va"])
    farm = actions.create_producer(editor, commune_a, kind="household", trade_name="Nông sản Ngũ Kiên",
                                   household=households[7], registered_on=dt.date(2021, 1, 1))
    area = actions.create_raw_material_area(editor, commune_a, name="Vùng thanh long", crop="Thanh long",
                                            geometry=FIELD, created_on=dt.date(2021, 1, 1), village=territory["va"],
                                            growing_area_code="vn-ptho-0001", uses_farming_diary=True)
    product = actions.create_product(editor, lead, name="Thanh long ruột đỏ", group="food",
                                     created_on=dt.date(2021, 1, 1), gtin=GTIN, is_key_product=True, vietgap=True)
    product = actions.certify_ocop(editor, product, score=72, certificate_number="OCOP-25-0001",
                                   certified_on=dt.date(2025, 1, 10))
    linkage = actions.create_linkage(editor, commune_a, name="Chuỗi thanh long", lead=lead, product=product,
                                     raw_material_area=area, contract_signed_on=dt.date(2024, 1, 1),
                                     contract_ends_on=dt.date(2027, 12, 31), volume_tonnes_per_year="120",
                                     household_ids=ids[:8])
    store = actions.open_store(editor, lead, platform="postmart", name="Thanh long Vĩnh Phú",
                               url="https://postmart.vn/gian-hang/thanh-long-vinh-phu", opened_on=dt.date(2024, 3, 1))
    listing = actions.list_product(editor, store, product, price_vnd="35.000", listed_on=dt.date(2024, 3, 1))
    lot = actions.create_lot(editor, product, code="L2611-01", produced_on=dt.date(2026, 11, 1),
                             harvested_on=dt.date(2026, 10, 31), raw_material_area=area, quantity="1500", unit="kg")
    actions.add_trace_event(editor, lot, kind="received", occurred_on=dt.date(2026, 10, 20),
                            party="Đại lý vật tư Hưng Thịnh", place="Vĩnh Phú")
    actions.add_trace_event(editor, lot, kind="shipped", occurred_on=dt.date(2026, 11, 3),
                            party="Siêu thị nông sản Việt Trì", quantity="500")
    return {"coop": coop, "lead": lead, "farm": farm, "area": area, "product": product, "linkage": linkage,
            "store": store, "listing": listing, "lot": lot}
