"""Where a commune stands: an assessment's summary, the levels it qualifies for, the gap to the
next level, and the automatic values read from the indicator engine.

Read-only. Access is the caller's job (pass assessments and communes the user may read; see
:mod:`langso.criteria.queries`). Values come from :class:`langso.indicators.models.IndicatorValue`
through :mod:`langso.indicators.queries` — never recomputed here.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Max, Prefetch

from langso.indicators import queries as indicator_queries
from langso.indicators.models import IndicatorValue
from langso.territory.models import AdministrativeUnit

from .evaluation import combine, shortfall, threshold_for
from .models import (
    LADDER,
    Assessment,
    AssessmentResult,
    CriteriaSet,
    CriterionIndicator,
    Evidence,
    IndicatorKind,
    ResultStatus,
)

REASON_TEXT = {
    "placeholder": ("Ô chỉ tiêu chưa nhập nội dung (tỉnh bổ sung theo văn bản gốc)",
                    "Slot without content yet (the province fills it in from the official text)"),
    "not_computed": ("Chưa có số liệu tính từ dữ liệu của xã", "Not computed from the commune's records yet"),
    "no_value": ("Chưa nhập giá trị", "No value entered yet"),
    "threshold_unset": ("Chưa có mức chuẩn cho vùng/nhóm của xã (chưa xác nhận)",
                        "No threshold for the commune's region/group (unconfirmed)"),
}


def reason_text(reason: str, language: str = "vi") -> str:
    vi, en = REASON_TEXT.get(reason, ("", ""))
    return en if language.startswith("en") else vi


# --- automatic values ----------------------------------------------------------------------------

def catalogue_in_database() -> set[str]:
    """Codes of the indicator catalogue loaded in the database (for ``awaited_metric``). One query."""
    from langso.indicators.models import Indicator

    return set(Indicator.objects.values_list("code", flat=True))


def indicator_period(commune: AdministrativeUnit, year: int) -> str | None:
    """The latest indicator-engine period (``YYYYMM``) of ``commune`` within or before ``year``."""
    return (IndicatorValue.objects.filter(unit=commune, period__lte=f"{year:04d}12")
            .aggregate(latest=Max("period"))["latest"])


def automatic_values(commune: AdministrativeUnit, year: int) -> tuple[str | None, dt.date | None, dict[str, dict[str, Any]]]:
    """``(period, as_of, {catalogue code: {value, numerator, denominator, computed}})`` for ``commune``
    from the stored indicator values of the latest period of ``year`` (``(None, None, {})`` when
    nothing was computed). Four queries."""
    period = indicator_period(commune, year)
    if period is None:
        return None, None, {}
    card = indicator_queries.unit_scorecard(period, commune)
    as_of = indicator_queries.period_as_of(period, [commune])
    return period, as_of, {item["code"]: item for item in card}


def threshold_lookup() -> Any:
    """A lookup ``(set code, indicator code, class) → bar`` over the latest set versions (for
    derived thresholds); caches what it reads."""
    cache: dict[tuple[str, str], CriterionIndicator | None] = {}

    def lookup(set_code: str, code: str, class_key: str) -> float | None:
        key = (set_code, code)
        if key not in cache:
            cache[key] = (CriterionIndicator.objects.filter(criteria_set__code=set_code, criteria_set__is_latest=True,
                                                            code=code).first())
        indicator = cache[key]
        return None if indicator is None else threshold_for(indicator, class_key).value

    return lookup


# --- one assessment ------------------------------------------------------------------------------

def load_results(assessment: Assessment) -> list[AssessmentResult]:
    """The assessment's results in set order with indicator, criterion and evidence. Two queries."""
    return list(
        AssessmentResult.objects.filter(assessment=assessment)
        .select_related("indicator", "indicator__criterion")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("uploaded_at", "id")))
        .order_by("indicator__position")
    )


