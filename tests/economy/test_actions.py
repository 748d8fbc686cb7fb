"""The economy actions: rules broken give RuleViolation (field, rule, vi/en) and write nothing;
successful writes are audited and derive stars, expiry, area and GS1 fields."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from langso.audit.models import AuditEntry
from langso.economy import actions
from langso.economy.models import Cooperative, Listing, Lot, Product, Store, TraceEvent
from langso.lib.errors import RuleViolation

from .conftest import FIELD, GTIN


def rule_of(exc_info) -> str:
    return exc_info.value.rule


def test_economy_is_built_and_audited(economy):
    product, area, lot = economy["product"], economy["area"], economy["lot"]
    assert product.gtin == "0" + GTIN and product.ocop_stars == 4
    assert product.ocop_expires_on == dt.date(2028, 1, 9)
    # 0.005° × 0.004° at 21.3° N ≈ 518.5 m × 443 m ≈ 23 ha
    assert Decimal("22.5") < area.area_ha < Decimal("23.5")
    assert area.growing_area_code == "VN-PTHO-0001"
    assert economy["listing"].price_vnd == 35_000
    assert [e.kind for e in lot.events.all()] == ["received", "produced", "shipped"]
    actions_logged = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"economy.cooperative.create", "economy.area.create", "economy.product.ocop", "economy.lot.create",
            "economy.lot.event", "economy.store.open", "economy.listing.create"} <= actions_logged


def test_cooperative_needs_registration_and_five_members(commune_a, users, households):
    with pytest.raises(RuleViolation) as exc:
        actions.create_cooperative(users["editor"], commune_a, kind="cooperative", name="HTX A",
                                   registered_on=dt.date(2024, 1, 1), sector="crops")
    assert rule_of(exc) == "economy.cooperative.registration" and "Hợp tác xã" in exc.value.vi
    with pytest.raises(RuleViolation) as exc:
        actions.create_cooperative(users["editor"], commune_a, kind="cooperative", name="HTX A", sector="crops",
                                   registered_on=dt.date(2024, 1, 1), registration_number="X1",
                                   member_household_ids=[households[0].pk, households[1].pk])
    assert rule_of(exc) == "economy.cooperative.members"
    group = actions.create_cooperative(users["editor"], commune_a, kind="group", name="Tổ hợp tác rau",
                                       registered_on=dt.date(2024, 1, 1), sector="crops",
                                       member_household_ids=[households[0].pk, households[1].pk])
    assert group.members.count() == 2
    assert Cooperative.objects.count() == 1


def test_members_of_another_commune_are_refused(commune_a, territory, users, households):
    from langso.registry.models import Household

    other = Household.objects.create(commune=territory["b"])
    with pytest.raises(RuleViolation) as exc:
        actions.create_cooperative(users["editor"], commune_a, kind="group", name="Tổ", sector="crops",
                                   registered_on=dt.date(2024, 1, 1), member_household_ids=[households[0].pk, other.pk])
    assert rule_of(exc) == "economy.cooperative.members_commune"


def test_ocop_score_rules(economy, users):
    product = economy["product"]
    for score, rule in ((101, "economy.ocop.score_range"), (49, "economy.ocop.score_too_low")):
        with pytest.raises(RuleViolation) as exc:
            actions.certify_ocop(users["editor"], product, score=score, certificate_number="X",
                                 certified_on=dt.date(2026, 1, 1))
        assert rule_of(exc) == rule
    updated = actions.certify_ocop(users["editor"], product, score=91, certificate_number="OCOP-5",
                                   certified_on=dt.date(2026, 2, 1))
    assert (updated.ocop_stars, updated.ocop_expires_on) == (5, dt.date(2029, 1, 31))


def test_gtin_check_digit_is_verified(economy, users):
    with pytest.raises(RuleViolation) as exc:
        actions.create_product(users["editor"], economy["lead"], name="Mật ong", group="food",
                               created_on=dt.date(2024, 1, 1), gtin="8938501001017")
    assert rule_of(exc) == "economy.product.gtin_check_digit" and exc.value.field == "gtin"
    assert Product.objects.count() == 1


def test_area_outside_the_commune_or_invalid_is_refused(commune_a, users):
    far = {"type": "Polygon", "coordinates": [[[106.0, 21.0], [106.01, 21.0], [106.01, 21.01], [106.0, 21.0]]]}
    with pytest.raises(RuleViolation) as exc:
        actions.create_raw_material_area(users["editor"], commune_a, name="Xa", crop="Lúa", geometry=far,
                                         created_on=dt.date(2024, 1, 1))
    assert rule_of(exc) == "economy.area.outside_commune"
    with pytest.raises(RuleViolation) as exc:
        actions.create_raw_material_area(users["editor"], commune_a, name="Hỏng", crop="Lúa", geometry="{",
                                         created_on=dt.date(2024, 1, 1))
    assert rule_of(exc) == "economy.area.geometry" and exc.value.field == "geometry"


def test_linkage_lead_must_be_a_cooperative_or_enterprise(economy, commune_a, users):
    with pytest.raises(RuleViolation) as exc:
        actions.create_linkage(users["editor"], commune_a, name="L", lead=economy["farm"],
                               contract_signed_on=dt.date(2024, 1, 1))
    assert rule_of(exc) == "economy.linkage.lead_kind"
    with pytest.raises(RuleViolation) as exc:
        actions.create_linkage(users["editor"], commune_a, name="L", lead=economy["lead"],
                               contract_signed_on=dt.date(2024, 1, 1), contract_ends_on=dt.date(2023, 1, 1))
    assert rule_of(exc) == "economy.linkage.dates"


def test_store_url_and_listing_price_rules(economy, users):
    with pytest.raises(RuleViolation) as exc:
        actions.open_store(users["editor"], economy["farm"], platform="shopee", name="S",
                           url="https://postmart.vn/x", opened_on=dt.date(2024, 1, 1))
    assert rule_of(exc) == "economy.store.url"
    with pytest.raises(RuleViolation) as exc:
        actions.open_store(users["editor"], economy["farm"], platform="postmart", name="S",
                           url="https://postmart.vn/gian-hang/thanh-long-vinh-phu", opened_on=dt.date(2024, 1, 1))
    assert rule_of(exc) == "economy.store.unique"
    for price in ("0", "12,5đ", "-1"):
        with pytest.raises(RuleViolation) as exc:
            actions.list_product(users["editor"], economy["store"], economy["product"], price_vnd=price,
                                 listed_on=dt.date(2024, 1, 1))
        assert rule_of(exc) in {"economy.listing.price", "economy.listing.unique"}
    with pytest.raises(RuleViolation) as exc:
        actions.list_product(users["editor"], economy["store"], economy["product"], price_vnd=40000,
                             listed_on=dt.date(2024, 1, 1))
    assert rule_of(exc) == "economy.listing.unique"
    actions.close_store(users["editor"], economy["store"], dt.date(2026, 1, 1))
    assert Listing.objects.get().withdrawn_on == dt.date(2026, 1, 1)
    assert Store.objects.get().closed_on == dt.date(2026, 1, 1)


def test_lot_and_event_rules(economy, users):
    product, lot = economy["product"], economy["lot"]
    with pytest.raises(RuleViolation) as exc:
        actions.create_lot(users["editor"], product, code="L2611-01", produced_on=dt.date(2026, 11, 1), quantity=1,
                           unit="kg")
    assert rule_of(exc) == "economy.lot.unique"
    with pytest.raises(RuleViolation) as exc:
        actions.create_lot(users["editor"], product, code="lô 1", produced_on=dt.date(2026, 11, 1), quantity=1,
                           unit="kg")
    assert rule_of(exc) == "economy.lot.code"
    with pytest.raises(RuleViolation) as exc:
        actions.add_trace_event(users["editor"], lot, kind="shipped", occurred_on=dt.date(2026, 11, 5),
                                party="Chợ đầu mối", quantity="1001")
    assert rule_of(exc) == "economy.event.over_quantity"
    with pytest.raises(RuleViolation) as exc:
        actions.add_trace_event(users["editor"], lot, kind="produced", occurred_on=dt.date(2026, 11, 5), party="X")
    assert rule_of(exc) == "economy.kind.choice"
    assert TraceEvent.objects.count() == 3 and Lot.objects.count() == 1


def test_business_household_producer_takes_its_household(commune_a, users, households, territory):
    from langso.registry.models import BusinessHousehold, Resident

    head = Resident.objects.create(household=households[3], commune=commune_a, full_name="Lê Văn Nấm",
                                   date_of_birth=dt.date(1980, 1, 1), sex="M", relation_to_head="head")
    business = BusinessHousehold.objects.create(commune=commune_a, household=households[3], owner=head,
                                                registration_number="19A8000001", trade_name="Nấm Phùng Gia",
                                                sector="agriculture")
    producer = actions.create_producer(users["editor"], commune_a, kind="business", trade_name="Nấm Phùng Gia",
                                       business=business, registered_on=dt.date(2022, 1, 1))
    assert producer.household_id == households[3].pk
    with pytest.raises(RuleViolation) as exc:
        actions.create_producer(users["editor"], commune_a, kind="enterprise", trade_name="Cty", tax_code="123",
                                registered_on=dt.date(2022, 1, 1))
    assert rule_of(exc) == "economy.producer.tax_code"


@pytest.mark.parametrize("who", ["reader", "outsider"])
def test_actions_refuse_actors_who_cannot_write_the_commune(economy, commune_a, users, who):
    from django.http import Http404

    actor = users[who]
    attempts = [
        lambda: actions.create_cooperative(actor, commune_a, kind="group", name="Tổ X", sector="crops",
                                           registered_on=dt.date(2026, 1, 1)),
        lambda: actions.certify_ocop(actor, economy["product"], score=95, certificate_number="X-1",
                                     certified_on=dt.date(2026, 1, 1)),
        lambda: actions.close_store(actor, economy["listing"].store, dt.date(2026, 2, 1)),
        lambda: actions.withdraw_listing(actor, economy["listing"], dt.date(2026, 2, 1)),
        lambda: actions.add_trace_event(actor, economy["lot"], kind="shipped", occurred_on=dt.date(2026, 2, 1),
                                        party="Chợ X"),
    ]
    before = AuditEntry.objects.count()
    for attempt in attempts:
        with pytest.raises(Http404):
            attempt()
    assert AuditEntry.objects.count() == before
    assert Store.objects.get(pk=economy["listing"].store_id).closed_on is None
