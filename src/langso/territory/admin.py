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
    """Villages of the user's communes. Commune officers add them (registry.actions.create_village)
    and record the commune each belonged to before 1 July 2025 (registry.actions.set_village_origin,
    used for the history by former district); other changes wait for an update action."""

    can_add = True
    can_change = True
    update_fields = ("legacy_commune",)
    list_display = ["name", "village_type", "commune", "legacy_commune"]
    list_filter = ["village_type", ("legacy_commune", admin.EmptyFieldListFilter)]
    list_select_related = ["commune", "legacy_commune"]
    search_fields = ["name", "search_name"]

    def get_fields(self, request: HttpRequest, obj: Village | None = None) -> list[str]:
        fields = ["commune", "name", "village_type", "centre_lat", "centre_lon"]
        return fields if obj is None else [*fields, "legacy_commune"]

    def get_readonly_fields(self, request: HttpRequest, obj: Village | None = None) -> list[str]:
        return [] if obj is None else ["commune", "name", "village_type", "centre_lat", "centre_lon"]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "legacy_commune":
            # The former communes that formed a commune the user writes; the action checks the village's own.
            writable = self.scope(request).filter_writable(
                AdministrativeUnit.objects.current().communes(), "pk").values("pk")
            kwargs["queryset"] = AdministrativeUnit.objects.legacy().communes().filter(
                successor_links__successor__in=writable).distinct().order_by("code")
            return admin.ModelAdmin.formfield_for_foreignkey(self, db_field, request, **kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def update(self, actor: Any, original: Village, changes: dict[str, Any]) -> Village:
        from langso.registry.actions import set_village_origin

        if "legacy_commune" in changes:
            return set_village_origin(actor, original, changes["legacy_commune"])
        return original

    def visible(self, scope: Scope, queryset: QuerySet) -> QuerySet:
        # Village has no ``visible_to`` manager yet (territory/models.py); the scope filters by commune.
        return scope.filter(queryset)

    def create(self, actor: Any, data: dict[str, Any]) -> Village:
        from langso.registry.actions import create_village

        return create_village(
            actor, data["commune"], data["name"], data["village_type"],
            centre_lat=data.get("centre_lat"), centre_lon=data.get("centre_lon"),
        )
