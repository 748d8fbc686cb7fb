"""API of the rural economy: cooperatives, producers, raw-material areas, linkage models,
products (OCOP), stores, listings and traceable lots.

Read-only, like the rest of /api/: every row comes from ``Model.objects.visible_to(scope)``
(:class:`langso.accounts.api.ScopedReadOnlyViewSet`), so a row of a commune the caller may not
read answers 404 exactly like a row that does not exist, and anonymous callers get 401/403.
Writes go through :mod:`langso.economy.actions` from the web pages and the admin, never through
here. Every list takes ``?commune=<code>`` (statistics code of the commune), as the registry's
lists do.

Shapes: dates are ISO 8601; ``area_ha``, ``quantity`` and ``volume_tonnes_per_year`` are JSON
numbers with two decimals; ``price_vnd`` a whole number of đồng; ``geometry`` a GeoJSON geometry
object (RFC 7946, WGS84 lon/lat, Polygon or MultiPolygon); a lot's ``uri`` is its GS1 Digital
Link URI (``{LANGSO_PUBLIC_URL}/01/{GTIN-14}/10/{lot}``, GS1 Digital Link 1.4) when the product
has a GTIN, the platform's own resolver path (``/t/{public_id}/``) otherwise
(:func:`langso.economy.trace.lot_uri`). OCOP flags are computed on the server's current day:
``ocop_valid`` (a certificate in force, Decision 148/QĐ-TTg, 36 months) and
``ocop_expiring_soon`` (in force and ending within ``expiring_soon_days`` of ``data/ocop.yaml``).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.routers import BaseRouter

from langso.accounts.api import IdFilter, ScopedReadOnlyViewSet, StrictBooleanFilter

from . import rules, trace
from .models import (
    Cooperative,
    CooperativeKind,
    CooperativeStatus,
    DigitalTechnology,
    LinkageModel,
    Listing,
    Lot,
    Producer,
    ProducerKind,
    Product,
    RawMaterialArea,
    Sector,
    Store,
    TraceEvent,
    digital_area_q,
    ocop_valid_q,
)

COMMUNE_HELP = "Mã xã (mã thống kê 5 chữ số) / Code of the commune."


def _number(**kwargs: Any) -> serializers.DecimalField:
    """A read-only decimal given as a JSON number (two decimals), not as a string."""
    return serializers.DecimalField(max_digits=12, decimal_places=2, coerce_to_string=False, read_only=True,
                                    **kwargs)


class CommuneFields(serializers.ModelSerializer):
    """``commune`` (code) and ``commune_id`` of every economy row."""

    commune = serializers.CharField(source="commune.code", read_only=True)
    commune_id = serializers.IntegerField(read_only=True)


class CommuneFilter(filters.FilterSet):
    commune = filters.CharFilter(field_name="commune__code", help_text=COMMUNE_HELP)


# --- cooperatives -------------------------------------------------------------------------------

class CooperativeSerializer(CommuneFields):
    """A cooperative (hợp tác xã) or cooperative group (tổ hợp tác) registered in the commune
    (Law 17/2023/QH15). ``member_count``: member households that have not left."""

    member_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Cooperative
        fields = [
            "id", "commune", "commune_id", "kind", "name", "registration_number", "registered_on", "sector",
            "status", "dissolved_on", "member_count",
        ]


class CooperativeFilter(CommuneFilter):
    kind = filters.ChoiceFilter(choices=CooperativeKind.choices)
    sector = filters.ChoiceFilter(choices=Sector.choices)
    status = filters.ChoiceFilter(choices=CooperativeStatus.choices)

    class Meta:
        model = Cooperative
        fields: list[str] = []


class CooperativeViewSet(ScopedReadOnlyViewSet):
    """Cooperatives and cooperative groups of the communes the caller may read."""

    model = Cooperative
    serializer_class = CooperativeSerializer
    filterset_class = CooperativeFilter

    def base_queryset(self, queryset: QuerySet) -> QuerySet:
        return (queryset.select_related("commune")
                .annotate(member_count=Count("memberships", filter=Q(memberships__left_on__isnull=True)))
                .order_by("commune__code", "name", "id"))


# --- producers ----------------------------------------------------------------------------------

class ProducerSerializer(CommuneFields):
    """A producer: farm household, business household, cooperative or enterprise.
    ``trade_name`` is the name shown on public pages; ``household_id`` is set for a farm household
    and a business household's household; ``tax_code`` only for an enterprise."""

    household_id = serializers.IntegerField(read_only=True, allow_null=True)
    business_id = serializers.IntegerField(read_only=True, allow_null=True)
    cooperative_id = serializers.IntegerField(read_only=True, allow_null=True)
    village_id = serializers.IntegerField(read_only=True, allow_null=True)
    village_name = serializers.CharField(source="village.name", read_only=True, allow_null=True)

    class Meta:
        model = Producer
        fields = [
            "id", "commune", "commune_id", "kind", "trade_name", "household_id", "business_id", "cooperative_id",
            "tax_code", "village_id", "village_name", "declares_ecommerce", "registered_on", "closed_on",
        ]


