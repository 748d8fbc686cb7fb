"""Admin of the indicators: the catalogue and targets are reference data (read-only for all but
the superuser); values and computation runs are written only by the engine."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from langso.accounts.admin import ReadOnlyAdmin, ReferenceDataAdmin, UnitScopedReadOnlyAdmin

from .models import ComputationRun, Indicator, IndicatorValue, Target


class TargetInline(admin.TabularInline):
    """The indicator's targets, for reading (a superuser changes them on the target page, audited)."""

    model = Target
    fields = ["comparison", "value", "year", "source", "verified"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return True  # reference data on an indicator page the user may already see

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Indicator)
class IndicatorAdmin(ReferenceDataAdmin):
    list_display = ["code", "name_vi", "unit", "numerator", "denominator", "position"]
    list_filter = ["unit"]
    search_fields = ["code", "name_vi", "name_en"]
    inlines = [TargetInline]


@admin.register(Target)
class TargetAdmin(ReferenceDataAdmin):
    list_display = ["indicator", "comparison", "value", "year", "verified"]
    list_filter = ["year", "verified"]
    list_select_related = ["indicator"]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(UnitScopedReadOnlyAdmin):
    list_display = ["indicator", "unit", "period", "numerator", "denominator", "value", "computed_at"]
    list_filter = ["period", ("indicator", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["indicator", "unit"]
    search_fields = ["unit__code", "indicator__code"]


@admin.register(ComputationRun)
class ComputationRunAdmin(ReadOnlyAdmin):
    list_display = ["period", "as_of", "started_at", "communes", "values_written", "seconds"]
