"""Reads of the criteria app for pages, reports and exports. Functions taking a ``scope`` filter
through it (:mod:`langso.accounts.access`); the others take units the caller already obtained
through the access helpers. Query counts are bounded whatever the number of communes.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from langso.accounts.access import Scope
from langso.territory.models import AdministrativeUnit, Level as UnitLevel, UnitLineage, UnitType

from . import standing
from .models import (
    LADDER,
    Assessment,
    CertificationRecord,
    CommuneClassification,
    CriteriaSet,
    Evidence,
    ReviewStep,
    Scheme,
)


def current_year() -> int:
    return timezone.localdate().year


def sets_for_year(year: int) -> list[CriteriaSet]:
    """The latest version of every set whose period covers ``year`` (ladder sets first)."""
    sets = list(CriteriaSet.objects.filter(is_latest=True, period_start__lte=year, period_end__gte=year))
    order = {level: i for i, level in enumerate(LADDER)}
    return sorted(sets, key=lambda s: (order.get(s.level, 99), s.code))


def latest_sets() -> list[CriteriaSet]:
    return list(CriteriaSet.objects.filter(is_latest=True).order_by("-period_start", "level", "code"))


def assessments(scope: Scope, commune: AdministrativeUnit) -> list[dict[str, Any]]:
    """The commune's assessments, newest year first, each ``{"assessment", "summary"}`` where
    summary is :func:`standing.set_status_by_assessment`'s item. Two queries."""
    rows = list(Assessment.objects.visible_to(scope).filter(commune=commune)
                .select_related("criteria_set", "village").order_by("-year", "criteria_set__period_start", "id"))
    statuses = standing.set_status_by_assessment([a.pk for a in rows])
    return [{"assessment": a, "summary": statuses[a.pk]} for a in rows]


def assessment_or_404(scope: Scope, commune: AdministrativeUnit, pk: int) -> Assessment:
    found = (Assessment.objects.visible_to(scope).filter(commune=commune, pk=pk)
             .select_related("criteria_set", "commune", "commune__province", "village").first())
    if found is None:
        raise Http404("Không tìm thấy / Not found")
    return found


def evidence_or_404(scope: Scope, commune: AdministrativeUnit, pk: int) -> Evidence:
    found = (Evidence.objects.visible_to(scope).filter(commune=commune, pk=pk)
             .select_related("result__assessment").first())
    if found is None:
        raise Http404("Không tìm thấy / Not found")
    return found


def steps(assessment: Assessment) -> QuerySet[ReviewStep]:
    """Every review step, oldest first, with the indicator it names."""
    return ReviewStep.objects.filter(assessment=assessment).select_related("indicator").order_by("at", "id")


def _answer(value: Any, met: Any) -> str:
    if value is not None:
        return f"{value:g}"
    return {True: "Đạt / Met", False: "Không đạt / Not met"}.get(met, "—")


def step_changes(step: ReviewStep) -> list[str]:
    """What a change to a reopened indicator changed, old → new, one line per field."""
    old, new = step.data.get("old"), step.data.get("new")
    lines = []
    if old is not None and new is not None:
        before, after = _answer(old.get("value"), old.get("met")), _answer(new.get("value"), new.get("met"))
        if before != after:
            lines.append(f"{before} → {after}")
        if old.get("note") != new.get("note"):
            lines.append(f"«{old.get('note') or '—'}» → «{new.get('note') or '—'}»")
    if step.data.get("evidence"):
        lines.append(f"+ {step.data['evidence']}")
    return lines


def classifications(unit: AdministrativeUnit) -> list[CommuneClassification]:
    return list(CommuneClassification.objects.filter(unit=unit).order_by("scheme", "-valid_from"))


def class_names() -> dict[str, str]:
    """Region and group keys → their Vietnamese names (``dbsh`` → "Đồng bằng sông Hồng")."""
    return {item["key"]: item["name_vi"] for s in CriteriaSet.objects.filter(is_latest=True) for item in s.classes}


def current_class(unit: AdministrativeUnit, scheme: str, year: int) -> CommuneClassification | None:
    from .actions import classification_of

    return classification_of(unit, scheme, year)


def certification_history(commune: AdministrativeUnit) -> list[dict[str, Any]]:
    """The commune's own recognitions and those of the legacy communes that formed it (they stay
    on the legacy units). Items ``{"record", "unit", "legacy" (bool), "partial" (bool)}``, newest
    first. Two queries."""
    links = {edge.predecessor_id: edge.partial
             for edge in UnitLineage.objects.filter(successor=commune).only("predecessor_id", "partial")}
    records = (CertificationRecord.objects.filter(unit_id__in=[commune.pk, *links])
               .select_related("unit").order_by("-decided_on", "-id"))
    return [{"record": r, "unit": r.unit, "legacy": r.unit_id != commune.pk, "partial": links.get(r.unit_id, False)}
            for r in records]


