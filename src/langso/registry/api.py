"""API of the population register: households, residents and business households.

Read-only; every row comes from ``visible_to(scope)`` (see :mod:`langso.accounts.api`). Writes
go through :mod:`langso.registry.actions` from the web pages and the admin, never through here.
"""

from __future__ import annotations


from django.db.models import OuterRef, QuerySet, Subquery
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.routers import BaseRouter

from langso.accounts.api import IdFilter, ScopedReadOnlyViewSet, StrictBooleanFilter

from .models import BusinessHousehold, BusinessSector, Household, Relation, Resident


class HouseholdSerializer(serializers.ModelSerializer):
    """A household. Coordinates are WGS84 decimal degrees; ``head_name`` is the living head's name."""

    commune = serializers.CharField(source="commune.code", read_only=True)
    commune_id = serializers.IntegerField(read_only=True)
    village_id = serializers.IntegerField(read_only=True, allow_null=True)
    village_name = serializers.CharField(source="village.name", read_only=True, allow_null=True)
    head_name = serializers.CharField(read_only=True, allow_null=True)

    class Meta:
        model = Household
        fields = [
            "id", "commune", "commune_id", "village_id", "village_name", "head_name", "address",
            "latitude", "longitude", "registered_on", "dissolved_on",
        ]


class HouseholdFilter(filters.FilterSet):
    commune = filters.CharFilter(field_name="commune__code", help_text="Code of the commune.")
    village = IdFilter(field_name="village_id", help_text="Id of the village.")
    active = StrictBooleanFilter(
        field_name="dissolved_on", lookup_expr="isnull", help_text="true: households not dissolved."
    )

    class Meta:
        model = Household
        fields: list[str] = []


class HouseholdViewSet(ScopedReadOnlyViewSet):
    """Households of the communes the caller may read."""

    model = Household
    serializer_class = HouseholdSerializer
    filterset_class = HouseholdFilter

    def base_queryset(self, queryset: QuerySet) -> QuerySet:
        head = Resident.objects.filter(
            household=OuterRef("pk"), relation_to_head=Relation.HEAD, died_on__isnull=True,
            moved_out_on__isnull=True,
        ).values("full_name")[:1]
        return queryset.select_related("commune", "village").annotate(head_name=Subquery(head)).order_by("id")


class ResidentSerializer(serializers.ModelSerializer):
    """A resident. ``cccd`` and ``phone`` are given only where the caller may read the
    resident's commune (null otherwise); the scope already limits rows to those communes, this
    keeps identifiers out of any wider listing that might reuse the serializer."""

    commune = serializers.CharField(source="commune.code", read_only=True)
    commune_id = serializers.IntegerField(read_only=True)
    household_id = serializers.IntegerField(read_only=True)
    cccd = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()

    class Meta:
        model = Resident
        fields = [
            "id", "household_id", "commune", "commune_id", "full_name", "date_of_birth", "sex",
            "relation_to_head", "cccd", "phone", "has_online_payment_account", "moved_out_on", "died_on",
        ]

    def _may_read(self, resident: Resident) -> bool:
        scope = self.context.get("scope")
        return scope is not None and scope.can_read_commune(resident.commune_id)

    @extend_schema_field(serializers.CharField(allow_null=True, min_length=12, max_length=12))
    def get_cccd(self, resident: Resident) -> str | None:
        """12-digit personal identification number (Law 26/2023/QH15), or null."""
        return resident.cccd if self._may_read(resident) else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_phone(self, resident: Resident) -> str | None:
        return resident.phone if self._may_read(resident) else None


class ResidentFilter(filters.FilterSet):
    commune = filters.CharFilter(field_name="commune__code", help_text="Code of the commune.")
    household = IdFilter(field_name="household_id", help_text="Id of the household.")
    relation_to_head = filters.ChoiceFilter(choices=Relation.choices)
    living_here = StrictBooleanFilter(method="filter_living_here", help_text="true: neither dead nor moved out.")

    class Meta:
        model = Resident
        fields: list[str] = []

    def filter_living_here(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        living = queryset.living_here()
        return living if value else queryset.exclude(pk__in=living.values("pk"))


class ResidentViewSet(ScopedReadOnlyViewSet):
    """Residents of the communes the caller may read."""

    model = Resident
    serializer_class = ResidentSerializer
    filterset_class = ResidentFilter

    def base_queryset(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("commune").order_by("household_id", "id")


class BusinessHouseholdSerializer(serializers.ModelSerializer):
    """A registered household business (Decree 01/2021/NĐ-CP). Coordinates in WGS84 degrees."""

    commune = serializers.CharField(source="commune.code", read_only=True)
    commune_id = serializers.IntegerField(read_only=True)
    household_id = serializers.IntegerField(read_only=True, allow_null=True)
    owner_id = serializers.IntegerField(read_only=True)
    owner_name = serializers.CharField(source="owner.full_name", read_only=True)

    class Meta:
        model = BusinessHousehold
        fields = [
            "id", "commune", "commune_id", "household_id", "owner_id", "owner_name",
            "registration_number", "trade_name", "sector", "address", "latitude", "longitude",
            "registered_on", "closed_on",
        ]


class BusinessHouseholdFilter(filters.FilterSet):
    commune = filters.CharFilter(field_name="commune__code", help_text="Code of the commune.")
    sector = filters.ChoiceFilter(choices=BusinessSector.choices)
    open = StrictBooleanFilter(field_name="closed_on", lookup_expr="isnull", help_text="true: not closed.")

    class Meta:
        model = BusinessHousehold
        fields: list[str] = []


class BusinessHouseholdViewSet(ScopedReadOnlyViewSet):
    """Business households of the communes the caller may read."""

    model = BusinessHousehold
    serializer_class = BusinessHouseholdSerializer
    filterset_class = BusinessHouseholdFilter

    def base_queryset(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("commune", "owner").order_by("commune__code", "trade_name", "id")


def register(router: BaseRouter) -> None:
    router.register("households", HouseholdViewSet, basename="household")
    router.register("residents", ResidentViewSet, basename="resident")
    router.register("business-households", BusinessHouseholdViewSet, basename="business-household")
