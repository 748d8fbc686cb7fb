"""Administrative units of Vietnam with their validity periods, lineage and villages.

Sources:
- Resolution 202/2025/QH15 and the provincial resolutions of June 2025: two-level local
  government from 2025-07-01 (34 provinces, 3,321 commune-level units: phường, xã, đặc khu).
- Decision 19/2025/QĐ-TTg: the list of unit codes (2-digit province, 5-digit commune).
- Before 2025-07-01: 63 provinces, districts and about 10,000 communes (Decision 124/2004/QĐ-TTg
  codes). Codes were reused by the reform, so a unit is identified by code *and* validity
  period, never by code alone (new 09154 Xã Vĩnh Phú ≠ legacy 09154 Xã Vĩnh Phú).
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q

REFORM_DATE = dt.date(2025, 7, 1)
LEGACY_VALID_TO = dt.date(2025, 6, 30)


class Level(models.TextChoices):
    PROVINCE = "province", "Tỉnh / Province"
    DISTRICT = "district", "Huyện / District"
    COMMUNE = "commune", "Xã / Commune"


class UnitType(models.TextChoices):
    """Types of administrative unit (Law on Organisation of Local Government 72/2025/QH15, art. 2)."""

    CENTRAL_CITY = "thanh_pho_trung_uong", "Thành phố trực thuộc trung ương"
    PROVINCE = "tinh", "Tỉnh"
    URBAN_DISTRICT = "quan", "Quận"
    RURAL_DISTRICT = "huyen", "Huyện"
    DISTRICT_TOWN = "thi_xa", "Thị xã"
    PROVINCIAL_CITY = "thanh_pho", "Thành phố thuộc tỉnh"
    MUNICIPAL_CITY = "thanh_pho_thuoc_tp", "Thành phố thuộc thành phố trực thuộc trung ương"
    WARD = "phuong", "Phường"
    COMMUNE = "xa", "Xã"
    TOWNSHIP = "thi_tran", "Thị trấn"
    SPECIAL_ZONE = "dac_khu", "Đặc khu"


class AdministrativeUnitQuerySet(models.QuerySet):
    def valid_on(self, day: dt.date) -> AdministrativeUnitQuerySet:
        """Units in force on ``day`` (inclusive bounds; open bounds mean unknown/ongoing)."""
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )

    def current(self) -> AdministrativeUnitQuerySet:
        """Units of the two-level system, in force since 2025-07-01 and not ended."""
        return self.filter(valid_to__isnull=True, valid_from__gte=REFORM_DATE)

    def legacy(self) -> AdministrativeUnitQuerySet:
        return self.filter(valid_to__lte=LEGACY_VALID_TO)

    def communes(self) -> AdministrativeUnitQuerySet:
        return self.filter(level=Level.COMMUNE)

    def provinces(self) -> AdministrativeUnitQuerySet:
        return self.filter(level=Level.PROVINCE)


class AdministrativeUnit(models.Model):
    """A province, district (legacy only) or commune-level unit during its validity period.

    ``parent`` is the unit directly above (commune → province since 2025-07-01; legacy
    commune → district → province). ``province`` points at the province for every level
    (a province points at itself) so that scoping and roll-ups need no recursive query.
    Centroid in WGS84 degrees; ``boundary`` is a GeoJSON geometry (Polygon/MultiPolygon)
    as text, or empty where no boundary is known.
    """

    code = models.CharField(max_length=5, db_index=True)
    name = models.CharField(max_length=100)
    full_name = models.CharField(max_length=150)
    name_en = models.CharField(max_length=150, blank=True)
    unit_type = models.CharField(max_length=32, choices=UnitType.choices)
    level = models.CharField(max_length=10, choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    province = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    centroid_lat = models.FloatField(null=True, blank=True)
    centroid_lon = models.FloatField(null=True, blank=True)
    area_km2 = models.FloatField(null=True, blank=True)
    boundary = models.TextField(blank=True, default="")
    boundary_source = models.CharField(max_length=255, blank=True, default="")
    search_name = models.CharField(max_length=150, db_index=True, blank=True, default="")

    objects = AdministrativeUnitQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        constraints = [
            # A code names one current unit per level, and one ended unit per level and end date.
            models.UniqueConstraint(
                fields=["level", "code"],
                condition=Q(valid_to__isnull=True),
                name="unit_unique_current_code",
            ),
            models.UniqueConstraint(
                fields=["level", "code", "valid_to"],
                condition=Q(valid_to__isnull=False),
                name="unit_unique_ended_code",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_from__lte=models.F("valid_to")),
                name="unit_valid_period_ordered",
            ),
        ]
        indexes = [models.Index(fields=["level", "valid_to", "province"])]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.code})"

    @property
    def is_current(self) -> bool:
        return self.valid_to is None

    @property
    def is_commune(self) -> bool:
        return self.level == Level.COMMUNE


class LineageEvent(models.TextChoices):
    """What happened to the predecessor on ``effective_on``, seen from the successor.

    ``continue`` is the official "giữ nguyên hiện trạng" (kept as it was): one old unit became
    exactly one new unit with the same full name. It still needs an edge because the reform
    created a new row (new validity period, often a reused code).
    """

    MERGE = "merge", "Sáp nhập / Merge"
    SPLIT = "split", "Chia tách / Split"
    RENAME = "rename", "Đổi tên / Rename"
    CONTINUE = "continue", "Giữ nguyên / Continued"


class UnitLineage(models.Model):
    """One edge old unit → new unit of a reorganisation, effective on ``effective_on``.

    ``partial`` is true when only part of the predecessor's territory went to the successor
    (the predecessor was split among several new units).
    """

    predecessor = models.ForeignKey(
        AdministrativeUnit, on_delete=models.PROTECT, related_name="successor_links"
    )
    successor = models.ForeignKey(
        AdministrativeUnit, on_delete=models.PROTECT, related_name="predecessor_links"
    )
    event = models.CharField(max_length=10, choices=LineageEvent.choices)
    partial = models.BooleanField(default=False)
    effective_on = models.DateField(default=REFORM_DATE)
    source = models.CharField(max_length=255)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"], name="lineage_unique_edge"
            )
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"


class VillageType(models.TextChoices):
    THON = "thon", "Thôn"
    XOM = "xom", "Xóm"
    TO_DAN_PHO = "to_dan_pho", "Tổ dân phố"
    BAN = "ban", "Bản"
    AP = "ap", "Ấp"
    KHU_PHO = "khu_pho", "Khu phố"


class VillageQuerySet(models.QuerySet):
    def visible_to(self, scope) -> models.QuerySet:
        """Villages of communes the scope reads (see :mod:`langso.accounts.access`)."""
        return scope.filter(self)


class Village(models.Model):
    """A village or residential group of a commune (Circular 04/2012/TT-BNV, amended by
    Circular 14/2018/TT-BNV): thôn, xóm, bản, ấp in communes; tổ dân phố, khu phố in wards.
    Centre in WGS84 degrees.

    ``legacy_commune`` is the commune the village belonged to before 1 July 2025 (a legacy
    commune that formed ``commune``, checked by ``registry.actions.set_village_origin``).
    Villages mostly kept their identity through the 2025 merger, so it places the village's
    records in their former commune and district for history (district-based targets of
    Decision 924/QĐ-TTg are computed on the legacy districts); empty when not recorded.
    """

    commune = models.ForeignKey(
        AdministrativeUnit, on_delete=models.PROTECT, related_name="villages"
    )
    name = models.CharField(max_length=100)
    village_type = models.CharField(max_length=12, choices=VillageType.choices)
    centre_lat = models.FloatField(null=True, blank=True)
    centre_lon = models.FloatField(null=True, blank=True)
    search_name = models.CharField(max_length=100, blank=True, default="")
    legacy_commune = models.ForeignKey(
        AdministrativeUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name="Thuộc xã cũ (trước 1/7/2025) / Former commune (before 1 July 2025)",
    )

    objects = VillageQuerySet.as_manager()

    class Meta:
        ordering = ["commune", "name"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "name"], name="village_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.get_village_type_display()} {self.name}"
