"""Admin of the administrative geography: units and lineage are reference data (read-only for
all but the superuser); villages belong to a commune and are scoped."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from langso.accounts.access import Scope
from langso.accounts.admin import ReferenceDataAdmin, ScopedAdmin

from .models import AdministrativeUnit, UnitLineage, Village


class PredecessorInline(admin.TabularInline):
    model = UnitLineage
    fk_name = "successor"
    fields = ["predecessor", "event", "partial", "effective_on", "source"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name = "predecessor"
    verbose_name_plural = "predecessors (lineage)"

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return True  # reference data, shown on a unit page the user may already see

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(ReferenceDataAdmin):
    list_display = ["code", "full_name", "level", "unit_type", "province", "valid_from", "valid_to"]
    list_filter = ["level", "unit_type", ("valid_to", admin.EmptyFieldListFilter)]
    list_select_related = ["province"]
    search_fields = ["code", "name", "search_name"]
    raw_id_fields = ["parent", "province"]
    inlines = [PredecessorInline]


@admin.register(UnitLineage)
class UnitLineageAdmin(ReferenceDataAdmin):
    list_display = ["predecessor", "successor", "event", "partial", "effective_on"]
    list_filter = ["event", "partial"]
    list_select_related = ["predecessor", "successor"]
    search_fields = ["predecessor__code", "successor__code", "predecessor__name", "successor__name"]
    raw_id_fields = ["predecessor", "successor"]


@admin.register(Village)
class VillageAdmin(ScopedAdmin):
    """Villages of the user's communes. Commune officers add them (registry.actions.create_village);
    changing one waits for an update action."""

    can_add = True
    fields = ["commune", "name", "village_type", "centre_lat", "centre_lon"]
    list_display = ["name", "village_type", "commune"]
    list_filter = ["village_type"]
    list_select_related = ["commune"]
    search_fields = ["name", "search_name"]

    def visible(self, scope: Scope, queryset: QuerySet) -> QuerySet:
        # Village has no ``visible_to`` manager yet (territory/models.py); the scope filters by commune.
        return scope.filter(queryset)

    def create(self, actor: Any, data: dict[str, Any]) -> Village:
        from langso.registry.actions import create_village

        return create_village(
            actor, data["commune"], data["name"], data["village_type"],
            centre_lat=data.get("centre_lat"), centre_lon=data.get("centre_lon"),
        )
