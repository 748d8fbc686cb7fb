"""The Django admin for officials, scoped like everything else, and the membership admin.

Rules (docs/access.md, the same as the web pages and the API):
- rows come only through the scope (``visible_to``); an object outside it is "does not exist";
- a commune officer may add and change its own commune's rows where an action exists to do it;
  a province officer only views; nobody deletes (nothing is ever deleted);
- foreign-key choices are limited to the communes the user may write;
- every save goes through the app's ``actions.py`` (audit entry, validation, NFC): the form is
  first checked by running the action in a transaction that is rolled back, so a broken rule is
  shown on the form's field instead of a server error, then :meth:`save_model` runs it for real;
- only staff reach the admin (Django's ``AdminSite.has_permission``).

Reference data (units, indicators) is read-only for everyone but the superuser.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.contrib import admin
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import HttpRequest

from langso.audit.log import record
from langso.lib.errors import RuleViolation

from . import actions as account_actions
from .access import Scope, scope_for
from .api import visible_by_unit
from .models import Membership


class _DryRun(Exception):
    """Raised to roll back the trial run of an action during form validation."""


class ActionAdminMixin:
    """Saves of a ModelAdmin through an app's actions: :meth:`create` and :meth:`update` call them.

    The form is validated by running the action inside a transaction that is then rolled back,
    so a :class:`RuleViolation` appears on the field it names; :meth:`save_model` runs it for real.
    """

    # Fields that the update action accepts; anything else on the form is display only.
    update_fields: tuple[str, ...] = ()

    def create(self, actor: Any, data: dict[str, Any]) -> models.Model:
        """Add a row through the app's action; each admin that allows adding overrides this."""
        raise ImproperlyConfigured(f"{type(self).__name__} allows adding but does not say which action adds a row")

    def update(self, actor: Any, original: models.Model, changes: dict[str, Any]) -> models.Model:
        """Change a row through the app's action; each admin that allows changes overrides this."""
        raise ImproperlyConfigured(f"{type(self).__name__} allows changes but does not say which action changes a row")

    def _run_action(self, request: HttpRequest, form: forms.ModelForm, change: bool) -> models.Model:
        if not change:
            return self.create(request.user, dict(form.cleaned_data))
        # The form has already copied its values onto form.instance: give the action a fresh row.
        original = self.get_queryset(request).get(pk=form.instance.pk)
        changes = {name: form.cleaned_data[name] for name in form.changed_data if name in self.update_fields}
        return self.update(request.user, original, changes)

    def get_form(self, request: HttpRequest, obj: models.Model | None = None, change: bool = False, **kwargs: Any):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        model_admin = self

        class ActionCheckedForm(form_class):  # type: ignore[misc, valid-type]
            def _post_clean(self) -> None:
                super()._post_clean()
                if self._errors:
                    return
                try:
                    with transaction.atomic():
                        model_admin._run_action(request, self, change)
                        raise _DryRun
                except _DryRun:
                    pass
                except RuleViolation as exc:
                    self.add_error(exc.field if exc.field in self.fields else None, f"{exc.vi} — {exc.en}")

        ActionCheckedForm.__name__ = form_class.__name__
        return ActionCheckedForm

    def save_model(self, request: HttpRequest, obj: models.Model, form: forms.ModelForm, change: bool) -> None:
        saved = self._run_action(request, form, change)
        # The admin logs and redirects with ``obj``: make it the row the action saved.
        obj.pk = saved.pk
        obj._state.adding = False
        obj._state.db = saved._state.db


