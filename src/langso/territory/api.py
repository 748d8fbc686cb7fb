"""API of the administrative geography: units (public reference data) and villages (scoped).

Units — current and legacy, with their lineage — are reference data that any authenticated
caller may read; villages belong to a commune and are listed only inside the caller's scope.
"""

from __future__ import annotations

import json
from typing import Any

from django.db.models import Prefetch, QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.routers import BaseRouter

from langso.accounts.access import Scope
from langso.accounts.api import ScopedReadOnlyViewSet, StrictBooleanFilter

from .models import AdministrativeUnit, LineageEvent, Level, UnitLineage, Village, VillageType


class UnitLinkSerializer(serializers.Serializer):
    """One lineage edge seen from a unit: the unit on the other side and the event."""

    id = serializers.IntegerField()
    code = serializers.CharField()
    full_name = serializers.CharField()
    level = serializers.ChoiceField(choices=Level.choices)
    valid_from = serializers.DateField(allow_null=True)
    valid_to = serializers.DateField(allow_null=True)
    event = serializers.ChoiceField(choices=LineageEvent.choices)
    partial = serializers.BooleanField()
    effective_on = serializers.DateField()


def _link(unit: AdministrativeUnit, edge: UnitLineage) -> dict[str, Any]:
    return {
        "id": unit.pk, "code": unit.code, "full_name": unit.full_name, "level": unit.level,
        "valid_from": unit.valid_from, "valid_to": unit.valid_to, "event": edge.event,
        "partial": edge.partial, "effective_on": edge.effective_on,
    }


class UnitSerializer(serializers.ModelSerializer):
    """A unit during its validity period. Codes were reused by the 2025 reform, so ``id``
    (not ``code``) identifies a unit; ``valid_to`` is null for units in force."""

    parent_id = serializers.IntegerField(read_only=True, allow_null=True)
    parent_code = serializers.CharField(source="parent.code", allow_null=True, read_only=True)
    province_id = serializers.IntegerField(read_only=True, allow_null=True)
    province_code = serializers.CharField(source="province.code", allow_null=True, read_only=True)
    predecessors = serializers.SerializerMethodField()
    successors = serializers.SerializerMethodField()

    class Meta:
        model = AdministrativeUnit
        fields = [
            "id", "code", "name", "full_name", "name_en", "unit_type", "level",
            "parent_id", "parent_code", "province_id", "province_code", "valid_from", "valid_to",
            "centroid_lat", "centroid_lon", "area_km2", "predecessors", "successors",
        ]

    @extend_schema_field(UnitLinkSerializer(many=True))
    def get_predecessors(self, unit: AdministrativeUnit) -> list[dict[str, Any]]:
        """Units this one was formed from (merge, split or rename)."""
        return [_link(edge.predecessor, edge) for edge in unit.predecessor_links.all()]

    @extend_schema_field(UnitLinkSerializer(many=True))
    def get_successors(self, unit: AdministrativeUnit) -> list[dict[str, Any]]:
        """Units this one became."""
        return [_link(edge.successor, edge) for edge in unit.successor_links.all()]


class UnitDetailSerializer(UnitSerializer):
    """A unit with its boundary (GeoJSON geometry in WGS84, or null where none is known)."""

    boundary = serializers.SerializerMethodField()

    class Meta(UnitSerializer.Meta):
        fields = [*UnitSerializer.Meta.fields, "boundary", "boundary_source"]

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_boundary(self, unit: AdministrativeUnit) -> dict[str, Any] | None:
        return json.loads(unit.boundary) if unit.boundary else None


class UnitFilter(filters.FilterSet):
    level = filters.ChoiceFilter(choices=Level.choices)
    code = filters.CharFilter(help_text="Statistics code (2 digits for a province, 5 for a commune).")
    province = filters.CharFilter(field_name="province__code", help_text="Code of the unit's province.")
    parent = filters.CharFilter(field_name="parent__code", help_text="Code of the unit directly above.")
    valid_on = filters.DateFilter(method="filter_valid_on", help_text="Units in force on this day (ISO 8601).")
    current = StrictBooleanFilter(
        method="filter_current",
        help_text="true: units of the two-level system since 2025-07-01; false: units that ended.",
    )

    class Meta:
        model = AdministrativeUnit
        fields: list[str] = []

    def filter_valid_on(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        return queryset.valid_on(value)

    def filter_current(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.current() if value else queryset.filter(valid_to__isnull=False)


class UnitViewSet(viewsets.ReadOnlyModelViewSet):
    """Administrative units, current and legacy: public reference data for any signed-in user."""

    filterset_class = UnitFilter
    queryset = (
        AdministrativeUnit.objects.select_related("parent", "province")
        .prefetch_related(
            Prefetch(
                "predecessor_links",
                queryset=UnitLineage.objects.select_related("predecessor").order_by("predecessor__code", "id"),
            ),
            Prefetch(
                "successor_links",
                queryset=UnitLineage.objects.select_related("successor").order_by("successor__code", "id"),
            ),
        )
        .defer("boundary")
        .order_by("code", "level", "id")
    )

    def get_queryset(self) -> QuerySet:
        queryset = super().get_queryset()
        if self.action == "retrieve":
            queryset = queryset.defer(None)  # the detail carries the boundary
        return queryset

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return UnitDetailSerializer if self.action == "retrieve" else UnitSerializer


class VillageSerializer(serializers.ModelSerializer):
    """A village; ``legacy_commune``/``legacy_commune_id`` name the commune it belonged to before
    1 July 2025 (code of a former unit; null when not recorded)."""

    commune = serializers.CharField(source="commune.code", read_only=True)
    commune_id = serializers.IntegerField(read_only=True)
    legacy_commune = serializers.CharField(source="legacy_commune.code", read_only=True, allow_null=True)
    legacy_commune_id = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = Village
        fields = ["id", "commune", "commune_id", "name", "village_type", "centre_lat", "centre_lon",
                  "legacy_commune", "legacy_commune_id"]


class VillageFilter(filters.FilterSet):
    commune = filters.CharFilter(field_name="commune__code", help_text="Code of the commune.")
    village_type = filters.ChoiceFilter(choices=VillageType.choices)

    class Meta:
        model = Village
        fields: list[str] = []


class VillageViewSet(ScopedReadOnlyViewSet):
    """Villages (thôn, xóm, tổ dân phố) of the communes the caller may read."""

    model = Village
    serializer_class = VillageSerializer
    filterset_class = VillageFilter

    def visible(self, scope: Scope) -> QuerySet:
        # Village has no ``visible_to`` manager yet (territory/models.py); the scope filters by commune.
        return scope.filter(Village.objects.all())

    def base_queryset(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("commune", "legacy_commune").order_by("commune__code", "name", "id")


def register(router: BaseRouter) -> None:
    router.register("units", UnitViewSet, basename="unit")
    router.register("villages", VillageViewSet, basename="village")
