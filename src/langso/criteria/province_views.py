"""Province pages of the criteria app: communes by the level they qualify for, programme targets,
classifications (region / group), certification records, reports and DHIS2 exports.

Only the province's officers (and superusers) open them: ``get_province_or_404`` answers 404 to
everyone else, the same as for a province that does not exist.
"""

from __future__ import annotations

import csv
import io
import json
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_http_methods

from langso.accounts.access import get_province_or_404, scope_for
from langso.indicators import queries as indicator_queries
from langso.indicators.legacy import LAST_DISTRICT_PERIOD
from langso.lib.errors import RuleViolation
from langso.territory.models import AdministrativeUnit, Level as UnitLevel, UnitLineage, UnitType

from . import actions, catalogue, exports, queries, targets
from .forms import CertificationForm, ClassificationForm
from .models import LADDER, Assessment, AssessmentStatus, CertificationRecord, CommuneClassification, CriteriaSet
from .reports import pdf as report_pdf, province_report, xlsx as report_xlsx
from .views import XLSX, year_param

PERIOD = re.compile(r"^\d{6}$")


def _province(request: HttpRequest, province_code: str):
    scope = scope_for(request.user)
    return scope, get_province_or_404(scope, province_code)


@login_required
@require_GET
def province_overview(request: HttpRequest, province_code: str) -> HttpResponse:
    """Communes grouped by the highest level they qualify for in the year (``?year=``), with their
    review status, recognitions, and a short view of the programme targets."""
    _, province = _province(request, province_code)
    year = year_param(request)
    overview = queries.province_overview(province, year)
    pending = (Assessment.objects.filter(commune__province=province, commune__valid_to__isnull=True,
                                         status=AssessmentStatus.SUBMITTED)
               .select_related("commune", "criteria_set").order_by("submitted_at"))
    return render(request, "criteria/province.html", {
        "province": province, "year": year, "years": range(queries.current_year(), 2020, -1),
        "overview": overview, "pending": list(pending),
        "progress": targets.province_progress(province, get_language() or "vi"),
        "period": indicator_queries.latest_period(),
    })


@login_required
@require_GET
def province_targets(request: HttpRequest, province_code: str) -> HttpResponse:
    """Programme targets (Decision 924/QĐ-TTg) with progress and gap, and the legacy districts."""
    _, province = _province(request, province_code)
    return render(request, "criteria/targets.html", {
        "province": province, "progress": targets.province_progress(province, get_language() or "vi"),
        "legacy_link": reverse("criteria:history", args=[province.code]),
    })


@login_required
@require_GET
def province_history(request: HttpRequest, province_code: str) -> HttpResponse:
    """Every indicator on the former districts of one former province (``?former=<code>``) that
    went into this province, in a computed period (``?period=YYYYMM``); ``?format=csv`` downloads
    the table (UTF-8 with BOM, one row per district × indicator). Districts were abolished on
    1 July 2025: the values are rebuilt by :mod:`langso.indicators.legacy`. Only the province's
    officers read it (404 otherwise, also for a former province that did not go into it)."""
    scope, province = _province(request, province_code)
    formers = [f for f in indicator_queries.former_provinces(province) if scope.can_read_legacy_province(f.pk)]
    if not formers:  # a province no former province went into (or lineage not loaded): say so
        return render(request, "criteria/history.html", {"province": province, "former": None, "formers": []})
    wanted = request.GET.get("former")
    former = next((f for f in formers if f.code == wanted), None) if wanted else formers[0]
    if former is None:
        raise Http404("Không tìm thấy / Not found")
    periods = indicator_queries.legacy_periods(former)
    period = request.GET.get("period")
    if period not in periods:
        # By default the last month of districts (June 2025), else the latest period.
        district_era = [p for p in periods if p <= LAST_DISTRICT_PERIOD]
        period = district_era[0] if district_era else (periods[0] if periods else None)
    language = get_language() or "vi"
    table = indicator_queries.former_district_table(former, period, language)
    table["after_reform"] = period is not None and period > LAST_DISTRICT_PERIOD
    if request.GET.get("format") == "csv":
        return _history_csv(province, former, period, table)
    for item in table["catalogue"]:
        item["cells"] = [district["values"].get(item["code"], (None, None, None)) for district in table["districts"]]
    return render(request, "criteria/history.html", {
        "province": province, "former": former, "formers": formers, "periods": periods, "period": period,
        "table": table,
    })


