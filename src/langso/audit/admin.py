"""The audit log in the admin: read-only for everyone, scoped by the unit each entry touched."""

from __future__ import annotations

from django.contrib import admin

from langso.accounts.admin import UnitScopedReadOnlyAdmin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(UnitScopedReadOnlyAdmin):
    list_display = ["at", "action", "target_type", "target_id", "unit", "actor"]
    list_filter = ["action", "target_type"]
    list_select_related = ["unit", "actor"]
    search_fields = ["=target_id", "action"]
    date_hierarchy = "at"
