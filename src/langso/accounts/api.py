"""Building blocks of the read-only API (/api/): scoped viewsets and unit-scoped rows.

Every viewset over commune-owned rows derives from :class:`ScopedReadOnlyViewSet`, whose only
source of rows is ``model.objects.visible_to(scope_for(request.user))``. Detail routes look the
object up in that queryset, so an object outside the caller's scope answers 404 exactly like
one that does not exist. Authentication is required everywhere (settings' default permission);
anonymous callers get 401 without data.
"""

from __future__ import annotations

from typing import Any, ClassVar

import django_filters
from django import forms
from django.db.models import Model, Q, QuerySet
from rest_framework import viewsets

from .access import Scope, scope_for


def visible_by_unit(scope: Scope, queryset: QuerySet, unit_field: str = "unit_id") -> QuerySet:
    """Rows of ``queryset`` of a commune or province the scope reads (:meth:`Scope.filter_units`)."""
    return scope.filter_units(queryset, unit_field)


class ScopedReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """List and retrieve rows of ``model`` that the caller's scope may read.

    Subclasses set ``model`` (whose default manager offers ``visible_to``) and may override
    :meth:`base_queryset` to add ``select_related``/annotations — never to widen the rows.
    """

    model: ClassVar[type[Model]]

    @property
    def scope(self) -> Scope:
        return scope_for(self.request.user)

    def visible(self, scope: Scope) -> QuerySet:
        """The rows ``scope`` may read: the model's ``visible_to``."""
        return self.model.objects.visible_to(scope)

    def base_queryset(self, queryset: QuerySet) -> QuerySet:
        return queryset

    def get_queryset(self) -> QuerySet:
        return self.base_queryset(self.visible(self.scope))

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        context["scope"] = self.scope
        return context


# --- filters -----------------------------------------------------------------------------------

MAX_ID = 2**63 - 1  # the largest primary key a BIGINT (PostgreSQL) or INTEGER (SQLite) column holds


class _StrictBooleanField(forms.NullBooleanField):
    """``true``/``false`` (also ``1``/``0``, ``yes``/``no``); anything else is a validation error,
    not silently "no filter"."""

    def to_python(self, value: Any) -> bool | None:
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text in {"true", "1", "yes", "on"}:
            return True
        if text in {"false", "0", "no", "off"}:
            return False
        raise forms.ValidationError("Giá trị phải là true hoặc false — must be true or false.", code="invalid")

    def validate(self, value: Any) -> None:
        return None


class IdFilter(django_filters.NumberFilter):
    """A primary-key filter: a whole number from 1 to 2⁶³−1, else 400 (a larger number used to
    reach the database and fail there; a decimal used to be cut to its integer part)."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class StrictBooleanFilter(django_filters.BooleanFilter):
    """A true/false filter that answers 400 to any other value instead of ignoring it."""

    field_class = _StrictBooleanField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput)  # the select widget would turn "maybe" into "no filter"
        super().__init__(*args, **kwargs)