def _number(value: float | None) -> str:
    """A CSV number: whole numbers without ``.0``, others as stored; ``""`` for none."""
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else repr(value)


def _history_csv(province, former, period: str | None, table: dict) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["period", "as_of", "former_province_code", "former_province", "district_code", "district",
                     "communes", "communes_reporting", "indicator", "indicator_name", "unit", "value", "numerator",
                     "denominator", "target", "target_met"])
    for district in table["districts"]:
        for item in table["catalogue"]:
            value, numerator, denominator = district["values"].get(item["code"], (None, None, None))
            writer.writerow([period or "", table["as_of"] or "", former.code, former.full_name, district["unit"].code,
                             district["unit"].full_name, district["communes"], district["reporting"], item["code"],
                             item["name"], item["unit"], _number(value), _number(numerator), _number(denominator),
                             "", ""])
    # The former province's own rows (district_code empty), with the target that applies to it.
    for item in table["catalogue"]:
        total = item["province"]
        target = item["target"]
        met = "" if total["met"] is None else ("yes" if total["met"] else "no")
        writer.writerow([period or "", table["as_of"] or "", former.code, former.full_name, "", "",
                         table["communes"], table["reporting"],
                         item["code"], item["name"], item["unit"], _number(total["value"]), _number(total["numerator"]),
                         _number(total["denominator"]),
                         f"{target['comparison']}{_number(target['value'])} ({target['year']})" if target else "", met])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    name = f"langso-{province.code}-huyen-cu-{former.code}-{period or 'none'}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _class_choices() -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for criteria_set in CriteriaSet.objects.filter(is_latest=True).exclude(classification=""):
        for item in criteria_set.classes:
            seen.setdefault(item["key"], f"{item['name_vi']} ({criteria_set.classification})")
    return list(seen.items())


@login_required
@require_http_methods(["GET", "POST"])
def province_classification(request: HttpRequest, province_code: str) -> HttpResponse:
    """Each current commune's region (2021–2025) and group (2026–2030), and a form to record one."""
    _, province = _province(request, province_code)
    communes = queries.province_communes(province)
    form = ClassificationForm(request.POST or None, communes=communes, classes=_class_choices())
    if request.method == "POST" and form.is_valid():
        unit = next(c for c in communes if str(c.pk) == form.cleaned_data["commune"])
        try:
            actions.classify_commune(request.user, unit, form.cleaned_data["scheme"], form.cleaned_data["value"],
                                     source=form.cleaned_data["source"], valid_from=form.cleaned_data["valid_from"])
        except RuleViolation as exc:
            form.add_error(exc.field if exc.field in form.fields else None, f"{exc.vi} — {exc.en}")
        else:
            messages.success(request, f"Đã phân loại {unit.full_name}. — Classified.")
            return redirect("criteria:classification", province.code)
    rows: dict[int, dict[str, CommuneClassification]] = {}
    for row in (CommuneClassification.objects.filter(unit__in=communes, valid_to__isnull=True)
                .order_by("valid_from")):
        rows.setdefault(row.unit_id, {})[row.scheme] = row
    names = {item["key"]: item["name_vi"] for s in CriteriaSet.objects.filter(is_latest=True) for item in s.classes}
    return render(request, "criteria/classification.html", {
        "province": province, "form": form, "names": names,
        "rows": [{"commune": c, "region": rows.get(c.pk, {}).get("region-2021-2025"),
                  "group": rows.get(c.pk, {}).get("group-2026-2030")} for c in communes],
    })


