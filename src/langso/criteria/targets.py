"""Progress towards the programme targets of Decision 924/QĐ-TTg (``data/programme_targets.yaml``).

A measure is computed only from records that exist: assessments (share of the province's current
communes whose latest assessment of a set, up to the horizon year, has an indicator met), stored
values of an indicator-catalogue code (communes whose own value meets a bar, or the province
roll-up), or certification records (communes recognised at a level). A measure whose records do not exist yet
(cooperatives, linkage models, work files, essential digital services) is reported as ``no_data``
with what it needs — never as 0%. Communes with no assessment count in the denominator (the target
is a share of all communes) and are reported as ``not_assessed`` so coverage is visible.
District targets are computed on the legacy districts for history (districts were abolished on
2025-07-01): a measure with ``source: legacy_indicator`` reads the values the indicator engine
stores on the former districts and provinces (:mod:`langso.indicators.legacy`).
"""

from __future__ import annotations

import math
from typing import Any

from django.db.models import Max

from langso.territory.models import AdministrativeUnit

from . import catalogue, queries
from .evaluation import compare
from .models import Assessment, AssessmentResult, CertificationRecord, ResultStatus


def _pick(measure: dict[str, Any], language: str, key: str) -> str:
    return measure.get(f"{key}_en" if language.startswith("en") else f"{key}_vi", "")


def _assessment_statuses(commune_ids: list[int], set_code: str, indicator: str, horizon: int) -> dict[int, str]:
    """``{commune_id: status}`` of ``indicator`` in each commune's latest assessment of ``set_code``
    (commune-wide, year ≤ ``horizon``). Two queries."""
    latest: dict[int, int] = {}
    for commune_id, assessment_id in (Assessment.objects.filter(commune_id__in=commune_ids, criteria_set__code=set_code,
                                                                 year__lte=horizon, village__isnull=True)
                                      .order_by("commune_id", "-year", "-id").values_list("commune_id", "id")):
        latest.setdefault(commune_id, assessment_id)
    by_assessment = dict(AssessmentResult.objects.filter(assessment_id__in=latest.values(), indicator__code=indicator)
                         .values_list("assessment_id", "status"))
    return {commune_id: by_assessment.get(assessment_id, ResultStatus.PENDING)
            for commune_id, assessment_id in latest.items()}


def _indicator_values(code: str, commune_ids: list[int], province: AdministrativeUnit
                      ) -> tuple[str, dict[int, float | None], float | None] | None:
    """``(period, {commune_id: value}, province value)`` of catalogue indicator ``code`` in its latest
    period for these communes, or ``None`` when the catalogue lacks it or nothing was computed."""
    from langso.indicators.models import IndicatorValue

    rows = IndicatorValue.objects.filter(indicator__code=code, unit_id__in=[*commune_ids, province.pk])
    period = rows.aggregate(latest=Max("period"))["latest"]
    if period is None:
        return None
    values = dict(rows.filter(period=period).values_list("unit_id", "value"))
    return period, {i: values[i] for i in commune_ids if i in values}, values.get(province.pk)


