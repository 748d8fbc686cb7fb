"""Rural economy registers of a commune: producers, cooperatives, raw-material areas, linkage
models, products (OCOP), marketplace stores and listings, traceable lots and their events.

Every row carries ``commune`` (scoping, aggregation and Citus distribution by province without a
join) and is reached only through ``objects.visible_to(scope)``. Nothing is deleted: a store is
closed, a cooperative dissolved, a listing withdrawn, each with its date. Writes go through
:mod:`langso.economy.actions`.
"""

from __future__ import annotations

import secrets

from django.db import models
from django.db.models import Q

from langso.registry.models import CommuneOwnedQuerySet

from . import rules


def _commune_fk(related_name: str) -> models.ForeignKey:
    return models.ForeignKey("territory.AdministrativeUnit", on_delete=models.PROTECT, related_name=related_name)


def new_public_id() -> str:
    """16 URL-safe characters (96 bits): the lot's id in the platform's own resolver path."""
    return secrets.token_urlsafe(12)


class CooperativeKind(models.TextChoices):
    """Law 17/2023/QH15 on Cooperatives: a cooperative (hợp tác xã) has ≥ 5 members and is
    registered; a cooperative group (tổ hợp tác) has ≥ 2 members under a cooperation contract."""

    COOPERATIVE = "cooperative", "Hợp tác xã / Cooperative"
    GROUP = "group", "Tổ hợp tác / Cooperative group"


class Sector(models.TextChoices):
    CROPS = "crops", "Trồng trọt / Crops"
    LIVESTOCK = "livestock", "Chăn nuôi / Livestock"
    AQUACULTURE = "aquaculture", "Thủy sản / Aquaculture"
    FORESTRY = "forestry", "Lâm nghiệp / Forestry"
    PROCESSING = "processing", "Chế biến / Processing"
    CRAFTS = "crafts", "Tiểu thủ công nghiệp, làng nghề / Crafts"
    SERVICES = "services", "Dịch vụ nông nghiệp / Farm services"
    TOURISM = "tourism", "Du lịch nông thôn / Rural tourism"
    MIXED = "mixed", "Tổng hợp / Mixed"


class CooperativeStatus(models.TextChoices):
    ACTIVE = "active", "Đang hoạt động / Active"
    SUSPENDED = "suspended", "Tạm ngừng / Suspended"
    DISSOLVED = "dissolved", "Giải thể / Dissolved"


class Cooperative(models.Model):
    """A cooperative or cooperative group registered in the commune; members are households."""

    commune = _commune_fk("cooperatives")
    kind = models.CharField(max_length=12, choices=CooperativeKind.choices)
    name = models.CharField(max_length=200)
    search_name = models.CharField(max_length=200, blank=True, default="")
    registration_number = models.CharField(max_length=30, blank=True, default="")
    registered_on = models.DateField()
    sector = models.CharField(max_length=12, choices=Sector.choices)
    status = models.CharField(max_length=10, choices=CooperativeStatus.choices, default=CooperativeStatus.ACTIVE)
    dissolved_on = models.DateField(null=True, blank=True)
    members = models.ManyToManyField("registry.Household", through="CooperativeMember", related_name="cooperatives")

    objects = CommuneOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["commune", "name"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "registration_number"], condition=~Q(registration_number=""),
                                    name="economy_coop_unique_registration"),
            models.CheckConstraint(condition=Q(status="dissolved", dissolved_on__isnull=False) | (~Q(status="dissolved") & Q(dissolved_on__isnull=True)),
                                   name="economy_coop_dissolved_has_date"),
        ]

    def __str__(self) -> str:
        return self.name


class CooperativeMember(models.Model):
    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="memberships")
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="cooperative_memberships")
    commune = _commune_fk("+")
    joined_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)

    objects = CommuneOwnedQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cooperative", "household"], name="economy_coop_member_once")]


class ProducerKind(models.TextChoices):
    HOUSEHOLD = "household", "Hộ nông dân / Farm household"
    BUSINESS = "business", "Hộ kinh doanh / Business household"
    COOPERATIVE = "cooperative", "Hợp tác xã, tổ hợp tác / Cooperative"
    ENTERPRISE = "enterprise", "Doanh nghiệp / Enterprise"