def summarise(assessment: Assessment, results: list[AssessmentResult] | None = None,
              language: str = "vi") -> dict[str, Any]:
    """The assessment criterion by criterion.

    Shape: ``{"status", "counts": {met, not_met, pending, total}, "criteria_counts": {met, not_met,
    pending, total}, "automatic", "entered", "unconfirmed", "criteria": [{"criterion", "status",
    "rows": [{"result", "indicator", "status", "reason", "reason_text", "gap", "evidence"}]}]}``;
    ``unconfirmed`` counts results judged against a threshold not yet verified. Statuses are the
    stored ones (see :mod:`langso.criteria.evaluation`).
    """
    results = load_results(assessment) if results is None else results
    groups: dict[int, dict[str, Any]] = {}
    counts = {"met": 0, "not_met": 0, "pending": 0, "total": 0}
    automatic = entered = unconfirmed = 0
    for result in results:
        indicator = result.indicator
        criterion = indicator.criterion
        group = groups.setdefault(criterion.pk, {"criterion": criterion, "rows": []})
        gap = None
        if result.status == ResultStatus.NOT_MET and indicator.kind == IndicatorKind.NUMERIC:
            gap = shortfall(result.comparison, result.threshold, result.value, unit=indicator.unit,
                            numerator=result.numerator, denominator=result.denominator)
        group["rows"].append({
            "result": result, "indicator": indicator, "status": result.status, "reason": result.reason,
            "reason_text": reason_text(result.reason, language), "gap": gap,
            "evidence": list(result.evidence.all()),
        })
        counts[result.status] += 1
        counts["total"] += 1
        if result.source == "auto":
            automatic += 1
        elif not indicator.placeholder:
            entered += 1
        if result.status != ResultStatus.PENDING and not result.threshold_verified:
            unconfirmed += 1
    criteria = sorted(groups.values(), key=lambda g: g["criterion"].position)
    criteria_counts = {"met": 0, "not_met": 0, "pending": 0, "total": len(criteria)}
    for group in criteria:
        group["status"] = combine(row["status"] for row in group["rows"])
        criteria_counts[group["status"]] += 1
    return {
        "status": combine(g["status"] for g in criteria), "counts": counts, "criteria_counts": criteria_counts,
        "automatic": automatic, "entered": entered, "unconfirmed": unconfirmed, "criteria": criteria,
    }


