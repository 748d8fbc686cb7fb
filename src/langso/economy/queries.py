"""Reads of the economy app that take a scope (views, layers) — counts for the hub page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q

from langso.registry.models import Household

from .models import (
    Cooperative,
    CooperativeStatus,
    LinkageModel,
    Listing,
    Producer,
    Product,
    Store,
    active_on_q,
    digital_area_q,
)


def uses_ecommerce_q(as_of: dt.date) -> Q:
    """Households that use e-commerce on ``as_of``: a producer of the household has an open store,
    an open listing, or declares selling online (the issue's definition)."""
    stores = Store.objects.filter(active_on_q(as_of, "opened_on", "closed_on"), producer=OuterRef("pk"))
    listings = Listing.objects.filter(active_on_q(as_of, "listed_on", "withdrawn_on"),
                                      store__producer=OuterRef("pk"))
    producers = Producer.objects.filter(household=OuterRef("pk"), registered_on__lte=as_of).filter(
        Q(declares_ecommerce=True) | Q(Exists(stores)) | Q(Exists(listings)))
    return Q(Exists(producers))


def summary(commune: Any, today: dt.date) -> dict[str, Any]:
    """Headline numbers of one commune on ``today`` (a handful of aggregate queries)."""
    products = Product.objects.filter(commune=commune, withdrawn_on__isnull=True)
    ocop = products.filter(ocop_stars__isnull=False, ocop_expires_on__gte=today)
    listed = Listing.objects.filter(active_on_q(today, "listed_on", "withdrawn_on"), product=OuterRef("pk"))
    linkages = LinkageModel.objects.filter(commune=commune)
    return {
        "households_online": Household.objects.filter(commune=commune).filter(uses_ecommerce_q(today)).count(),
        "stores": Store.objects.filter(active_on_q(today, "opened_on", "closed_on"), commune=commune).count(),
        "cooperatives": Cooperative.objects.filter(commune=commune, status=CooperativeStatus.ACTIVE).count(),
        "ocop": ocop.count(),
        "ocop_online": ocop.filter(Exists(listed)).count(),
        "linkages": linkages.count(),
        "linkages_key": linkages.filter(product__is_key_product=True).count(),
        "linkages_area": linkages.filter(raw_material_area__isnull=False).count(),
        "linkages_area_digital": linkages.filter(digital_area_q("raw_material_area__")).count(),
        "stars": dict(ocop.values_list("ocop_stars").annotate(n=Count("id")).values_list("ocop_stars", "n")),
    }
