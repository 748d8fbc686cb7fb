"""Exports for a province that also runs DHIS2: ADX (IHE Aggregate Data Exchange, namespace
``urn:ihe:qrph:adx:2015``) and DHIS2 ``dataValueSets`` JSON. Mapping in ``data/dhis2.yaml`` and
docs/criteria.md.

What travels:
- indicator values of the engine (:class:`langso.indicators.models.IndicatorValue`) of the
  province's current communes for one monthly period: a percentage as its numerator and
  denominator data elements (DHIS2 computes 100 × NUM / DEN and aggregates correctly), a count as
  one data element. Province roll-ups are not sent: DHIS2 aggregates the communes itself, and a
  value stored on the province as well would be counted twice;
- criteria results of *approved* assessments for one year: a number, or ``true``/``false`` for a
  met / not-met indicator; placeholders and values not entered are skipped.

Identifiers are codes (import with ``idScheme=CODE``); periods are DHIS2 period codes (``202611``,
``2026``) in JSON and ISO 8601 intervals in ADX (``2026-11-01/P1M``, ``2026-01-01/P1Y``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from django.utils import timezone

from langso.indicators.models import IndicatorUnit, IndicatorValue
from langso.territory.models import AdministrativeUnit

from . import catalogue, queries
from .models import Assessment, AssessmentResult, AssessmentStatus, IndicatorKind

ADX_NS = "urn:ihe:qrph:adx:2015"


@dataclass(frozen=True)
class DataValue:
    """One value as DHIS2 sees it: codes, the DHIS2 period code and the value as text."""

    data_set: str
    data_element: str
    period: str
    org_unit: str
    value: str


def _code(text: str) -> str:
    """A DHIS2-safe code: letters, digits and underscores."""
    return re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_").upper()


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(round(float(value), 4))


def org_unit_code(unit: AdministrativeUnit) -> str:
    mapping = catalogue.dhis2_mapping()
    override = (mapping.get("org_unit_overrides") or {}).get(unit.code)
    return override or mapping["org_unit"]["template"].format(code=unit.code)


def _element(kind: str, **fields: str) -> str:
    mapping = catalogue.dhis2_mapping()
    key = f"{kind}:{fields.get('set', '')}:{fields['raw']}"
    override = (mapping.get("data_element_overrides") or {}).get(key)
    if override:
        return override
    template = mapping["data_element"][kind]
    return template.format(code=_code(fields["raw"]), set=fields.get("set", ""))


def indicator_values(province: AdministrativeUnit, period: str) -> list[DataValue]:
    """Commune-level indicator values of ``period`` (``YYYYMM``) for ``province``'s current communes.
    One query."""
    mapping = catalogue.dhis2_mapping()
    data_set = mapping["data_set"]["indicators"]
    communes = {c.pk: c for c in queries.province_communes(province)}
    rows = (IndicatorValue.objects.filter(period=period, unit_id__in=list(communes))
            .select_related("indicator").order_by("unit__code", "indicator__position"))
    out = []
    for row in rows:
        org_unit = org_unit_code(communes[row.unit_id])
        if row.indicator.unit == IndicatorUnit.PERCENT:
            out.append(DataValue(data_set, _element("numerator", raw=row.indicator.code), period, org_unit,
                                 _number(row.numerator)))
            if row.denominator is not None:
                out.append(DataValue(data_set, _element("denominator", raw=row.indicator.code), period, org_unit,
                                     _number(row.denominator)))
        else:
            out.append(DataValue(data_set, _element("count", raw=row.indicator.code), period, org_unit,
                                 _number(row.numerator)))
    return out


def criteria_values(province: AdministrativeUnit, year: int) -> list[DataValue]:
    """Results of the approved assessments of ``year`` for ``province``'s current communes (commune-wide
    assessments only). Two queries."""
    mapping = catalogue.dhis2_mapping()
    data_set = mapping["data_set"]["criteria"]
    set_codes = mapping.get("criteria_set_codes") or {}
    communes = {c.pk: c for c in queries.province_communes(province)}
    assessments = Assessment.objects.filter(commune_id__in=list(communes), year=year, village__isnull=True,
                                            status=AssessmentStatus.APPROVED)
    results = (AssessmentResult.objects.filter(assessment__in=assessments, indicator__placeholder=False)
               .select_related("indicator", "assessment__criteria_set")
               .order_by("commune__code", "assessment__criteria_set__code", "indicator__position"))
    out = []
    for result in results:
        indicator = result.indicator
        if indicator.kind == IndicatorKind.BOOLEAN:
            if result.met_declared is None:
                continue
            value = "true" if result.met_declared else "false"
        else:
            if result.value is None:
                continue
            value = _number(result.value)
        set_code = result.assessment.criteria_set.code
        element = _element("criteria", raw=indicator.code, set=set_codes.get(set_code, _code(set_code)))
        out.append(DataValue(data_set, element, str(year), org_unit_code(communes[result.commune_id]), value))
    return out


def adx_period(period: str) -> str:
    """DHIS2 period code → ADX interval: ``202611`` → ``2026-11-01/P1M``, ``2026`` → ``2026-01-01/P1Y``.
    Raises ``ValueError`` for another shape."""
    if re.fullmatch(r"\d{6}", period):
        return f"{period[:4]}-{period[4:]}-01/P1M"
    if re.fullmatch(r"\d{4}", period):
        return f"{period}-01-01/P1Y"
    raise ValueError(f"unsupported period {period!r}")


def to_adx(values: list[DataValue], exported: dt.datetime | None = None) -> bytes:
    """An ADX document: one ``group`` per data set, org unit and period, a ``dataValue`` per value."""
    ET.register_namespace("", ADX_NS)
    exported = exported or timezone.now()
    root = ET.Element(f"{{{ADX_NS}}}adx", {"exported": exported.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")})
    groups: dict[tuple[str, str, str], ET.Element] = {}
    for value in values:
        key = (value.data_set, value.org_unit, value.period)
        group = groups.get(key)
        if group is None:
            group = ET.SubElement(root, f"{{{ADX_NS}}}group", {
                "dataSet": value.data_set, "orgUnit": value.org_unit, "period": adx_period(value.period)})
            groups[key] = group
        ET.SubElement(group, f"{{{ADX_NS}}}dataValue", {"dataElement": value.data_element, "value": value.value})
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def to_data_value_sets(values: list[DataValue], data_set: str) -> dict[str, object]:
    """DHIS2 ``/api/dataValueSets`` JSON for one data set: ``{"dataSet", "dataValues": [{dataElement,
    period, orgUnit, value}]}`` (the standard payload; each value carries its own period and org unit).
    Raises ``ValueError`` if a value belongs to another data set."""
    if any(v.data_set != data_set for v in values):
        raise ValueError("one data set per dataValueSets payload")
    return {"dataSet": data_set, "dataValues": [
        {"dataElement": v.data_element, "period": v.period, "orgUnit": v.org_unit, "value": v.value}
        for v in values
    ]}
