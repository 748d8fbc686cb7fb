"""The one place that decides who may see and change what.

A request's user becomes a :class:`Scope`: the current communes it may read and the ones it
may write. Views, API views, the admin and exports obtain commune-owned rows only through
``Model.objects.visible_to(scope)`` or the ``get_*_or_404`` helpers below. An outsider gets
``Http404`` — the same answer as for a record that does not exist — never a hint.

Rules (docs/access.md):
- superuser: reads and writes every unit;
- province officer: reads every current commune of its province, and the history of the
  former provinces and districts (before 1 July 2025) whose territory went into it;
- commune officer: reads and writes its own commune;
- health worker: reads and writes the health records of its own commune (``health_readable``);
  nobody else reads health records, not even the province or the commune officers (superusers
  excepted), and every read is audited (:func:`get_health_record_or_404`);
- anonymous or without membership: nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model, Q, QuerySet
from django.http import Http404

from langso.territory.models import AdministrativeUnit, Level, UnitLineage

from .models import Membership, Role


@dataclass(frozen=True)
class Scope:
    """What one user may reach. ``everything`` short-circuits the id sets (superuser).

    ``readable`` and ``writable`` are sets of commune primary keys; ``provinces`` the
    primary keys of provinces whose province-level pages (dashboard) the user may open;
    ``legacy_provinces`` the former provinces (in force until 30 June 2025) merged into one of
    ``provinces`` (province-level lineage edges): their history by former district is readable.
    """

    user: Any = None
    everything: bool = False
    readable: frozenset[int] = field(default_factory=frozenset)
    writable: frozenset[int] = field(default_factory=frozenset)
    provinces: frozenset[int] = field(default_factory=frozenset)
    health_readable: frozenset[int] = field(default_factory=frozenset)
    legacy_provinces: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_empty(self) -> bool:
        return not self.everything and not self.readable and not self.provinces and not self.health_readable

    def can_read_commune(self, commune_id: int) -> bool:
        return self.everything or commune_id in self.readable

    def can_write_commune(self, commune_id: int) -> bool:
        return self.everything or commune_id in self.writable

    def can_read_health(self, commune_id: int) -> bool:
        """Health workers of the commune (and superusers) read and write its health records."""
        return self.everything or commune_id in self.health_readable

    def filter_health(self, queryset: QuerySet, commune_field: str = "commune_id") -> QuerySet:
        """Restrict ``queryset`` (health rows) to communes whose health data the scope reads."""
        if self.everything:
            return queryset
        if not self.health_readable:
            return queryset.none()
        return queryset.filter(**{f"{commune_field}__in": self.health_readable})

    def can_read_province(self, province_id: int) -> bool:
        return self.everything or province_id in self.provinces

    def can_read_legacy_province(self, province_id: int) -> bool:
        """Whether the history of a former province (and its former districts) is readable."""
        return self.everything or province_id in self.legacy_provinces

    def filter(self, queryset: QuerySet, commune_field: str = "commune_id") -> QuerySet:
        """Restrict ``queryset`` to rows whose ``commune_field`` is readable."""
        if self.everything:
            return queryset
        if not self.readable:
            return queryset.none()
        return queryset.filter(**{f"{commune_field}__in": self.readable})

    def filter_units(self, queryset: QuerySet, unit_field: str = "unit_id") -> QuerySet:
        """Restrict ``queryset`` to rows whose ``unit_field`` is a readable commune, a province
        whose roll-up the scope opens, or a former province or district (valid until 30 June 2025)
        of a readable former province (indicator values, audit entries: rows of any level)."""
        if self.everything:
            return queryset
        if self.is_empty:
            return queryset.none()
        condition = Q(**{f"{unit_field}__in": self.readable}) | Q(**{f"{unit_field}__in": self.provinces})
        if self.legacy_provinces:
            condition |= Q(**{
                f"{unit_field.removesuffix('_id')}__province_id__in": self.legacy_provinces,
                f"{unit_field.removesuffix('_id')}__level__in": [Level.PROVINCE, Level.DISTRICT],
                f"{unit_field.removesuffix('_id')}__valid_to__isnull": False,
            })
        return queryset.filter(condition)

    def filter_writable(self, queryset: QuerySet, commune_field: str = "commune_id") -> QuerySet:
        if self.everything:
            return queryset
        if not self.writable:
            return queryset.none()
        return queryset.filter(**{f"{commune_field}__in": self.writable})


NO_ACCESS = Scope()


def scope_for(user: Any) -> Scope:
    """Build the scope of ``user`` (anonymous or inactive users get :data:`NO_ACCESS`).

    One query for the memberships and one for the communes of member provinces.
    """
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return NO_ACCESS
    if user.is_superuser:
        return Scope(user=user, everything=True)
    cached = getattr(user, "_langso_scope", None)
    if cached is not None:
        return cached
    readable: set[int] = set()
    writable: set[int] = set()
    provinces: set[int] = set()
    health: set[int] = set()
    memberships = Membership.objects.filter(user=user, unit__valid_to__isnull=True).values_list(
        "role", "unit_id", "unit__level", "unit__province_id"
    )
    for role, unit_id, level, province_id in memberships:
        if role == Role.PROVINCE_OFFICER and level == Level.PROVINCE:
            provinces.add(unit_id)
        elif role == Role.COMMUNE_OFFICER and level == Level.COMMUNE:
            readable.add(unit_id)
            writable.add(unit_id)
        elif role == Role.HEALTH_WORKER and level == Level.COMMUNE:
            health.add(unit_id)
    if provinces:
        readable.update(
            AdministrativeUnit.objects.current()
            .communes()
            .filter(province_id__in=provinces)
            .values_list("pk", flat=True)
        )
    legacy: set[int] = set()
    if provinces:
        # Province-level edges of the 2025 reform (Resolution 202/2025/QH15: whole former provinces merged
        # into a new one). A commune-level edge alone never opens a former province's other districts.
        legacy.update(
            UnitLineage.objects.filter(successor_id__in=provinces, predecessor__level=Level.PROVINCE)
            .values_list("predecessor_id", flat=True)
        )
    scope = Scope(
        user=user,
        readable=frozenset(readable),
        writable=frozenset(writable),
        provinces=frozenset(provinces),
        health_readable=frozenset(health),
        legacy_provinces=frozenset(legacy),
    )
    user._langso_scope = scope
    return scope


def readable_communes(scope: Scope) -> QuerySet[AdministrativeUnit]:
    """Current communes the scope may read, ordered by code."""
    qs = AdministrativeUnit.objects.current().communes()
    if scope.everything:
        return qs
    return qs.filter(pk__in=scope.readable)


def readable_provinces(scope: Scope) -> QuerySet[AdministrativeUnit]:
    """Current provinces whose dashboard the scope may open."""
    qs = AdministrativeUnit.objects.current().provinces()
    if scope.everything:
        return qs
    return qs.filter(pk__in=scope.provinces)


def get_commune_or_404(scope: Scope, code: str) -> AdministrativeUnit:
    """The current commune with ``code`` if the scope may read it; ``Http404`` otherwise."""
    commune = readable_communes(scope).filter(code=code).first()
    if commune is None:
        raise Http404("Không tìm thấy / Not found")
    return commune


def readable_legacy_provinces(scope: Scope) -> QuerySet[AdministrativeUnit]:
    """Former provinces (valid until 30 June 2025) whose history the scope reads, by code."""
    qs = AdministrativeUnit.objects.legacy().provinces()
    if scope.everything:
        return qs
    return qs.filter(pk__in=scope.legacy_provinces)


def get_province_or_404(scope: Scope, code: str) -> AdministrativeUnit:
    """The current province with ``code`` if the scope may open its dashboard; ``Http404`` otherwise."""
    province = readable_provinces(scope).filter(code=code).first()
    if province is None:
        raise Http404("Không tìm thấy / Not found")
    return province


def get_visible_or_404(scope: Scope, queryset: QuerySet, **lookup: Any) -> Model:
    """One row of a commune-owned ``queryset`` (its manager must offer ``visible_to``), or 404."""
    obj = queryset.visible_to(scope).filter(**lookup).first()
    if obj is None:
        raise Http404("Không tìm thấy / Not found")
    return obj


def require_write(scope: Scope, commune_id: int) -> None:
    """Raise ``Http404`` unless the scope may write the commune.

    A reader who can see the commune still gets 404 on write URLs: the write form does not
    exist for them.
    """
    if not scope.can_write_commune(commune_id):
        raise Http404("Không tìm thấy / Not found")


def health_communes(scope: Scope) -> QuerySet[AdministrativeUnit]:
    """Current communes whose health data the scope reads (health workers; superusers: all)."""
    qs = AdministrativeUnit.objects.current().communes()
    if scope.everything:
        return qs
    return qs.filter(pk__in=scope.health_readable)


def get_health_commune_or_404(scope: Scope, code: str) -> AdministrativeUnit:
    """The current commune with ``code`` if the scope reads its health data; ``Http404`` otherwise
    (a commune or province officer without the health role gets 404 like an outsider)."""
    commune = health_communes(scope).filter(code=code).first()
    if commune is None:
        raise Http404("Không tìm thấy / Not found")
    return commune


def get_health_record_or_404(scope: Scope, queryset: QuerySet, *, purpose: str = "view", **lookup: Any) -> Model:
    """One health row (``queryset`` of a model with a ``commune`` column) that the scope may read,
    or ``Http404``; the read is written to the audit log (action ``health.read``, the row, the
    commune, ``purpose``: e.g. ``view``, ``fhir``) — Law 91/2025/QH15 asks for a trace of every
    processing of health data."""
    from langso.audit.log import record

    obj = scope.filter_health(queryset).filter(**lookup).first()
    if obj is None:
        raise Http404("Không tìm thấy / Not found")
    record(scope.user, "health.read", obj, unit=getattr(obj, "commune", None), data={"purpose": purpose})
    return obj