class Producer(models.Model):
    """Who makes a product: a farm household, a business household, a cooperative or an
    enterprise. ``trade_name`` is the only name shown on public pages. ``household`` is set for
    a farm household and copied from a business household's household (the e-commerce count is
    per household); ``declares_ecommerce``: the household says it sells online without a store
    recorded here."""

    commune = _commune_fk("producers")
    kind = models.CharField(max_length=12, choices=ProducerKind.choices)
    trade_name = models.CharField(max_length=200)
    search_name = models.CharField(max_length=200, blank=True, default="")
    household = models.ForeignKey("registry.Household", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="producers")
    business = models.ForeignKey("registry.BusinessHousehold", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="producers")
    cooperative = models.ForeignKey(Cooperative, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="producers")
    tax_code = models.CharField(max_length=14, blank=True, default="")
    village = models.ForeignKey("territory.Village", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="producers")
    declares_ecommerce = models.BooleanField(default=False)
    registered_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)

    objects = CommuneOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["commune", "trade_name"]
        indexes = [models.Index(fields=["commune", "search_name"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="household", household__isnull=False, business__isnull=True, cooperative__isnull=True)
                           | Q(kind="business", business__isnull=False, cooperative__isnull=True)
                           | Q(kind="cooperative", cooperative__isnull=False, business__isnull=True,
                               household__isnull=True)
                           | Q(kind="enterprise", business__isnull=True, cooperative__isnull=True,
                               household__isnull=True)),
                name="economy_producer_kind_link",
            ),
        ]

    def __str__(self) -> str:
        return self.trade_name


class DigitalTechnology(models.TextChoices):
    TRACEABILITY = "traceability", "Truy xuất nguồn gốc / Traceability"
    FARMING_DIARY = "farming_diary", "Nhật ký canh tác điện tử / Electronic farming diary"
    SENSORS = "sensors", "Cảm biến, IoT / Sensors"


class RawMaterialArea(models.Model):
    """A raw-material area (vùng nguyên liệu): a WGS84 polygon (GeoJSON text) with its crop,
    its area in hectares computed from the polygon (:func:`langso.economy.geo.area_hectares`),
    its growing-area code (mã số vùng trồng, issued under Circular 06/2021/TT-BNNPTNT — free text,
    not validated) and the
    digital technologies applied there."""

    commune = _commune_fk("raw_material_areas")
    village = models.ForeignKey("territory.Village", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="raw_material_areas")
    name = models.CharField(max_length=200)
    crop = models.CharField(max_length=100)
    geometry = models.TextField()
    area_ha = models.DecimalField(max_digits=10, decimal_places=2)
    centroid_lat = models.FloatField()
    centroid_lon = models.FloatField()
    growing_area_code = models.CharField(max_length=40, blank=True, default="")
    uses_traceability = models.BooleanField(default=False)
    uses_farming_diary = models.BooleanField(default=False)
    uses_sensors = models.BooleanField(default=False)
    created_on = models.DateField()
    retired_on = models.DateField(null=True, blank=True)

    objects = CommuneOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["commune", "name"]
        constraints = [models.CheckConstraint(condition=Q(area_ha__gt=0), name="economy_area_positive")]

    def __str__(self) -> str:
        return self.name

    @property
    def technologies(self) -> list[str]:
        flags = {DigitalTechnology.TRACEABILITY: self.uses_traceability,
                 DigitalTechnology.FARMING_DIARY: self.uses_farming_diary,
                 DigitalTechnology.SENSORS: self.uses_sensors}
        return [t.label for t, on in flags.items() if on]

    @property
    def applies_digital_technology(self) -> bool:
        return self.uses_traceability or self.uses_farming_diary or self.uses_sensors


def digital_area_q(prefix: str = "") -> Q:
    """Rows (through ``prefix``) whose raw-material area applies at least one digital technology."""
    return Q(**{f"{prefix}uses_traceability": True}) | Q(**{f"{prefix}uses_farming_diary": True}) | Q(
        **{f"{prefix}uses_sensors": True})


