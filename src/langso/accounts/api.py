"""Building blocks of the read-only API (/api/): scoped viewsets and unit-scoped rows.

Every viewset over commune-owned rows derives from :class:`ScopedReadOnlyViewSet`, whose only
source of rows is ``model.objects.visible_to(scope_for(request.user))``. Detail routes look the
object up in that queryset, so an object outside the caller's scope answers 404 exactly like
one that does not exist. Authentication is required everywhere (settings' default permission);
anonymous callers get 401 without data.
"""

from __future__ import annotations

from typing import Any, ClassVar

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