class ProducerFilter(CommuneFilter):
    kind = filters.ChoiceFilter(choices=ProducerKind.choices)
    village = IdFilter(field_name="village_id", help_text="Id of the village.")
    declares_ecommerce = StrictBooleanFilter(help_text="true: the producer says it sells online.")
    open = StrictBooleanFilter(field_name="closed_on", lookup_expr="isnull", help_text="true: not closed.")

    class Meta:
        model = Producer
        fields: list[str] = []


class ProducerViewSet(ScopedReadOnlyViewSet):
    """Producers of the communes the caller may read."""

    model = Producer
    serializer_class = ProducerSerializer
    filterset_class = ProducerFilter

    def base_queryset(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("commune", "village").order_by("commune__code", "trade_name", "id")


# --- raw-material areas -------------------------------------------------------------------------

class RawMaterialAreaSerializer(CommuneFields):
    """A raw-material area (vùng nguyên liệu). ``geometry``: GeoJSON Polygon or MultiPolygon in
    WGS84 (RFC 7946); ``area_ha`` computed from it (ellipsoidal, docs/economy.md);
    ``growing_area_code``: mã số vùng trồng (Circular 06/2021/TT-BNNPTNT, as recorded);
    ``technologies``: the digital technologies applied (ECO-3, Decision 924/QĐ-TTg)."""

    village_id = serializers.IntegerField(read_only=True, allow_null=True)
    area_ha = _number()
    geometry = serializers.SerializerMethodField()
    technologies = serializers.SerializerMethodField()
    applies_digital_technology = serializers.BooleanField(read_only=True)

    class Meta:
        model = RawMaterialArea
        fields = [
            "id", "commune", "commune_id", "village_id", "name", "crop", "area_ha", "centroid_lat", "centroid_lon",
            "growing_area_code", "technologies", "applies_digital_technology", "created_on", "retired_on",
            "geometry",
        ]

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_geometry(self, area: RawMaterialArea) -> dict[str, Any]:
        """GeoJSON geometry (Polygon or MultiPolygon, WGS84 lon/lat)."""
        return json.loads(area.geometry)

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=DigitalTechnology.choices)))
    def get_technologies(self, area: RawMaterialArea) -> list[str]:
        """Codes of the digital technologies applied: traceability, farming_diary, sensors."""
        flags = {DigitalTechnology.TRACEABILITY: area.uses_traceability,
                 DigitalTechnology.FARMING_DIARY: area.uses_farming_diary,
                 DigitalTechnology.SENSORS: area.uses_sensors}
        return [str(code) for code, on in flags.items() if on]


