"""Reading the administrative geography: units by code and date, and the lineage across the
2025 reform.

Territory is public reference data, so these reads take no access scope. A code alone does not
name a unit — codes were reused in 2025 (legacy 09154 Xã Vĩnh Thịnh, Vĩnh Phúc ≠ current 09154
Xã Vĩnh Phú, Phú Thọ) — so every lookup by code also takes a date, and the lineage functions take
unit rows, not codes. Data: ``actions.load_units`` (``vietnam-provinces`` conversion table,
Resolution 202/2025/QH15 and the Standing Committee's commune resolutions of 2025).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import NamedTuple

from django.db.models import QuerySet
from django.utils import timezone

from langso.lib.errors import RuleViolation

from .models import AdministrativeUnit, Level, UnitLineage

_WIDTH_LEVEL = {2: Level.PROVINCE, 3: Level.DISTRICT, 5: Level.COMMUNE}
_LEVEL_WIDTH = {level: width for width, level in _WIDTH_LEVEL.items()}
_LEVEL_VI = {Level.PROVINCE: "cấp tỉnh", Level.DISTRICT: "cấp huyện", Level.COMMUNE: "cấp xã"}
_MAX_HOPS = 10  # reforms are rare; this only guards against a cycle in bad data


class Link(NamedTuple):
    """One unit reached through the lineage.

    ``partial`` is true when only part of the territory is involved (the legacy commune was split
    among several new ones, or a partial edge lies on the path). ``event`` and ``source`` are
    those of the edge that reached ``unit`` (``LineageEvent`` value; the resolution and package
    version); both are ``""`` when ``unit`` is the unit asked about, already current.
    """

    unit: AdministrativeUnit
    partial: bool
    event: str
    source: str


def normalise_code(code: str | int, level: str | None = None) -> tuple[str, str]:
    """Return ``(zero-padded code, level)``.

    ``level`` may be omitted for a string code of 2 (province), 3 (district) or 5 (commune)
    digits. An integer code needs ``level`` (9154 could be a commune or, padded, nothing else,
    but 25 is ambiguous). Raises :class:`RuleViolation` ``unit.code_format`` otherwise.
    """
    text = str(code).strip()
    if not text.isdigit() or (isinstance(code, int) and level is None):
        raise RuleViolation(
            "code", "unit.code_format",
            f"Mã đơn vị {code!r} phải là chữ số (2 số tỉnh, 3 số huyện, 5 số xã); mã dạng số nguyên cần cấp",
            f"Unit code {code!r} must be digits (2 province, 3 district, 5 commune); an integer code needs a level",
            "Quyết định 19/2025/QĐ-TTg",
        )
    if level is None:
        level = _WIDTH_LEVEL.get(len(text))
        if level is None:
            raise RuleViolation(
                "code", "unit.code_format",
                f"Mã {text} có {len(text)} chữ số: không biết cấp (2 tỉnh, 3 huyện, 5 xã)",
                f"Code {text} has {len(text)} digits: level unknown (2 province, 3 district, 5 commune)",
                "Quyết định 19/2025/QĐ-TTg",
            )
    width = _LEVEL_WIDTH[Level(level)]
    if len(text) > width:
        raise RuleViolation(
            "code", "unit.code_format",
            f"Mã {text} dài hơn {width} chữ số của {_LEVEL_VI[Level(level)]}",
            f"Code {text} is longer than the {width} digits of level {level}",
            "Quyết định 19/2025/QĐ-TTg",
        )
    return text.zfill(width), str(level)


def resolve(code: str | int, on: dt.date | None = None, level: str | None = None) -> AdministrativeUnit:
    """The unit with this code at this level in force on ``on`` (default: today).

    >>> resolve("09154", on=dt.date(2025, 6, 30)).full_name   # doctest: +SKIP
    'Xã Vĩnh Thịnh'
    >>> resolve("09154").full_name                            # doctest: +SKIP
    'Xã Vĩnh Phú'

    Raises :class:`RuleViolation` for a malformed code (see :func:`normalise_code`),
    ``AdministrativeUnit.DoesNotExist`` (message "vi — en") when no unit matches, and
    ``AdministrativeUnit.MultipleObjectsReturned`` if overlapping periods were loaded.
    """
    code, level = normalise_code(code, level)
    day = on or timezone.localdate()
    try:
        return AdministrativeUnit.objects.valid_on(day).get(level=level, code=code)
    except AdministrativeUnit.DoesNotExist:
        raise AdministrativeUnit.DoesNotExist(
            f"Không có đơn vị {_LEVEL_VI[Level(level)]} mã {code} có hiệu lực ngày {day:%d/%m/%Y} — "
            f"No {level} unit with code {code} in force on {day.isoformat()}"
        ) from None


def current_successors(unit: AdministrativeUnit) -> list[Link]:
    """The current units that a unit became, following the lineage forward to today.

    A current unit returns itself (``Link(unit, False, "", "")``). Legacy commune 09148 Xã Ngũ
    Kiên returns ``[Link(<09154 Xã Vĩnh Phú, current>, partial=False, "merge", …)]``; a commune
    split among several returns one link per piece, each ``partial=True``. A unit with no edge
    (e.g. a legacy district, abolished rather than merged) returns ``[]``. Sorted by code; one
    query per hop (one for the 2025 reform).
    """
    if unit.is_current:
        return [Link(unit, False, "", "")]
    found: dict[int, Link] = {}
    frontier: dict[int, bool] = {unit.pk: False}  # unit id → partial so far
    visited = {unit.pk}
    for _ in range(_MAX_HOPS):
        if not frontier:
            break
        step: dict[int, bool] = {}
        for edge in UnitLineage.objects.filter(predecessor_id__in=frontier).select_related("successor"):
            partial = frontier[edge.predecessor_id] or edge.partial
            nxt = edge.successor
            if nxt.is_current:
                known = found.get(nxt.pk)
                # Reached by several paths: whole if any path is whole.
                if known is None or (known.partial and not partial):
                    found[nxt.pk] = Link(nxt, partial, edge.event, edge.source)
            elif nxt.pk not in visited:
                visited.add(nxt.pk)
                step[nxt.pk] = step.get(nxt.pk, True) and partial
        frontier = step
    return sorted(found.values(), key=lambda link: (link.unit.level, link.unit.code))


def legacy_predecessors(unit: AdministrativeUnit, level: str | None = None) -> list[Link]:
    """The units that formed ``unit`` (one step back), optionally only those of ``level``.

    Current 09154 Xã Vĩnh Phú returns the legacy communes 09148 Ngũ Kiên, 09151 An Nhân, 09154
    Vĩnh Thịnh and 09157 Vĩnh Phú (package 2026.9.0), each a ``Link(unit, partial, event,
    source)``; ``partial`` marks a predecessor of which only part joined. Đặc khu Côn Đảo returns
    the legacy district Huyện Côn Đảo (island districts had no communes). Sorted by level then
    code; a unit nobody formed returns ``[]``. One query.
    """
    edges = UnitLineage.objects.filter(successor=unit).select_related("predecessor")
    if level is not None:
        edges = edges.filter(predecessor__level=level)
    links = [Link(e.predecessor, e.partial, e.event, e.source) for e in edges]
    return sorted(links, key=lambda link: (link.unit.level, link.unit.code))


def crosswalk_to_current(level: str = Level.COMMUNE) -> dict[int, list[tuple[int, bool]]]:
    """Legacy unit id → ``[(current unit id, partial), …]`` for every edge into a current unit.

    For re-keying data recorded under legacy units (old registers, indicator values before
    July 2025) in one pass: a value of a whole (non-partial) predecessor can be added to its
    successor; a partial one cannot be apportioned without more data. One query.
    """
    rows = UnitLineage.objects.filter(
        predecessor__level=level, successor__valid_to__isnull=True
    ).values_list("predecessor_id", "successor_id", "partial")
    out: dict[int, list[tuple[int, bool]]] = {}
    for pred, succ, partial in rows:
        out.setdefault(pred, []).append((succ, partial))
    return out


def communes_of(province: AdministrativeUnit, on: dt.date | None = None) -> QuerySet[AdministrativeUnit]:
    """Commune-level units of ``province`` in force on ``on`` (default: today), ordered by code.

    Pass the province row valid on that date (current Tỉnh Phú Thọ for any date since
    2025-07-01: 148 communes; legacy Tỉnh Vĩnh Phúc for earlier dates).
    """
    day = on or timezone.localdate()
    return AdministrativeUnit.objects.valid_on(day).communes().filter(province=province)


class LegacyParent(NamedTuple):
    """A former district (and its former province) whose territory went into a current commune."""

    district_id: int
    province_id: int


def legacy_parents(commune_ids: Iterable[int] | None = None) -> dict[int, set[LegacyParent]]:
    """Current commune id → the former districts its territory came from, for every commune in
    ``commune_ids`` (default: every current commune with a lineage edge).

    Read from the lineage of the 2025 reform (Resolution 202/2025/QH15 and the Standing
    Committee's commune resolutions): each legacy commune that formed the commune, wholly or in
    part, contributes its district (``parent``); a legacy district that became a unit directly
    (island districts without communes, e.g. Huyện Côn Đảo → Đặc khu Côn Đảo) contributes itself.
    A commune with one former district is placed whole; one with several (3 of Phú Thọ's 148,
    e.g. 08866 Sơn Đông from Sông Lô and Lập Thạch) needs its villages' former communes
    (``Village.legacy_commune``). A commune without edges is absent. One query.
    """
    edges = UnitLineage.objects.filter(successor__valid_to__isnull=True, successor__level=Level.COMMUNE)
    if commune_ids is not None:
        edges = edges.filter(successor_id__in=list(commune_ids))
    rows = edges.values_list("successor_id", "predecessor__level", "predecessor_id", "predecessor__parent_id",
                             "predecessor__province_id")
    out: dict[int, set[LegacyParent]] = {}
    for successor, level, predecessor, parent, province in rows:
        if province is None:  # a former unit without its province cannot be placed (bad reference row)
            continue
        if level == Level.COMMUNE and parent is not None:
            out.setdefault(successor, set()).add(LegacyParent(parent, province))
        elif level == Level.DISTRICT:
            out.setdefault(successor, set()).add(LegacyParent(predecessor, province))
    return out