class Product(models.Model):
    """A product of a producer; OCOP fields are set when the product was ranked.

    ``ocop_stars`` is derived from ``ocop_score`` by the bands of ``data/ocop.yaml`` (Decision
    148/QĐ-TTg) and ``ocop_expires_on`` from ``ocop_certified_on`` (36 months) by the actions.
    ``gtin`` is the 14-digit form (check digit verified) or empty. ``is_key_product``: the
    commune or province lists it as a key product (sản phẩm chủ lực)."""

    commune = _commune_fk("products")
    producer = models.ForeignKey(Producer, on_delete=models.PROTECT, related_name="products")
    name = models.CharField(max_length=200)
    search_name = models.CharField(max_length=200, blank=True, default="")
    group = models.CharField(max_length=12, choices=rules.group_choices())
    description = models.TextField(blank=True, default="")
    gtin = models.CharField(max_length=14, blank=True, default="")
    is_key_product = models.BooleanField(default=False)
    vietgap = models.BooleanField(default=False)
    organic = models.BooleanField(default=False)
    ocop_score = models.PositiveSmallIntegerField(null=True, blank=True)
    ocop_stars = models.PositiveSmallIntegerField(null=True, blank=True)
    ocop_certificate_number = models.CharField(max_length=50, blank=True, default="")
    ocop_certified_on = models.DateField(null=True, blank=True)
    ocop_expires_on = models.DateField(null=True, blank=True)
    created_on = models.DateField()
    withdrawn_on = models.DateField(null=True, blank=True)

    objects = CommuneOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["commune", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(ocop_score__isnull=True) | Q(ocop_score__lte=100),
                                   name="economy_product_score_range"),
            models.CheckConstraint(condition=Q(ocop_stars__isnull=True) | Q(ocop_stars__gte=1, ocop_stars__lte=5),
                                   name="economy_product_stars_range"),
            models.CheckConstraint(condition=Q(ocop_stars__isnull=True, ocop_certified_on__isnull=True)
                                   | Q(ocop_stars__isnull=False, ocop_certified_on__isnull=False, ocop_expires_on__isnull=False),
                                   name="economy_product_stars_need_certificate"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def certifications(self) -> list[str]:
        out = []
        if self.ocop_stars:
            out.append(f"OCOP {self.ocop_stars}★")
        if self.vietgap:
            out.append("VietGAP")
        if self.organic:
            out.append("Hữu cơ / Organic")
        return out

    def expiring_soon(self, today) -> bool:
        return rules.expiring_soon(self.ocop_expires_on, today)


def ocop_valid_q(as_of, prefix: str = "") -> Q:
    """Products (through ``prefix``) holding an OCOP certificate valid on ``as_of``."""
    return Q(**{f"{prefix}ocop_stars__isnull": False, f"{prefix}ocop_certified_on__lte": as_of,
                f"{prefix}ocop_expires_on__gte": as_of})


class LinkageModel(models.Model):
    """A production-linkage model tied to consumption (liên kết sản xuất gắn với tiêu thụ,
    Decree 98/2018/NĐ-CP): a lead cooperative or enterprise (a :class:`Producer` of that kind)
    contracts with participating households for a key product, between two dates, for a yearly
    volume in tonnes; ``raw_material_area`` is set when tied to one."""

    commune = _commune_fk("linkage_models")
    name = models.CharField(max_length=200)
    lead = models.ForeignKey(Producer, on_delete=models.PROTECT, related_name="led_linkages")
    product = models.ForeignKey(Product, null=True, blank=True, on_delete=models.PROTECT, related_name="linkages")
    raw_material_area = models.ForeignKey(RawMaterialArea, null=True, blank=True, on_delete=models.PROTECT,
                                          related_name="linkages")
    households = models.ManyToManyField("registry.Household", blank=True, related_name="linkage_models")
    contract_signed_on = models.DateField()
    contract_ends_on = models.DateField(null=True, blank=True)
    volume_tonnes_per_year = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)

    objects = CommuneOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["commune", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(contract_ends_on__isnull=True)
                                   | Q(contract_ends_on__gte=models.F("contract_signed_on")),
                                   name="economy_linkage_dates_ordered"),
        ]

    def __str__(self) -> str:
        return self.name