def set_status_by_assessment(assessment_ids: list[int]) -> dict[int, dict[str, Any]]:
    """For many assessments at once: ``{id: {"status", "criteria_met", "criteria_total",
    "indicators_met", "indicators_total"}}``. One query over the results."""
    rows = (AssessmentResult.objects.filter(assessment_id__in=assessment_ids)
            .values_list("assessment_id", "indicator__criterion_id", "status"))
    by_assessment: dict[int, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    for assessment_id, criterion_id, status in rows:
        by_assessment[assessment_id][criterion_id].append(status)
    out = {}
    for assessment_id in assessment_ids:
        criteria = by_assessment.get(assessment_id, {})
        criterion_status = [combine(statuses) for statuses in criteria.values()]
        all_statuses = [s for statuses in criteria.values() for s in statuses]
        out[assessment_id] = {
            "status": combine(criterion_status),
            "criteria_met": sum(1 for s in criterion_status if s == ResultStatus.MET),
            "criteria_total": len(criterion_status),
            "indicators_met": sum(1 for s in all_statuses if s == ResultStatus.MET),
            "indicators_total": len(all_statuses),
        }
    return out


# --- levels --------------------------------------------------------------------------------------

def ladder_sets(year: int) -> dict[str, CriteriaSet]:
    """The latest set certifying each ladder level in ``year`` (``{level: set}``)."""
    out: dict[str, CriteriaSet] = {}
    for criteria_set in CriteriaSet.objects.filter(is_latest=True, level__in=LADDER, period_start__lte=year,
                                                   period_end__gte=year).order_by("-period_start", "-id"):
        out.setdefault(criteria_set.level, criteria_set)
    return out


def qualification(commune: AdministrativeUnit, year: int,
                  assessments: list[Assessment] | None = None,
                  statuses: dict[int, dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """The ladder levels of ``year`` for ``commune``, lowest first.

    Each item: ``{"level", "set", "assessment" (or None), "status" ("met"/"not_met"/"pending"/
    "not_assessed"), "qualifies" (bool), "approved" (bool)}``. A level qualifies when its set is met
    and the level its set requires qualifies. The latest commune-wide assessment of each level's
    set counts (any version of the set code).
    """
    sets = ladder_sets(year)
    if assessments is None:
        assessments = list(Assessment.objects.filter(commune=commune, year=year, village__isnull=True,
                                                     criteria_set__level__in=list(sets))
                           .select_related("criteria_set").order_by("-id"))
    if statuses is None:
        statuses = set_status_by_assessment([a.pk for a in assessments])
    latest: dict[str, Assessment] = {}
    for assessment in sorted(assessments, key=lambda a: -a.pk):
        if assessment.criteria_set.code in {s.code for s in sets.values()}:
            latest.setdefault(assessment.criteria_set.level, assessment)
    out = []
    reached: dict[str, bool] = {}
    for level in LADDER:
        criteria_set = sets.get(level)
        if criteria_set is None:
            continue
        assessment = latest.get(level)
        status = statuses[assessment.pk]["status"] if assessment else "not_assessed"
        requires = criteria_set.requires_level
        qualifies = status == ResultStatus.MET and (not requires or reached.get(requires, False))
        reached[level] = qualifies
        out.append({"level": level, "set": criteria_set, "assessment": assessment, "status": status,
                    "qualifies": qualifies, "approved": bool(assessment and assessment.status == "approved")})
    return out


def highest_level(levels: list[dict[str, Any]]) -> str | None:
    """The highest level qualified for in a :func:`qualification` list, or ``None``."""
    qualified = [item["level"] for item in levels if item["qualifies"]]
    return qualified[-1] if qualified else None


def gap_report(commune: AdministrativeUnit, year: int, language: str = "vi") -> dict[str, Any]:
    """What ``commune`` misses for its next level in ``year``.

    Shape: ``{"year", "levels": qualification(...), "next": {level item} | None, "summary":
    summarise(...) | None, "missing": [row …], "pending": [row …]}``: ``missing`` are the indicators
    not met with their shortfall (``gap``: points and, for percentages from the records, how many
    more households/people/documents it takes); ``pending`` those that cannot be judged yet and why.
    ``next`` is the lowest level not qualified; with no assessment for it, ``summary`` is ``None``.
    ``pending_judgeable`` are the pending rows with content (no value, no threshold, not computed);
    ``placeholder_groups`` the empty slots per criterion (``[{"criterion", "codes"}]``).
    """
    levels = qualification(commune, year)
    next_level = next((item for item in levels if not item["qualifies"]), None)
    summary = None
    missing: list[dict[str, Any]] = []
    pending: list[dict[str, Any]] = []
    if next_level and next_level["assessment"] is not None:
        summary = summarise(next_level["assessment"], language=language)
        for group in summary["criteria"]:
            for row in group["rows"]:
                if row["status"] == ResultStatus.NOT_MET:
                    missing.append({**row, "criterion": group["criterion"]})
                elif row["status"] == ResultStatus.PENDING:
                    pending.append({**row, "criterion": group["criterion"]})
    placeholder_groups: list[dict[str, Any]] = []
    for row in pending:
        if not row["indicator"].placeholder:
            continue
        if placeholder_groups and placeholder_groups[-1]["criterion"].pk == row["criterion"].pk:
            placeholder_groups[-1]["codes"].append(row["indicator"].code)
        else:
            placeholder_groups.append({"criterion": row["criterion"], "codes": [row["indicator"].code]})
    return {"year": year, "levels": levels, "next": next_level, "summary": summary, "missing": missing,
            "pending": pending, "pending_judgeable": [r for r in pending if not r["indicator"].placeholder],
            "placeholder_groups": placeholder_groups}
