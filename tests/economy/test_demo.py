"""The demo: the five typical products with stars and lots, areas inside the commune boundary,
deterministic and idempotent."""

from __future__ import annotations

from langso.economy import geo
from langso.economy.demo import issue_demo_economy
from langso.economy.models import LinkageModel, Lot, Product, RawMaterialArea


def test_demo_issues_the_typical_products_once(commune_a, territory, households):
    counts = issue_demo_economy(7, [commune_a.code, territory["c"].code])
    assert counts["products"] == 5 and counts["lots"] == 15 and counts["areas"] == 2 and counts["linkages"] == 3
    names = set(Product.objects.values_list("name", flat=True))
    assert {"Mật ong Tam Đảo", "Trà hoa vàng Tam Đảo", "Nấm Phùng Gia", "Thanh long ruột đỏ Lập Thạch",
            "Cá thính Lập Thạch"} == names
    assert all(p.ocop_stars and "(mẫu)" in p.producer.trade_name for p in Product.objects.select_related("producer"))
    boundary = geo.parse_polygon(commune_a.boundary)
    for area in RawMaterialArea.objects.filter(commune=commune_a):
        assert boundary.buffer(1e-9).contains(geo.parse_polygon(area.geometry))
    assert LinkageModel.objects.filter(raw_material_area__uses_sensors=True).exists()
    assert all(lot.events.count() == 4 for lot in Lot.objects.all())
    assert issue_demo_economy(7, [commune_a.code, territory["c"].code])["products"] == 0
    assert Product.objects.count() == 5
