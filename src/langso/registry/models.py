"""Households, residents and business households: the commune's population register.

Nothing is deleted: a resident who moves away or dies keeps the row with the date; a
household that dissolves keeps its row with ``dissolved_on``. ``commune`` is stored on every
row (denormalised from the household) so that scoping, aggregation and distribution by
province (Citus) never need a join.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.db.models.functions import Length

models.CharField.register_lookup(Length)


class CommuneOwnedQuerySet(models.QuerySet):
    def visible_to(self, scope) -> models.QuerySet:
        """Rows of communes the scope may read (see :mod:`langso.accounts.access`)."""
        return scope.filter(self)


class HouseholdQuerySet(CommuneOwnedQuerySet):
    def active(self) -> HouseholdQuerySet:
        return self.filter(dissolved_on__isnull=True)


class Household(models.Model):
    """A household (hộ gia đình) of a commune. Location in WGS84 decimal degrees."""

    commune = models.ForeignKey(
        "territory.AdministrativeUnit", on_delete=models.PROTECT, related_name="households"
    )
    village = models.ForeignKey(
        "territory.Village", null=True, blank=True, on_delete=models.PROTECT, related_name="households"
    )
    address = models.CharField(max_length=255, blank=True, default="")
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    registered_on = models.DateField(null=True, blank=True)
    dissolved_on = models.DateField(null=True, blank=True)
    # The head's folded name, kept by the actions, so a list can be searched and sorted without a join.
    head_search_name = models.CharField(max_length=150, blank=True, default="")

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["commune", "village"]),
            models.Index(fields=["commune", "head_search_name"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True) & Q(longitude__isnull=True))
                | (
                    Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180)
                ),
                name="household_coordinates_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Hộ #{self.pk}"

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class Sex(models.TextChoices):
    MALE = "M", "Nam / Male"
    FEMALE = "F", "Nữ / Female"


class Relation(models.TextChoices):
    """Relation to the head of household, as on the residence registration form (Circular 55/2021/TT-BCA)."""

    HEAD = "head", "Chủ hộ / Head"
    SPOUSE = "spouse", "Vợ/Chồng / Spouse"
    CHILD = "child", "Con / Child"
    PARENT = "parent", "Bố/Mẹ / Parent"
    GRANDCHILD = "grandchild", "Cháu / Grandchild"
    GRANDPARENT = "grandparent", "Ông/Bà / Grandparent"
    SIBLING = "sibling", "Anh/Chị/Em / Sibling"
    CHILD_IN_LAW = "child_in_law", "Con dâu/Con rể / Child-in-law"
    OTHER_RELATIVE = "other_relative", "Họ hàng khác / Other relative"
    OTHER = "other", "Khác / Other"


class ResidentQuerySet(CommuneOwnedQuerySet):
    def living_here(self) -> ResidentQuerySet:
        """Residents neither dead nor moved out."""
        return self.filter(died_on__isnull=True, moved_out_on__isnull=True)


class Resident(models.Model):
    """A person registered in a household.

    ``cccd`` is the 12-digit personal identification number (Law 26/2023/QH15 on
    Identification; structure in Decree 70/2024/NĐ-CP art. 12 / Circular 07/2016/TT-BCA),
    validated by :func:`langso.registry.identifiers.validate_cccd`.
    """

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="members")
    commune = models.ForeignKey(
        "territory.AdministrativeUnit", on_delete=models.PROTECT, related_name="residents"
    )
    full_name = models.CharField(max_length=150)
    search_name = models.CharField(max_length=150, blank=True, default="")
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=1, choices=Sex.choices)
    cccd = models.CharField("CCCD", max_length=12, null=True, blank=True)
    # The old 9-digit identity card number (CMND, Decree 05/1999/NĐ-CP) still found in commune lists;
    # the importer matches a person by it when there is no CCCD.
    old_id_number = models.CharField("CMND", max_length=9, null=True, blank=True)
    relation_to_head = models.CharField(max_length=20, choices=Relation.choices)
    phone = models.CharField(max_length=15, blank=True, default="")
    has_online_payment_account = models.BooleanField(default=False)
    moved_out_on = models.DateField(null=True, blank=True)
    died_on = models.DateField(null=True, blank=True)

    objects = ResidentQuerySet.as_manager()

    class Meta:
        ordering = ["household_id", "id"]
        indexes = [
            models.Index(fields=["commune", "search_name"]),
            models.Index(fields=["commune", "date_of_birth"]),
            models.Index(fields=["household"]),
            models.Index(fields=["commune", "cccd"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(relation_to_head="head", died_on__isnull=True, moved_out_on__isnull=True),
                name="resident_one_head_per_household",
            ),
            models.UniqueConstraint(
                fields=["cccd"],
                condition=Q(cccd__isnull=False, died_on__isnull=True),
                name="resident_cccd_unique_among_living",
            ),
            models.CheckConstraint(
                condition=Q(cccd__isnull=True) | Q(cccd__length=12),
                name="resident_cccd_12_chars",
            ),
            models.CheckConstraint(condition=Q(sex__in=["M", "F"]), name="resident_sex_valid"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def is_living_here(self) -> bool:
        return self.died_on is None and self.moved_out_on is None


class BusinessSector(models.TextChoices):
    """Broad sectors of household businesses (sections of the Vietnam Standard Industrial
    Classification, Decision 27/2018/QĐ-TTg), as the commune records them."""

    RETAIL = "retail", "Bán lẻ, tạp hóa / Retail"
    FOOD = "food", "Ăn uống / Food and drink"
    AGRICULTURE = "agriculture", "Nông sản / Farm produce"
    CRAFT = "craft", "Thủ công, làng nghề / Crafts"
    MANUFACTURING = "manufacturing", "Sản xuất, chế biến / Manufacturing"
    REPAIR = "repair", "Sửa chữa / Repair"
    TRANSPORT = "transport", "Vận tải / Transport"
    ACCOMMODATION = "accommodation", "Lưu trú, homestay / Accommodation"
    SERVICES = "services", "Dịch vụ khác / Other services"


class BusinessHousehold(models.Model):
    """A registered household business (hộ kinh doanh, Decree 01/2021/NĐ-CP art. 79–92).

    ``registration_number`` is the certificate number issued by the registration office,
    unique within the commune that keeps the record. Location in WGS84 decimal degrees.
    """

    commune = models.ForeignKey(
        "territory.AdministrativeUnit", on_delete=models.PROTECT, related_name="business_households"
    )
    household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.PROTECT, related_name="businesses"
    )
    owner = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="businesses")
    registration_number = models.CharField(max_length=30)
    trade_name = models.CharField(max_length=150)
    search_name = models.CharField(max_length=150, blank=True, default="")
    sector = models.CharField(max_length=20, choices=BusinessSector.choices)
    address = models.CharField(max_length=255, blank=True, default="")
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    registered_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)

    objects = CommuneOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["commune", "trade_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "registration_number"], name="business_unique_registration"
            )
        ]

    def __str__(self) -> str:
        return self.trade_name