class ScopedAdmin(ActionAdminMixin, admin.ModelAdmin):
    """Admin of a commune-owned model (a ``commune`` foreign key on every row).

    Subclasses that let commune officers write set ``can_add``/``can_change`` and implement
    :meth:`create` / :meth:`update` by calling the app's actions.
    """

    commune_attr = "commune_id"
    can_add = False
    can_change = False

    # --- scope ---------------------------------------------------------------------------

    def scope(self, request: HttpRequest) -> Scope:
        return scope_for(request.user)

    def visible(self, scope: Scope, queryset: QuerySet) -> QuerySet:
        return queryset.visible_to(scope)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return self.visible(self.scope(request), super().get_queryset(request))

    def _commune_of(self, obj: models.Model) -> int:
        return getattr(obj, self.commune_attr)

    # --- permissions -----------------------------------------------------------------------

    def has_module_permission(self, request: HttpRequest) -> bool:
        return not self.scope(request).is_empty

    def has_view_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        scope = self.scope(request)
        if obj is None:
            return not scope.is_empty
        return scope.can_read_commune(self._commune_of(obj))

    def _writes_somewhere(self, scope: Scope) -> bool:
        return scope.everything or bool(scope.writable)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.can_add and self._writes_somewhere(self.scope(request))

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        if not self.can_change:
            return False
        scope = self.scope(request)
        if obj is None:
            return self._writes_somewhere(scope)
        return scope.can_write_commune(self._commune_of(obj))

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    # --- choices ---------------------------------------------------------------------------

    def writable_choices(self, scope: Scope, db_field: models.ForeignKey) -> QuerySet | None:
        """Choices of ``db_field`` limited to what the scope may write (``None``: leave as is)."""
        from langso.registry.models import Household, Resident
        from langso.territory.models import AdministrativeUnit, Village

        related = db_field.related_model
        if related is AdministrativeUnit:
            return scope.filter_writable(AdministrativeUnit.objects.current().communes(), "pk")
        if related in (Village, Household, Resident):
            return scope.filter_writable(related._default_manager.all())
        return None

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        choices = self.writable_choices(self.scope(request), db_field)
        if choices is not None:
            kwargs["queryset"] = choices
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:  # pragma: no cover - no permission
        raise PermissionError("Nothing is deleted")

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:  # pragma: no cover
        raise PermissionError("Nothing is deleted")


class ReferenceDataAdmin(admin.ModelAdmin):
    """Reference data (units, lineage, indicators, targets): every official views it; only a
    superuser changes it, and each change is written to the audit log. Nothing is deleted."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser or not scope_for(request.user).is_empty

    def has_view_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: models.Model, form: forms.ModelForm, change: bool) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            changes = {name: str(form.cleaned_data.get(name)) for name in form.changed_data}
            label = obj._meta.label_lower.replace(".", "_")
            record(request.user, f"{label}.{'update' if change else 'create'}", obj, data=changes)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows only a program writes (computed values, runs, the audit log): viewable by officials,
    never edited, not even by the superuser."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser or not scope_for(request.user).is_empty

    def has_view_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False


class UnitScopedReadOnlyAdmin(ReadOnlyAdmin):
    """Read-only rows tied to a commune or a province by ``unit`` (indicator values, audit
    entries): a commune officer sees its commune's rows, a province officer also its
    province's own rows; rows of no unit (system jobs) only the superuser sees."""

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return visible_by_unit(scope_for(request.user), super().get_queryset(request))

    def has_view_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        scope = scope_for(request.user)
        if obj is None:
            return not scope.is_empty
        unit_id = obj.unit_id  # type: ignore[attr-defined]
        if unit_id is None:
            return scope.everything
        return scope.can_read_commune(unit_id) or scope.can_read_province(unit_id)


@admin.register(Membership)
class MembershipAdmin(ActionAdminMixin, admin.ModelAdmin):
    """Who holds which role where: granted and revoked by a superuser only, through
    ``accounts.actions`` (audit log). A grant is not changed in place: revoke it and grant anew."""

    list_display = ["user", "role", "unit", "granted_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "unit__code", "unit__name"]
    autocomplete_fields = ["user", "unit"]
    fields = ["user", "unit", "role"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return request.user.is_superuser

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return request.user.is_superuser

    def create(self, actor: Any, data: dict[str, Any]) -> Membership:
        return account_actions.grant_membership(actor, data["user"], data["unit"], data["role"])

    def delete_model(self, request: HttpRequest, obj: Membership) -> None:
        account_actions.revoke_membership(request.user, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        with transaction.atomic():
            for membership in queryset.select_related("unit"):
                account_actions.revoke_membership(request.user, membership)
