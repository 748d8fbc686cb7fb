"""Digital address codes in the admin: scoped by the issuing commune, view only (codes are
issued by the addressing actions, never typed in)."""

from __future__ import annotations

from django.contrib import admin

from langso.accounts.admin import ScopedAdmin

from .models import AddressCode


@admin.register(AddressCode)
class AddressCodeAdmin(ScopedAdmin):
    list_display = ["code", "household", "commune", "issued_at"]
    list_select_related = ["commune", "household"]
    search_fields = ["=code"]
