"""Admin of the population register, scoped by commune; saves go through registry.actions."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from langso.accounts.access import scope_for
from langso.accounts.admin import ScopedAdmin
from langso.lib.vietnamese import fold

from . import actions
from .models import BusinessHousehold, Household, Resident


class ResidentInline(admin.TabularInline):
    """The household's members, for reading: residents are added and changed on their own page."""

    model = Resident
    fields = ["full_name", "relation_to_head", "date_of_birth", "sex", "moved_out_on", "died_on"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Shown on a household page the user may already see; its rows are that household's members.
        return not scope_for(request.user).is_empty


def _folded_search(model_admin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet, term: str):
    # Search columns hold folded names (no accents): fold the term too so "Nguyễn" finds "nguyen".
    return admin.ModelAdmin.get_search_results(model_admin, request, queryset, fold(term) if term else term)


@admin.register(Household)
class HouseholdAdmin(ScopedAdmin):
    can_add = True
    can_change = True
    update_fields = tuple(sorted(actions.HOUSEHOLD_FIELDS))
    list_display = ["id", "commune", "village", "address", "registered_on", "dissolved_on"]
    list_filter = [("village", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["commune", "village"]
    search_fields = ["=id", "head_search_name"]
    inlines = [ResidentInline]

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str) -> tuple[QuerySet, bool]:
        return _folded_search(self, request, queryset, search_term)

    def get_fields(self, request: HttpRequest, obj: Household | None = None) -> list[str]:
        fields = ["commune", "village", "address", "latitude", "longitude", "registered_on"]
        return fields if obj is None else [*fields, "dissolved_on"]

    def get_readonly_fields(self, request: HttpRequest, obj: Household | None = None) -> list[str]:
        return [] if obj is None else ["commune"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("commune", "village")

    def create(self, actor: Any, data: dict[str, Any]) -> Household:
        return actions.create_household(
            actor, data["commune"], village=data.get("village"), address=data.get("address") or "",
            latitude=data.get("latitude"), longitude=data.get("longitude"), registered_on=data.get("registered_on"),
        )

    def update(self, actor: Any, original: Household, changes: dict[str, Any]) -> Household:
        return actions.update_household(actor, original, **changes)


@admin.register(Resident)
class ResidentAdmin(ScopedAdmin):
    can_add = True
    can_change = True
    update_fields = tuple(sorted(actions.RESIDENT_FIELDS))
    list_display = ["full_name", "household", "relation_to_head", "date_of_birth", "sex", "commune"]
    list_filter = ["sex", "relation_to_head"]
    list_select_related = ["commune", "household"]
    search_fields = ["search_name", "=cccd"]
    autocomplete_fields = ["household"]
    add_fields = [
        "household", "full_name", "date_of_birth", "sex", "relation_to_head", "cccd", "phone",
        "has_online_payment_account",
    ]

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str) -> tuple[QuerySet, bool]:
        return _folded_search(self, request, queryset, search_term)

    def get_fields(self, request: HttpRequest, obj: Resident | None = None) -> list[str]:
        if obj is None:
            return self.add_fields
        return ["household", "commune", *[f for f in self.add_fields if f != "household"], "moved_out_on", "died_on"]

    def get_readonly_fields(self, request: HttpRequest, obj: Resident | None = None) -> list[str]:
        return [] if obj is None else ["household", "commune"]

    def create(self, actor: Any, data: dict[str, Any]) -> Resident:
        return actions.add_resident(
            actor, data["household"], full_name=data["full_name"], date_of_birth=data["date_of_birth"],
            sex=data["sex"], relation_to_head=data["relation_to_head"], cccd=data.get("cccd"),
            phone=data.get("phone") or "", has_online_payment_account=bool(data.get("has_online_payment_account")),
        )

    def update(self, actor: Any, original: Resident, changes: dict[str, Any]) -> Resident:
        return actions.update_resident(actor, original, **changes)


@admin.register(BusinessHousehold)
class BusinessHouseholdAdmin(ScopedAdmin):
    """View only: there is no update action for business households yet."""

    list_display = ["trade_name", "registration_number", "sector", "commune", "registered_on", "closed_on"]
    list_filter = ["sector"]
    list_select_related = ["commune"]
    search_fields = ["search_name", "=registration_number"]

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str) -> tuple[QuerySet, bool]:
        return _folded_search(self, request, queryset, search_term)
