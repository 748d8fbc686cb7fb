"""Reads behind the household pages: search of a commune's register and per-page details.

Everything is a filtered queryset on indexed columns of one commune — ``Household(commune,
head_search_name)``, ``Household(commune, village)``, ``Resident(commune, search_name)`` — and
the per-row details (head's name, member count) are fetched for the rows of one page only, so
the cost does not grow with the size of the commune beyond one COUNT.

Search is accent-insensitive because it compares folded text (:func:`langso.lib.vietnamese.fold`)
with the folded columns the registry actions keep: "nguyen van a" finds "Nguyễn Văn A"; every
word typed must begin a word (in any order) of the head's name, of one member's name or of the
village name. Households whose head is named exactly as typed come first, then other matching
heads, then matches on members or village; each group by the head's name. Digits search CCCD numbers: a commune's editors by prefix (4+ digits), readers only by a
whole 12-digit number, so a masked number cannot be recovered digit by digit.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Case, Count, Q, QuerySet, Value, When

from langso.accounts.access import Scope
from langso.lib.vietnamese import fold
from langso.registry.models import BusinessHousehold, Household, Relation, Resident
from langso.territory.models import AdministrativeUnit

CCCD_LENGTH = 12
CCCD_MIN_PREFIX = 4


def _all_words(field: str, words: list[str]) -> Q:
    """Every word of ``words`` begins a word of the folded ``field`` ("van" matches "văn", "vân",
    "vạn", "vanh" but not "tuan"). ``field`` values are single-spaced (see ``fold``)."""
    q = Q()
    for word in words:
        q &= Q(**{f"{field}__startswith": word}) | Q(**{f"{field}__contains": f" {word}"})
    return q


def search_households(
    scope: Scope,
    commune: AdministrativeUnit,
    query: str = "",
    village_id: int | None = None,
) -> QuerySet[Household]:
    """Active households of ``commune`` visible to ``scope`` matching ``query`` and ``village_id``,
    ordered by the head's folded name then id (the order of the ``(commune, head_search_name)``
    index); with words typed, best matches first (see the module docstring). ``commune`` must come from an access check
    (:func:`langso.accounts.access.get_commune_or_404`)."""
    qs = (
        Household.objects.visible_to(scope)
        .active()
        .filter(commune=commune)
        .select_related("village")
        .order_by("head_search_name", "id")
    )
    if village_id is not None:
        qs = qs.filter(village_id=village_id)
    query = query.strip()
    if not query:
        return qs
    compact = query.replace(" ", "").replace(".", "")
    if compact.isdigit():
        may_prefix = scope.can_write_commune(commune.pk)
        if len(compact) == CCCD_LENGTH:
            cccd = Q(cccd=compact)
        elif may_prefix and len(compact) >= CCCD_MIN_PREFIX:
            cccd = Q(cccd__startswith=compact)
        else:
            return qs.none()
        holders = Resident.objects.visible_to(scope).filter(cccd, commune=commune).values_list("household_id", flat=True)
        if len(compact) == CCCD_LENGTH:
            # A whole number names one person (a few rows at most): fetch the ids first, so the
            # plan cannot turn into a nested loop over the commune when statistics are stale
            # (seen on PostgreSQL right after a bulk load, before autovacuum's ANALYZE).
            return qs.filter(pk__in=list(holders))
        return qs.filter(pk__in=holders)
    words = fold(query).split()
    if not words:
        return qs
    members = (
        Resident.objects.visible_to(scope)
        .filter(commune=commune)
        .filter(_all_words("search_name", words))
        .values("household_id")
    )
    head = _all_words("head_search_name", words)
    phrase = " ".join(words)
    return (
        qs.filter(head | _all_words("village__search_name", words) | Q(pk__in=members))
        .annotate(
            rank=Case(
                When(head_search_name=phrase, then=Value(0)),
                # the words in the order typed ("nguyen van" → "Nguyễn Văn An" before "Nguyễn Bích Vân")
                When(Q(head_search_name__startswith=f"{phrase} ") | Q(head_search_name__contains=f" {phrase} ")
                     | Q(head_search_name__endswith=f" {phrase}"), then=Value(1)),
                When(head, then=Value(2)),
                default=Value(3),
            )
        )
        .order_by("rank", "head_search_name", "id")
    )


def page_details(scope: Scope, households: list[Household]) -> list[dict[str, Any]]:
    """Rows for one page of households: ``household``, ``head`` (the current head's full name or
    ``""``) and ``members`` (residents living there). Two queries whatever the page size."""
    ids = [h.pk for h in households]
    living = Resident.objects.visible_to(scope).living_here().filter(household_id__in=ids)
    heads = dict(
        living.filter(relation_to_head=Relation.HEAD).values_list("household_id", "full_name")
    )
    counts = dict(
        living.order_by().values("household_id").annotate(n=Count("id")).values_list("household_id", "n")
    )
    return [
        {"household": h, "head": heads.get(h.pk, ""), "members": counts.get(h.pk, 0)}
        for h in households
    ]


def commune_counts(scope: Scope, commune: AdministrativeUnit) -> dict[str, int]:
    """``households`` (active), ``residents`` (living here) and ``businesses`` (open) of a commune."""
    return {
        "households": Household.objects.visible_to(scope).active().filter(commune=commune).count(),
        "residents": Resident.objects.visible_to(scope).living_here().filter(commune=commune).count(),
        "businesses": BusinessHousehold.objects.visible_to(scope)
        .filter(commune=commune, closed_on__isnull=True)
        .count(),
    }


def village_household_counts(scope: Scope, commune: AdministrativeUnit) -> dict[int | None, int]:
    """Active households per village id of a commune (``None`` = no village recorded). One GROUP BY."""
    rows = (
        Household.objects.visible_to(scope)
        .active()
        .filter(commune=commune)
        .order_by()
        .values("village_id")
        .annotate(n=Count("id"))
        .values_list("village_id", "n")
    )
    return dict(rows)
