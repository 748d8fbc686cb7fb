"""Rural-economy metrics for the indicator engine (see :mod:`langso.lib.metrics`).

Sources: Decision 924/QĐ-TTg (2 Aug 2022) targets ECO-1 (≥ 70 % of communes have a cooperative),
ECO-2 (linkage models tied to consumption of key products), ECO-3 (50 % of linkage models tied to
raw-material areas apply digital technology); the reference commune's report (farm households on
e-commerce, stores on marketplaces); the smart-village requirement that OCOP products are sold
online (100 %).

- ``economy.households_using_ecommerce``: households of which a producer has an open store, an
  open listing or declares selling online on ``as_of``;
- ``economy.marketplace_stores``: stores open on ``as_of`` on a platform (own websites excluded);
- ``economy.communes_with_cooperative``: each current commune counts 1 when at least one
  cooperative or cooperative group of it is registered and not dissolved on ``as_of`` — a province
  sums to the number of such communes; divide by ``participation.units`` (current communes);
- ``economy.linkage_models`` (contract signed by ``as_of`` and not ended), ``…_key_product``,
  ``…_with_area``, ``…_with_area_digital`` (the area applies traceability, an electronic farming
  diary or sensors);
- ``economy.ocop_products`` (certificate valid on ``as_of``) and ``…_online`` (with a listing
  open on ``as_of`` in a store open on ``as_of``).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from langso.lib.metrics import Metric, MetricContext
from langso.registry.models import Household
from langso.territory.models import AdministrativeUnit, Level

from .models import (
    Cooperative,
    LinkageModel,
    Listing,
    Product,
    Store,
    active_on_q,
    digital_area_q,
    ocop_valid_q,
)
from .queries import uses_ecommerce_q


def _current_commune(ctx: MetricContext) -> Q:
    return (Q(level=Level.COMMUNE) & (Q(valid_from__isnull=True) | Q(valid_from__lte=ctx.as_of))
            & (Q(valid_to__isnull=True) | Q(valid_to__gte=ctx.as_of)))


def households_using_ecommerce(ctx: MetricContext) -> Q:
    alive = Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=ctx.as_of)
    return alive & uses_ecommerce_q(ctx.as_of)


def marketplace_stores(ctx: MetricContext) -> Q:
    return active_on_q(ctx.as_of, "opened_on", "closed_on") & ~Q(platform="website")


def communes_with_cooperative(ctx: MetricContext) -> Q:
    coops = Cooperative.objects.filter(active_on_q(ctx.as_of, "registered_on", "dissolved_on"), commune=OuterRef("pk"))
    return _current_commune(ctx) & Q(Exists(coops))


def linkage_models(ctx: MetricContext) -> Q:
    return Q(contract_signed_on__lte=ctx.as_of) & (Q(contract_ends_on__isnull=True)
                                                  | Q(contract_ends_on__gte=ctx.as_of))


def ocop_products(ctx: MetricContext) -> Q:
    return ocop_valid_q(ctx.as_of) & (Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=ctx.as_of))


def ocop_products_online(ctx: MetricContext) -> Q:
    listings = Listing.objects.filter(active_on_q(ctx.as_of, "listed_on", "withdrawn_on"),
                                      active_on_q(ctx.as_of, "opened_on", "closed_on", prefix="store__"),
                                      product=OuterRef("pk"))
    return ocop_products(ctx) & Q(Exists(listings))


METRICS = [
    Metric("economy.households_using_ecommerce", "Số hộ sử dụng thương mại điện tử",
           "Households using e-commerce", Household, households_using_ecommerce,
           village_field="village"),
    Metric("economy.marketplace_stores", "Số gian hàng trên sàn thương mại điện tử",
           "Stores on e-commerce marketplaces", Store, marketplace_stores,
           village_field="producer__village"),
    Metric("economy.communes_with_cooperative", "Số xã có hợp tác xã", "Communes with a cooperative",
           AdministrativeUnit, communes_with_cooperative, commune_field="id"),
    Metric("economy.linkage_models", "Số mô hình liên kết sản xuất gắn với tiêu thụ", "Production-linkage models",
           LinkageModel, linkage_models, village_field="lead__village"),
    Metric("economy.linkage_models_key_product", "Số mô hình liên kết gắn với sản phẩm chủ lực",
           "Linkage models tied to key products", LinkageModel,
           lambda ctx: linkage_models(ctx) & Q(product__is_key_product=True), village_field="lead__village"),
    Metric("economy.linkage_models_with_area", "Số mô hình liên kết gắn với vùng nguyên liệu",
           "Linkage models tied to raw-material areas", LinkageModel,
           lambda ctx: linkage_models(ctx) & Q(raw_material_area__isnull=False), village_field="lead__village"),
    Metric("economy.linkage_models_with_area_digital",
           "Số mô hình liên kết gắn với vùng nguyên liệu có ứng dụng công nghệ số",
           "Linkage models tied to raw-material areas applying digital technology", LinkageModel,
           lambda ctx: linkage_models(ctx) & Q(raw_material_area__isnull=False)
           & digital_area_q("raw_material_area__"), village_field="lead__village"),
    Metric("economy.ocop_products", "Số sản phẩm OCOP còn hiệu lực chứng nhận",
           "OCOP products with a valid certificate", Product, ocop_products,
           village_field="producer__village"),
    Metric("economy.ocop_products_online", "Số sản phẩm OCOP được bán trực tuyến",
           "OCOP products sold online", Product, ocop_products_online,
           village_field="producer__village"),
]