class RawMaterialAreaFilter(CommuneFilter):
    village = IdFilter(field_name="village_id", help_text="Id of the village.")
    active = StrictBooleanFilter(field_name="retired_on", lookup_expr="isnull", help_text="true: not retired.")
    digital = StrictBooleanFilter(method="filter_digital",
                                    help_text="true: applies traceability, a farming diary or sensors.")

    class Meta:
        model = RawMaterialArea
        fields: list[str] = []

    def filter_digital(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.filter(digital_area_q()) if value else queryset.exclude(digital_area_q())


class RawMaterialAreaViewSet(ScopedReadOnlyViewSet):
    """Raw-material areas of the communes the caller may read, with their GeoJSON geometry."""

    model = RawMaterialArea
    serializer_class = RawMaterialAreaSerializer
    filterset_class = RawMaterialAreaFilter

    def base_queryset(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("commune").order_by("commune__code", "name", "id")


# --- linkage models -----------------------------------------------------------------------------

class LinkageModelSerializer(CommuneFields):
    """A production-linkage model tied to consumption (Decree 98/2018/NĐ-CP): its lead
    cooperative or enterprise, key product, raw-material area, contract dates, yearly volume and
    the number of participating households. ``active``: signed and not ended on the current day."""

    lead_id = serializers.IntegerField(read_only=True)
    lead_name = serializers.CharField(source="lead.trade_name", read_only=True)
    product_id = serializers.IntegerField(read_only=True, allow_null=True)
    product_name = serializers.CharField(source="product.name", read_only=True, allow_null=True)
    is_key_product = serializers.BooleanField(source="product.is_key_product", read_only=True, allow_null=True)
    raw_material_area_id = serializers.IntegerField(read_only=True, allow_null=True)
    volume_tonnes_per_year = _number(allow_null=True)
    household_count = serializers.IntegerField(read_only=True)
    active = serializers.SerializerMethodField()

    class Meta:
        model = LinkageModel
        fields = [
            "id", "commune", "commune_id", "name", "lead_id", "lead_name", "product_id", "product_name",
            "is_key_product", "raw_material_area_id", "contract_signed_on", "contract_ends_on",
            "volume_tonnes_per_year", "household_count", "active",
        ]

    def get_active(self, linkage: LinkageModel) -> bool:
        today = timezone.localdate()
        return linkage.contract_signed_on <= today and (linkage.contract_ends_on is None
                                                        or linkage.contract_ends_on > today)


class LinkageModelFilter(CommuneFilter):
    key_product = StrictBooleanFilter(field_name="product__is_key_product",
                                        help_text="true: the model's product is a key product.")
    with_area = StrictBooleanFilter(field_name="raw_material_area", lookup_expr="isnull", exclude=True,
                                      help_text="true: tied to a raw-material area.")
    lead = IdFilter(field_name="lead_id", help_text="Id of the lead producer.")

    class Meta:
        model = LinkageModel
        fields: list[str] = []


class LinkageModelViewSet(ScopedReadOnlyViewSet):
    """Production-linkage models of the communes the caller may read."""

    model = LinkageModel
    serializer_class = LinkageModelSerializer
    filterset_class = LinkageModelFilter

    def base_queryset(self, queryset: QuerySet) -> QuerySet:
        return (queryset.select_related("commune", "lead", "product")
                .annotate(household_count=Count("households", distinct=True))
                .order_by("commune__code", "name", "id"))


# --- products -----------------------------------------------------------------------------------

class ProductSerializer(CommuneFields):
    """A product of a producer. ``gtin``: 14 digits (check digit verified) or empty. OCOP
    (Decision 148/QĐ-TTg): ``ocop_score`` out of 100, ``ocop_stars`` 3–5 by the bands of
    ``data/ocop.yaml``, certificate number, certified and expiry dates (36 months);
    ``ocop_valid`` and ``ocop_expiring_soon`` on the current day."""

    producer_id = serializers.IntegerField(read_only=True)
    producer_trade_name = serializers.CharField(source="producer.trade_name", read_only=True)
    ocop_valid = serializers.SerializerMethodField()
    ocop_expiring_soon = serializers.SerializerMethodField()

    class Meta:
        model = Product
        fields = [
            "id", "commune", "commune_id", "producer_id", "producer_trade_name", "name", "group", "description",
            "gtin", "is_key_product", "vietgap", "organic", "ocop_score", "ocop_stars", "ocop_certificate_number",
            "ocop_certified_on", "ocop_expires_on", "ocop_valid", "ocop_expiring_soon", "created_on",
            "withdrawn_on",
        ]

    def _today(self) -> dt.date:
        return self.context.get("today") or timezone.localdate()

    def get_ocop_valid(self, product: Product) -> bool:
        today = self._today()
        return bool(product.ocop_stars and product.ocop_certified_on and product.ocop_expires_on
                    and product.ocop_certified_on <= today <= product.ocop_expires_on)

    def get_ocop_expiring_soon(self, product: Product) -> bool:
        return product.expiring_soon(self._today())


class ProductFilter(CommuneFilter):
    group = filters.ChoiceFilter(choices=rules.group_choices())
    producer = IdFilter(field_name="producer_id", help_text="Id of the producer.")
    key_product = StrictBooleanFilter(field_name="is_key_product", help_text="true: a key product.")
    stars = filters.NumberFilter(field_name="ocop_stars", help_text="OCOP stars (3, 4 or 5).")
    ocop = StrictBooleanFilter(method="filter_ocop", help_text="true: an OCOP certificate in force today.")
    expiring = StrictBooleanFilter(
        method="filter_expiring", help_text="true: an OCOP certificate in force that ends within the warning window.")

    class Meta:
        model = Product
        fields: list[str] = []

    def filter_ocop(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        valid = ocop_valid_q(timezone.localdate())
        return queryset.filter(valid) if value else queryset.exclude(valid)

    def filter_expiring(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        today = timezone.localdate()
        soon = Q(ocop_expires_on__gte=today,
                 ocop_expires_on__lte=today + dt.timedelta(days=rules.ocop()["expiring_soon_days"]))
        return queryset.filter(soon) if value else queryset.exclude(soon)


class ProductViewSet(ScopedReadOnlyViewSet):
    """Products (OCOP stars, certificate, expiry) of the communes the caller may read."""

    model = Product
    serializer_class = ProductSerializer
    filterset_class = ProductFilter

    def base_queryset(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("commune", "producer").order_by("commune__code", "name", "id")

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "today": timezone.localdate()}


# --- stores and listings ------------------------------------------------------------------------

class StoreSerializer(CommuneFields):
    """A producer's store on an e-commerce platform (``data/platforms.yaml``) or its own website.
    ``open_listing_count``: listings not withdrawn."""

    producer_id = serializers.IntegerField(read_only=True)
    open_listing_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Store
        fields = [
            "id", "commune", "commune_id", "producer_id", "platform", "name", "url", "opened_on", "closed_on",
            "open_listing_count",
        ]


class StoreFilter(CommuneFilter):
    platform = filters.ChoiceFilter(choices=rules.platform_choices())
    producer = IdFilter(field_name="producer_id", help_text="Id of the producer.")
    open = StrictBooleanFilter(field_name="closed_on", lookup_expr="isnull", help_text="true: not closed.")

    class Meta:
        model = Store
        fields: list[str] = []


class StoreViewSet(ScopedReadOnlyViewSet):
    """E-commerce stores of the communes the caller may read."""

    model = Store
    serializer_class = StoreSerializer
    filterset_class = StoreFilter

    def base_queryset(self, queryset: QuerySet) -> QuerySet:
        return (queryset.select_related("commune")
                .annotate(open_listing_count=Count("listings", filter=Q(listings__withdrawn_on__isnull=True)))
                .order_by("commune__code", "platform", "name", "id"))


class ListingSerializer(CommuneFields):
    """One product offered in one store at a whole number of đồng (``price_vnd``)."""

    store_id = serializers.IntegerField(read_only=True)
    platform = serializers.CharField(source="store.platform", read_only=True)
    product_id = serializers.IntegerField(read_only=True)
    product_name = serializers.CharField(source="product.name", read_only=True)

    class Meta:
        model = Listing
        fields = [
            "id", "commune", "commune_id", "store_id", "platform", "product_id", "product_name", "price_vnd", "url",
            "listed_on", "withdrawn_on",
        ]


class ListingFilter(CommuneFilter):
    store = IdFilter(field_name="store_id", help_text="Id of the store.")
    product = IdFilter(field_name="product_id", help_text="Id of the product.")
    open = StrictBooleanFilter(field_name="withdrawn_on", lookup_expr="isnull", help_text="true: not withdrawn.")

    class Meta:
        model = Listing
        fields: list[str] = []


class ListingViewSet(ScopedReadOnlyViewSet):
    """Marketplace listings of the communes the caller may read."""

    model = Listing
    serializer_class = ListingSerializer
    filterset_class = ListingFilter

    def base_queryset(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("commune", "store", "product").order_by("commune__code", "store_id", "id")


# --- lots ---------------------------------------------------------------------------------------

class TraceEventSerializer(serializers.ModelSerializer):
    """One event of a lot: ``received`` (one step back), ``produced``, ``shipped`` (one step
    forward) — Circular 02/2024/TT-BKHCN — with its EPCIS 2.0 business step (CBV 2.0)."""

    biz_step = serializers.CharField(read_only=True)
    quantity = _number(allow_null=True)

    class Meta:
        model = TraceEvent
        fields = ["id", "kind", "biz_step", "occurred_on", "party", "place", "quantity", "document", "note"]


class LotSerializer(CommuneFields):
    """A traceable lot: lot number (GS1 AI 10), dates, origin area, quantity and unit, ``uri``
    (the lot's GS1 Digital Link URI) and its events in order (one step back, production, one
    step forward)."""

    product_id = serializers.IntegerField(read_only=True)
    product_name = serializers.CharField(source="product.name", read_only=True)
    gtin = serializers.CharField(source="product.gtin", read_only=True)
    raw_material_area_id = serializers.IntegerField(read_only=True, allow_null=True)
    quantity = _number()
    uri = serializers.SerializerMethodField()
    events = TraceEventSerializer(many=True, read_only=True)

    class Meta:
        model = Lot
        fields = [
            "id", "commune", "commune_id", "product_id", "product_name", "gtin", "code", "uri", "produced_on",
            "harvested_on", "best_before", "raw_material_area_id", "quantity", "unit", "events",
        ]

    @extend_schema_field(serializers.URLField())
    def get_uri(self, lot: Lot) -> str:
        """GS1 Digital Link URI (``…/01/{GTIN-14}/10/{lot}``) or the platform's ``…/t/{public_id}/``."""
        return trace.lot_uri(lot)


class LotFilter(CommuneFilter):
    product = IdFilter(field_name="product_id", help_text="Id of the product.")
    code = filters.CharFilter(help_text="Lot number (GS1 AI 10), exact.")
    produced_from = filters.DateFilter(field_name="produced_on", lookup_expr="gte", help_text="Produced on or after.")
    produced_to = filters.DateFilter(field_name="produced_on", lookup_expr="lte", help_text="Produced on or before.")

    class Meta:
        model = Lot
        fields: list[str] = []


class LotViewSet(ScopedReadOnlyViewSet):
    """Traceable lots of the communes the caller may read, with their events."""

    model = Lot
    serializer_class = LotSerializer
    filterset_class = LotFilter

    def base_queryset(self, queryset: QuerySet) -> QuerySet:
        return (queryset.select_related("commune", "product")
                .prefetch_related(Prefetch("events", queryset=TraceEvent.objects.order_by("occurred_on", "id")))
                .order_by("commune__code", "-produced_on", "id"))


def register(router: BaseRouter) -> None:
    router.register("cooperatives", CooperativeViewSet, basename="cooperative")
    router.register("producers", ProducerViewSet, basename="producer")
    router.register("raw-material-areas", RawMaterialAreaViewSet, basename="raw-material-area")
    router.register("linkage-models", LinkageModelViewSet, basename="linkage-model")
    router.register("products", ProductViewSet, basename="product")
    router.register("stores", StoreViewSet, basename="store")
    router.register("listings", ListingViewSet, basename="listing")
    router.register("lots", LotViewSet, basename="lot")