def province_communes(province: AdministrativeUnit) -> list[AdministrativeUnit]:
    """Every current commune-level unit of the province (wards and special zones included), by code."""
    return list(AdministrativeUnit.objects.current().communes().filter(province=province).order_by("code"))


def rural_communes(province: AdministrativeUnit) -> list[AdministrativeUnit]:
    """The province's current units the new-rural criteria apply to: every commune-level unit but
    the wards (phường are urban; the national sets are for xã)."""
    return list(AdministrativeUnit.objects.current().communes().filter(province=province)
                .exclude(unit_type=UnitType.WARD).order_by("code"))


def province_overview(province: AdministrativeUnit, year: int) -> dict[str, Any]:
    """The province's current communes grouped by the highest level they qualify for in ``year``.

    Shape: ``{"year", "levels": [level keys of the year's ladder], "groups": [{"key", "communes":
    [row]}], "rows": [row]}``; a row is ``{"commune", "class", "qualification", "highest",
    "assessment", "summary", "certified"}`` and group keys are the ladder levels (highest first),
    then ``"not_qualified"`` (assessed, no level yet) and ``"not_assessed"``. Bounded queries.
    """
    communes = rural_communes(province)
    ids = [c.pk for c in communes]
    ladder = standing.ladder_sets(year)
    all_assessments = list(Assessment.objects.filter(commune_id__in=ids, year=year, village__isnull=True,
                                                     criteria_set__level__in=list(ladder))
                           .select_related("criteria_set").order_by("-id"))
    statuses = standing.set_status_by_assessment([a.pk for a in all_assessments])
    by_commune: dict[int, list[Assessment]] = defaultdict(list)
    for assessment in all_assessments:
        by_commune[assessment.commune_id].append(assessment)
    scheme = next((s.classification for s in ladder.values() if s.classification), "")
    classes: dict[int, CommuneClassification] = {}
    if scheme:
        import datetime as dt

        for row in (CommuneClassification.objects.filter(unit_id__in=ids, scheme=scheme,
                                                          valid_from__lte=dt.date(year, 12, 31))
                    .exclude(valid_to__lt=dt.date(year, 1, 1)).order_by("valid_from")):
            classes[row.unit_id] = row
    certified: dict[int, list[CertificationRecord]] = defaultdict(list)
    for record in CertificationRecord.objects.filter(unit_id__in=ids).order_by("-decided_on"):
        certified[record.unit_id].append(record)
    rows = []
    for commune in communes:
        levels = standing.qualification(commune, year, by_commune.get(commune.pk, []), statuses)
        highest = standing.highest_level(levels)
        first = next((item for item in levels if item["assessment"] is not None), None)
        assessed = any(item["assessment"] is not None for item in levels)
        klass = classes.get(commune.pk)
        rows.append({
            "commune": commune, "class": klass,
            "class_name": _class_name(ladder, klass.value) if klass else "", "qualification": levels, "highest": highest,
            "assessment": first["assessment"] if first else None,
            "summary": statuses.get(first["assessment"].pk) if first else None,
            "group": highest or ("not_qualified" if assessed else "not_assessed"),
            "certified": certified.get(commune.pk, []),
        })
    order = [level for level in reversed(LADDER) if level in ladder] + ["not_qualified", "not_assessed"]
    groups = [{"key": key, "communes": [r for r in rows if r["group"] == key]} for key in order]
    wards = AdministrativeUnit.objects.current().communes().filter(province=province, unit_type=UnitType.WARD).count()
    return {"year": year, "levels": [level for level in LADDER if level in ladder], "groups": groups, "rows": rows,
            "scheme": scheme, "sets": ladder, "wards": wards}


def _class_name(sets: dict[str, CriteriaSet], key: str) -> str:
    for criteria_set in sets.values():
        if any(item["key"] == key for item in criteria_set.classes):
            return criteria_set.class_name(key)
    return key


def legacy_districts(province: AdministrativeUnit) -> list[AdministrativeUnit]:
    """The legacy districts (until 2025-06-30) of the legacy provinces that formed ``province``
    (Phú Thọ: old Phú Thọ, Vĩnh Phúc and Hòa Bình), by code. Two queries."""
    predecessors = UnitLineage.objects.filter(successor=province, predecessor__level=UnitLevel.PROVINCE).values(
        "predecessor_id")
    return list(AdministrativeUnit.objects.legacy().filter(level=UnitLevel.DISTRICT, province_id__in=predecessors)
                .select_related("province").order_by("province__code", "code"))


def scheme_label(scheme: str) -> str:
    return Scheme(scheme).label if scheme in Scheme.values else ""
