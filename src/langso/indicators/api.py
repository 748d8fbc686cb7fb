"""API of the indicators: the catalogue (reference data) and computed values (scoped).

A commune officer reads its own commune's values; a province officer reads the values of its
province's communes and the province roll-up; a superuser reads everything.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django_filters import rest_framework as filters
from rest_framework import serializers, viewsets
from rest_framework.routers import BaseRouter

from langso.accounts.access import Scope
from langso.accounts.api import ScopedReadOnlyViewSet, StrictBooleanFilter, visible_by_unit
from langso.territory.models import Level

from .models import Indicator, IndicatorValue, Target


class TargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = Target
        fields = ["comparison", "value", "year", "source", "verified"]


class IndicatorSerializer(serializers.ModelSerializer):
    """An indicator definition: value = 100 × numerator / denominator for ``percent`` indicators."""

    targets = TargetSerializer(many=True, read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "id", "code", "name_vi", "name_en", "description_vi", "description_en", "numerator",
            "denominator", "unit", "higher_is_better", "source", "targets",
        ]


class IndicatorViewSet(viewsets.ReadOnlyModelViewSet):
    """The indicator catalogue with its programme targets: reference data for any signed-in user."""

    queryset = Indicator.objects.prefetch_related("targets").order_by("position", "code")
    serializer_class = IndicatorSerializer
    filterset_fields = ["code", "unit"]


class IndicatorValueSerializer(serializers.ModelSerializer):
    """One value of an indicator for a unit and period (``YYYYMM``); ``value`` is null when the
    denominator is 0. Province values are sums of their communes' numerators and denominators.
    ``unit_valid_to`` is null for today's units and ``2025-06-30`` for the former districts and
    provinces (history by former district): codes were reused, so a code alone is ambiguous."""

    indicator = serializers.CharField(source="indicator.code", read_only=True)
    unit = serializers.CharField(source="unit.code", read_only=True)
    unit_id = serializers.IntegerField(read_only=True)
    unit_name = serializers.CharField(source="unit.full_name", read_only=True)
    level = serializers.ChoiceField(source="unit.level", choices=Level.choices, read_only=True)
    unit_valid_to = serializers.DateField(source="unit.valid_to", read_only=True, allow_null=True)

    class Meta:
        model = IndicatorValue
        fields = [
            "id", "indicator", "unit", "unit_id", "unit_name", "level", "unit_valid_to", "period", "as_of",
            "numerator", "denominator", "value", "computed_at",
        ]


class IndicatorValueFilter(filters.FilterSet):
    indicator = filters.CharFilter(field_name="indicator__code", help_text="Indicator code.")
    period = filters.CharFilter(help_text="Period code, e.g. 202611 (YYYYMM).")
    unit = filters.CharFilter(field_name="unit__code", help_text="Code of the commune or province.")
    level = filters.ChoiceFilter(field_name="unit__level", choices=Level.choices)
    former = StrictBooleanFilter(field_name="unit__valid_to", lookup_expr="isnull", exclude=True,
                                 help_text="true: former units (before 1 July 2025) only; false: today's units only.")

    class Meta:
        model = IndicatorValue
        fields: list[str] = []


class IndicatorValueViewSet(ScopedReadOnlyViewSet):
    """Indicator values of the communes (and provinces) the caller may read."""

    model = IndicatorValue
    serializer_class = IndicatorValueSerializer
    filterset_class = IndicatorValueFilter

    def visible(self, scope: Scope) -> QuerySet:
        return visible_by_unit(scope, IndicatorValue.objects.all())

    def base_queryset(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("indicator", "unit").order_by("period", "indicator__position", "unit__code", "id")


def register(router: BaseRouter) -> None:
    router.register("indicators", IndicatorViewSet, basename="indicator")
    router.register("indicator-values", IndicatorValueViewSet, basename="indicator-value")