def _measure(measure: dict[str, Any], communes: list[AdministrativeUnit], horizon: int, language: str,
             province: AdministrativeUnit) -> dict[str, Any]:
    out = {
        "key": measure["key"], "label": _pick(measure, language, "label"), "per": measure["per"],
        "comparison": measure["comparison"], "target": measure["value"], "unit": measure["unit"],
        "source": measure["source"], "needs": _pick(measure, language, "needs"), "status": "no_data",
        "actual": None, "met_count": None, "total": len(communes), "assessed": None, "gap": None,
        "overrides": measure.get("overrides", []), "per_commune": {}, "period": None,
    }
    ids = [c.pk for c in communes]
    if measure["source"] == "assessment":
        statuses = _assessment_statuses(ids, measure["set"], measure["indicator"], horizon)
        out["per_commune"] = statuses
        out["assessed"] = len(statuses)
        if statuses and communes:
            met = sum(1 for s in statuses.values() if s == ResultStatus.MET)
            out["met_count"] = met
            out["actual"] = round(100.0 * met / len(communes), 2)
    elif measure["source"] == "indicator":
        stored = _indicator_values(measure["indicator"], ids, province)
        if stored is not None:
            period, communes_values, province_value = stored
            out["period"] = period
            if measure.get("aggregate") == "province":
                out["actual"] = None if province_value is None else round(province_value, 2)
            elif communes:
                bar = measure["commune_meets"]
                meeting = {i for i, v in communes_values.items()
                           if v is not None and compare(v, bar["comparison"], float(bar["value"]))}
                out["met_count"] = len(meeting)
                out["assessed"] = len(communes_values)
                out["actual"] = round(100.0 * len(meeting) / len(communes), 2)
                out["per_commune"] = {i: (ResultStatus.MET if i in meeting else ResultStatus.NOT_MET)
                                      for i in communes_values}
    elif measure["source"] == "legacy_indicator":
        _legacy_measure(measure, out, province, horizon)
    elif measure["source"] == "certification":
        recognised = set(CertificationRecord.objects.filter(unit_id__in=ids, level=measure["level"])
                         .values_list("unit_id", flat=True))
        out["met_count"] = len(recognised)
        out["actual"] = float(len(recognised))
        out["per_commune"] = {i: ResultStatus.MET for i in recognised}
    if out["actual"] is not None and measure["per"] == "district":
        out["status"] = "met" if compare(out["actual"], measure["comparison"], float(measure["value"])) else "not_met"
        if out["status"] == "not_met" and out["total"]:
            needed = math.ceil(float(measure["value"]) * out["total"] / 100.0 - 1e-9)
            out["gap"] = {"points": round(float(measure["value"]) - out["actual"], 2),
                          "districts": max(needed - (out["met_count"] or 0), 1)}
    if out["actual"] is not None and measure["per"] == "province":
        out["status"] = "met" if compare(out["actual"], measure["comparison"], float(measure["value"])) else "not_met"
        if out["status"] == "not_met":
            if measure["unit"] == "percent" and communes:
                needed = math.ceil(float(measure["value"]) * len(communes) / 100.0 - 1e-9)
                out["gap"] = {"points": round(float(measure["value"]) - out["actual"], 2),
                              "communes": max(needed - (out["met_count"] or 0), 1)}
            else:
                out["gap"] = {"points": float(measure["value"]) - out["actual"], "communes": None}
    return out


def _legacy_measure(measure: dict[str, Any], out: dict[str, Any], province: AdministrativeUnit, horizon: int) -> None:
    """Fill ``out`` for a district target computed on the former districts of ``province``.

    Reads the stored values of catalogue indicator ``measure["indicator"]`` (a ``share_of_units``
    indicator: a former district's numerator is 1 when it counts) on the former districts and
    provinces (:mod:`langso.indicators.legacy`), in the latest period up to the horizon year
    (else the latest). The share is over ALL former districts (those without data count as not
    meeting, like communes not assessed); each former province is judged against its own target
    when it has one (``Target.unit``, Vĩnh Phúc 80 %) or the national bar. Adds ``per_district``
    (``{district_id: status}``), ``by_province`` and ``overrides``; two queries plus targets.
    """
    from langso.indicators.models import IndicatorValue
    from langso.indicators.queries import targets_for_year

    districts = queries.legacy_districts(province)
    former = {d.province_id: d.province for d in districts}
    out["total"] = len(districts)
    rows = IndicatorValue.objects.filter(indicator__code=measure["indicator"],
                                         unit_id__in=[d.pk for d in districts] + list(former))
    period = (rows.filter(period__lte=f"{horizon:04d}12").aggregate(latest=Max("period"))["latest"]
              or rows.aggregate(latest=Max("period"))["latest"])
    if period is None:
        return
    counted = dict(rows.filter(period=period).values_list("unit_id", "numerator"))
    per_district = {d.pk: (ResultStatus.MET if counted[d.pk] > 0 else ResultStatus.NOT_MET)
                    for d in districts if d.pk in counted}
    met = sum(1 for status in per_district.values() if status == ResultStatus.MET)
    out.update(period=period, per_district=per_district, assessed=len(per_district), met_count=met,
               actual=round(100.0 * met / len(districts), 2) if districts else None)
    by_province = []
    overrides = []
    for province_id, unit in sorted(former.items(), key=lambda item: item[1].code):
        own = targets_for_year(horizon, [measure["indicator"]], unit=unit).get(measure["indicator"])
        bar = float(own["value"]) if own and own["own"] else float(measure["value"])
        if own and own["own"]:
            overrides.append({"province": f"{unit.full_name} ({unit.code})", "value": own["value"],
                              "source": own["source"], "verified": own["verified"]})
        mine = [d for d in districts if d.province_id == province_id]
        mine_met = sum(1 for d in mine if per_district.get(d.pk) == ResultStatus.MET)
        actual = round(100.0 * mine_met / len(mine), 2) if mine else None
        by_province.append({
            "unit": unit, "total": len(mine), "assessed": sum(1 for d in mine if d.pk in per_district),
            "met_count": mine_met, "actual": actual, "target": bar, "own_target": bool(own and own["own"]),
            "status": "no_data" if actual is None else
            ("met" if compare(actual, measure["comparison"], bar) else "not_met"),
        })
    out["by_province"] = by_province
    out["overrides"] = overrides