def _certifiable_units(province: AdministrativeUnit) -> list[AdministrativeUnit]:
    """Current rural communes of the province and the legacy communes that formed them (wards are
    not recognised against new-rural sets)."""
    legacy = UnitLineage.objects.filter(successor__province=province, successor__valid_to__isnull=True,
                                        predecessor__level=UnitLevel.COMMUNE).values("predecessor_id")
    return list(AdministrativeUnit.objects.filter(
        Q(pk__in=legacy) | Q(province=province, valid_to__isnull=True, level=UnitLevel.COMMUNE))
        .exclude(unit_type=UnitType.WARD).order_by("valid_to", "code"))


@login_required
@require_http_methods(["GET", "POST"])
def province_certifications(request: HttpRequest, province_code: str) -> HttpResponse:
    """Recognition decisions on the province's communes and on the legacy communes that formed them
    (their history stays on them), and a form to record one."""
    _, province = _province(request, province_code)
    units = _certifiable_units(province)
    form = CertificationForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = next(u for u in units if str(u.pk) == data["unit"])
        assessment = None
        if unit.valid_to is None and data["level"] in LADDER:
            assessment = (Assessment.objects.filter(commune=unit, year=data["year"], village__isnull=True,
                                                    status=AssessmentStatus.APPROVED, criteria_set__level=data["level"])
                          .order_by("-id").first())
        try:
            actions.record_certification(request.user, unit, level=data["level"], year=data["year"],
                                         decision_number=data["decision_number"], decided_on=data["decided_on"],
                                         issuing_body=data["issuing_body"], assessment=assessment, note=data["note"])
        except RuleViolation as exc:
            form.add_error(exc.field if exc.field in form.fields else None, f"{exc.vi} — {exc.en}")
        else:
            messages.success(request, f"Đã ghi quyết định công nhận {unit.full_name}. — Recorded.")
            return redirect("criteria:certifications", province.code)
    records = (CertificationRecord.objects.filter(unit__in=units).select_related("unit")
               .order_by("-decided_on", "-id"))
    return render(request, "criteria/certifications.html", {"province": province, "form": form, "records": records})


@login_required
@require_GET
def province_xlsx(request: HttpRequest, province_code: str) -> HttpResponse:
    _, province = _province(request, province_code)
    report = province_report(province, year_param(request))
    response = HttpResponse(report_xlsx.render(report), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{report.filename}.xlsx"'
    return response


@login_required
@require_GET
def province_pdf(request: HttpRequest, province_code: str) -> HttpResponse:
    _, province = _province(request, province_code)
    report = province_report(province, year_param(request))
    response = HttpResponse(report_pdf.render(report), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{report.filename}.pdf"'
    return response


def _export_values(request: HttpRequest, province: AdministrativeUnit) -> tuple[str, str, list[exports.DataValue]]:
    """``?kind=indicators&period=YYYYMM`` (default: latest period) or ``?kind=criteria&year=YYYY``."""
    mapping = catalogue.dhis2_mapping()
    if request.GET.get("kind") == "criteria":
        year = year_param(request)
        return mapping["data_set"]["criteria"], str(year), exports.criteria_values(province, year)
    period = request.GET.get("period", "")
    if not PERIOD.match(period):
        period = indicator_queries.latest_period() or ""
    values = exports.indicator_values(province, period) if period else []
    return mapping["data_set"]["indicators"], period, values


@login_required
@require_GET
def export_adx(request: HttpRequest, province_code: str) -> HttpResponse:
    _, province = _province(request, province_code)
    data_set, period, values = _export_values(request, province)
    response = HttpResponse(exports.to_adx(values), content_type="application/adx+xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{data_set}-{province.code}-{period}.adx.xml"'
    return response


@login_required
@require_GET
def export_dhis2(request: HttpRequest, province_code: str) -> HttpResponse:
    _, province = _province(request, province_code)
    data_set, period, values = _export_values(request, province)
    body = json.dumps(exports.to_data_value_sets(values, data_set), ensure_ascii=False, indent=1)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{data_set}-{province.code}-{period}.json"'
    return response