class Store(models.Model):
    """A producer's store on an e-commerce platform (``data/platforms.yaml``) or its own website."""

    commune = _commune_fk("stores")
    producer = models.ForeignKey(Producer, on_delete=models.PROTECT, related_name="stores")
    platform = models.CharField(max_length=12, choices=rules.platform_choices())
    name = models.CharField(max_length=200)
    url = models.URLField(max_length=500)
    opened_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)

    objects = CommuneOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["commune", "platform", "name"]
        constraints = [models.UniqueConstraint(fields=["commune", "url"], name="economy_store_unique_url")]

    def __str__(self) -> str:
        return self.name


class Listing(models.Model):
    """One product offered in one store at an integer VND price."""

    commune = _commune_fk("listings")
    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="listings")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="listings")
    price_vnd = models.PositiveBigIntegerField()
    url = models.URLField(max_length=500, blank=True, default="")
    listed_on = models.DateField()
    withdrawn_on = models.DateField(null=True, blank=True)

    objects = CommuneOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["store", "product"]
        constraints = [
            models.UniqueConstraint(fields=["store", "product"], condition=Q(withdrawn_on__isnull=True),
                                    name="economy_listing_one_open_per_store"),
        ]


def active_on_q(as_of, start: str, end: str, prefix: str = "") -> Q:
    """Rows started on or before ``as_of`` and not ended by then."""
    return Q(**{f"{prefix}{start}__lte": as_of}) & (Q(**{f"{prefix}{end}__isnull": True})
                                                     | Q(**{f"{prefix}{end}__gt": as_of}))


class Unit(models.TextChoices):
    KG = "kg", "kg"
    TONNE = "t", "tấn / tonne"
    LITRE = "l", "lít / litre"
    PACK = "pack", "gói, hộp / pack"
    BOTTLE = "bottle", "chai, lọ / bottle"
    PIECE = "piece", "cái, quả / piece"


class Lot(models.Model):
    """A traceable lot (lô sản phẩm) of a product: its lot number (GS1 AI 10), dates, origin
    area, quantity and unit. ``public_id`` names it in the platform's own resolver path when the
    product has no GTIN."""

    commune = _commune_fk("lots")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="lots")
    code = models.CharField(max_length=20)
    public_id = models.CharField(max_length=22, unique=True, default=new_public_id)
    produced_on = models.DateField()
    harvested_on = models.DateField(null=True, blank=True)
    best_before = models.DateField(null=True, blank=True)
    raw_material_area = models.ForeignKey(RawMaterialArea, null=True, blank=True, on_delete=models.PROTECT,
                                          related_name="lots")
    quantity = models.DecimalField(max_digits=12, decimal_places=2)
    unit = models.CharField(max_length=8, choices=Unit.choices)

    objects = CommuneOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-produced_on", "code"]
        constraints = [
            models.UniqueConstraint(fields=["product", "code"], name="economy_lot_unique_code"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="economy_lot_quantity_positive"),
        ]

    def __str__(self) -> str:
        return self.code


class EventKind(models.TextChoices):
    """Trace events, one step back and one step forward (Circular 02/2024/TT-BKHCN's idea),
    mapped to EPCIS 2.0 business steps (CBV 2.0: receiving, commissioning, shipping)."""

    RECEIVED = "received", "Nhận từ (một bước trước) / Received from (one step back)"
    PRODUCED = "produced", "Sản xuất, thu hoạch, đóng gói / Produced, harvested, packed"
    SHIPPED = "shipped", "Giao cho (một bước sau) / Shipped to (one step forward)"


EPCIS_BIZ_STEP = {"received": "receiving", "produced": "commissioning", "shipped": "shipping"}


class TraceEvent(models.Model):
    """One event of a lot. ``party`` is the supplier (received) or the buyer (shipped) as a
    business name — never a private person's name; ``place`` where it happened."""

    commune = _commune_fk("trace_events")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=10, choices=EventKind.choices)
    occurred_on = models.DateField()
    party = models.CharField(max_length=200, blank=True, default="")
    place = models.CharField(max_length=200, blank=True, default="")
    quantity = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    document = models.CharField(max_length=100, blank=True, default="")
    note = models.CharField(max_length=300, blank=True, default="")

    objects = CommuneOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["lot", "occurred_on", "id"]

    @property
    def biz_step(self) -> str:
        return EPCIS_BIZ_STEP[self.kind]