def province_progress(province: AdministrativeUnit, language: str = "vi") -> dict[str, Any]:
    """Every target with each measure's progress over ``province``'s current communes.

    Shape: ``{"version", "source", "horizon", "targets": [{"code", "group", "name", "verified",
    "measures": [{"key", "label", "per", "comparison", "target", "unit", "source", "status"
    ("met"/"not_met"/"no_data"), "actual", "met_count", "total", "assessed", "gap", "needs",
    "overrides"}]}], "districts": [legacy district units]}``.
    """
    data = catalogue.programme_targets()
    communes = queries.rural_communes(province)
    targets = []
    for target in data["targets"]:
        measures = [_measure(m, communes, int(data["horizon"]), language, province) for m in target["measures"]]
        targets.append({"code": target["code"], "group": target["group"],
                        "name": target["name_en"] if language.startswith("en") else target["name_vi"],
                        "verified": bool(target.get("verified")), "measures": measures})
    districts = queries.legacy_districts(province)
    district_measures = [m for t in targets for m in t["measures"] if m["per"] == "district"]
    district_rows = [{"unit": d, "cells": [m.get("per_district", {}).get(d.pk, "no_data") for m in district_measures]}
                     for d in districts]
    return {"version": data["version"], "source": data["source"], "horizon": data["horizon"], "targets": targets,
            "districts": districts, "district_rows": district_rows}


def commune_progress(commune: AdministrativeUnit, language: str = "vi") -> list[dict[str, Any]]:
    """The measures that apply to each commune (``per: commune``) or count communes
    (assessment-based), with this commune's standing: items ``{"code", "name", "label", "target",
    "comparison", "unit", "status" ("met"/"not_met"/"pending"/"not_assessed"/"no_data"), "needs"}``."""
    data = catalogue.programme_targets()
    out = []
    for target in data["targets"]:
        for measure in target["measures"]:
            if measure["per"] == "district":
                continue
            status = "no_data"
            if measure["source"] == "assessment":
                statuses = _assessment_statuses([commune.pk], measure["set"], measure["indicator"], int(data["horizon"]))
                status = statuses.get(commune.pk, "not_assessed")
            elif measure["source"] == "indicator" and measure.get("aggregate") == "communes":
                stored = _indicator_values(measure["indicator"], [commune.pk], commune.province)
                if stored is not None and commune.pk in stored[1]:
                    bar = measure["commune_meets"]
                    value = stored[1][commune.pk]
                    status = ("pending" if value is None else
                              "met" if compare(value, bar["comparison"], float(bar["value"])) else "not_met")
            elif measure["source"] == "certification":
                status = ("met" if CertificationRecord.objects.filter(unit=commune, level=measure["level"]).exists()
                          else "not_met")
            out.append({"code": target["code"], "name": target["name_en"] if language.startswith("en") else target["name_vi"],
                        "label": _pick(measure, language, "label"), "target": measure["value"],
                        "comparison": measure["comparison"], "unit": measure["unit"], "per": measure["per"],
                        "status": status, "needs": _pick(measure, language, "needs")})
    return out
