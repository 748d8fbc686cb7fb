"""Economy metrics through the indicator engine's one-query-per-model counter."""

from __future__ import annotations

import datetime as dt

from langso.economy import actions
from langso.indicators.engine import count_metrics

CODES = ["economy.households_using_ecommerce", "economy.marketplace_stores", "economy.communes_with_cooperative",
         "economy.linkage_models", "economy.linkage_models_key_product", "economy.linkage_models_with_area",
         "economy.linkage_models_with_area_digital", "economy.ocop_products", "economy.ocop_products_online"]


def test_counts_per_commune(economy, commune_a, territory, users):
    a = commune_a.pk
    today = dt.date(2026, 11, 29)
    # the farm household declares online sales; the cooperative's store has no household
    actions.set_declares_ecommerce(users["editor"], economy["farm"], True)
    counts = count_metrics(CODES, today)
    assert counts["economy.households_using_ecommerce"] == {a: 1}
    assert counts["economy.marketplace_stores"] == {a: 1}
    assert counts["economy.communes_with_cooperative"] == {a: 1}  # C and B have none: no row
    assert counts["economy.linkage_models"] == {a: 1}
    assert counts["economy.linkage_models_key_product"] == {a: 1}
    assert counts["economy.linkage_models_with_area"] == {a: 1}
    assert counts["economy.linkage_models_with_area_digital"] == {a: 1}
    assert counts["economy.ocop_products"] == {a: 1}
    assert counts["economy.ocop_products_online"] == {a: 1}


def test_counts_follow_dates(economy, commune_a, users):
    a = commune_a.pk
    before = count_metrics(CODES, dt.date(2023, 6, 1))
    assert before["economy.ocop_products"] == {} and before["economy.linkage_models"] == {}
    assert before["economy.communes_with_cooperative"] == {}  # the merged commune exists from 1 July 2025
    actions.set_area_technologies(users["editor"], economy["area"], traceability=False, farming_diary=False,
                                  sensors=False)
    actions.close_store(users["editor"], economy["store"], dt.date(2026, 6, 1))
    after = count_metrics(CODES, dt.date(2026, 11, 29))
    assert after["economy.linkage_models_with_area_digital"] == {}
    assert after["economy.ocop_products_online"] == {} and after["economy.marketplace_stores"] == {}
    later = count_metrics(CODES, dt.date(2028, 2, 1))  # certificate expired on 9 Jan 2028
    assert later["economy.ocop_products"] == {} and later["economy.linkage_models"] == {}
