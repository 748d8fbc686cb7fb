"""Payment profiles of business households in the admin: scoped by commune, view only."""

from __future__ import annotations

from django.contrib import admin

from langso.accounts.admin import ScopedAdmin

from .models import PaymentProfile


@admin.register(PaymentProfile)
class PaymentProfileAdmin(ScopedAdmin):
    list_display = ["business", "bank_bin", "account_kind", "account_number", "active", "commune"]
    list_filter = ["active", "account_kind"]
    list_select_related = ["commune", "business"]
    search_fields = ["=account_number"]
