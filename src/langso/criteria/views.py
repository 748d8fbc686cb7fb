"""Commune pages of the criteria app: the commune's standing, its assessments (values, evidence,
review), the gap report, report downloads, and the reference pages of the criteria sets.

Thin: access through :mod:`langso.accounts.access` (outsiders get 404; a province officer reads a
commune's pages but gets 404 on the commune's write URLs; a commune officer gets 404 on the
province's decision URLs), writes through :mod:`langso.criteria.actions`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_POST

from langso.accounts.access import get_commune_or_404, require_write, scope_for
from langso.lib.errors import RuleViolation
from langso.territory.models import Village

from . import actions, queries, standing, targets
from .forms import DecisionForm, NewAssessmentForm, ReopenForm, ResultForm, SubmitForm
from .models import AssessmentResult, AssessmentStatus, CriteriaSet, ResultSource, Scope
from .reports import assessment_report, pdf as report_pdf, xlsx as report_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _language() -> str:
    return get_language() or "vi"


def _commune(request: HttpRequest, commune_code: str, *, write: bool = False):
    scope = scope_for(request.user)
    commune = get_commune_or_404(scope, commune_code)
    if write:
        require_write(scope, commune.pk)
    return scope, commune


def _error(request: HttpRequest, exc: RuleViolation) -> None:
    messages.error(request, f"{exc.vi} — {exc.en}")


def year_param(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return queries.current_year()
    return year if 2000 <= year <= 2100 else queries.current_year()


def _startable_sets(commune, year: int) -> list[CriteriaSet]:
    return [s for s in queries.sets_for_year(year)
            if not s.owner_province_id or s.owner_province_id == commune.province_id]


@login_required
@require_GET
def set_list(request: HttpRequest) -> HttpResponse:
    """Every loaded criteria set (latest versions), with its period, level and how much is confirmed."""
    if scope_for(request.user).is_empty:
        raise Http404("Không tìm thấy / Not found")
    sets = queries.latest_sets()
    rows = []
    for criteria_set in sets:
        indicators = list(criteria_set.indicators.all())
        rows.append({"set": criteria_set, "slots": len(indicators),
                     "placeholders": sum(1 for i in indicators if i.placeholder),
                     "automatic": sum(1 for i in indicators if i.metric),
                     "unconfirmed": sum(1 for i in indicators if not i.placeholder and not (i.verified and i.threshold_verified))})
    return render(request, "criteria/set_list.html", {"rows": rows})


@login_required
@require_GET
def set_detail(request: HttpRequest, set_code: str) -> HttpResponse:
    """One set's criteria and indicator slots with thresholds per region/group and what is unconfirmed."""
    if scope_for(request.user).is_empty:
        raise Http404("Không tìm thấy / Not found")
    criteria_set = CriteriaSet.objects.filter(code=set_code, is_latest=True).select_related("owner_province").first()
    if criteria_set is None:
        raise Http404("Không tìm thấy / Not found")
    criteria = list(criteria_set.criteria.prefetch_related("indicators").order_by("position"))
    lookup = standing.threshold_lookup()
    from .evaluation import threshold_for

    classes = criteria_set.classes or [{"key": "", "name_vi": "Mọi xã", "name_en": "Every commune"}]
    table = []
    for criterion in criteria:
        rows, placeholders = [], []
        for indicator in criterion.indicators.all():
            if indicator.placeholder:
                placeholders.append(indicator.code)
                continue
            rows.append({"indicator": indicator,
                         "thresholds": [threshold_for(indicator, c["key"], lookup) for c in classes]})
        table.append({"criterion": criterion, "rows": rows, "placeholders": placeholders})
    versions = CriteriaSet.objects.filter(code=set_code).order_by("-id")
    return render(request, "criteria/set_detail.html", {
        "set": criteria_set, "table": table, "classes": classes, "versions": versions,
    })


@login_required
@require_GET
def commune_overview(request: HttpRequest, commune_code: str) -> HttpResponse:
    """The commune's levels this year, its assessments, recognitions (with the legacy communes'),
    programme targets that concern it, and — for its officer — a form to start an assessment."""
    scope, commune = _commune(request, commune_code)
    year = year_param(request)
    can_write = scope.can_write_commune(commune.pk)
    language = _language()
    sets = _startable_sets(commune, year)
    form = NewAssessmentForm(initial={"year": year}, sets=sets, villages=Village.objects.filter(commune=commune)
                             if any(s.scope == Scope.VILLAGE for s in sets) else ())
    return render(request, "criteria/commune.html", {
        "commune": commune, "province": commune.province, "year": year, "years": range(queries.current_year(), 2020, -1),
        "levels": standing.qualification(commune, year), "assessments": queries.assessments(scope, commune),
        "history": queries.certification_history(commune), "classifications": queries.classifications(commune),
        "class_names": queries.class_names(),
        "programme": targets.commune_progress(commune, language), "can_write": can_write, "form": form,
        "can_open_province": scope.can_read_province(commune.province_id),
        "can_decide": actions.can_decide(scope, commune),
    })


@login_required
@require_POST
def assessment_new(request: HttpRequest, commune_code: str) -> HttpResponse:
    _, commune = _commune(request, commune_code, write=True)
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        year = queries.current_year()
    sets = _startable_sets(commune, year)
    form = NewAssessmentForm(request.POST, sets=sets, villages=Village.objects.filter(commune=commune))
    if not form.is_valid():
        messages.error(request, "Chọn bộ tiêu chí và năm trong giai đoạn của bộ. — Choose a set and a year within its period.")
        return redirect(reverse("criteria:commune", args=[commune.code]) + f"?year={year}")
    criteria_set = next(s for s in sets if str(s.pk) == form.cleaned_data["criteria_set"])
    village = Village.objects.filter(commune=commune, pk=form.cleaned_data.get("village") or 0).first()
    try:
        assessment = actions.start_assessment(request.user, commune, criteria_set, form.cleaned_data["year"],
                                              village=village)
    except RuleViolation as exc:
        _error(request, exc)
        return redirect(reverse("criteria:commune", args=[commune.code]) + f"?year={year}")
    messages.success(request, "Đã tạo bản tự đánh giá; chỉ tiêu tự động đã được điền. — Assessment started.")
    return redirect("criteria:assessment", commune.code, assessment.pk)


def _detail_context(request: HttpRequest, scope, commune, assessment) -> dict[str, Any]:
    language = _language()
    summary = standing.summarise(assessment, language=language)
    can_write = scope.can_write_commune(commune.pk)
    can_decide = actions.can_decide(scope, commune)
    supporting_codes = {code for group in summary["criteria"] for row in group["rows"]
                        for code in row["indicator"].supporting}
    supporting: dict[str, Any] = {}
    if supporting_codes:
        _, _, values = standing.automatic_values(commune, assessment.year)
        supporting = {code: values.get(code) for code in supporting_codes}
    for group in summary["criteria"]:
        for row in group["rows"]:
            result = row["result"]
            row["editable"] = can_write and actions.editable_result(assessment, result) and \
                result.source == ResultSource.ENTERED and not row["indicator"].placeholder
            row["supporting"] = [(code, supporting.get(code)) for code in row["indicator"].supporting]
    for group in summary["criteria"]:
        group["shown"] = [row for row in group["rows"] if not row["indicator"].placeholder]
        group["placeholders"] = [row["indicator"].code for row in group["rows"] if row["indicator"].placeholder]
    reopenable = [row["indicator"].code for group in summary["criteria"] for row in group["rows"]
                  if row["result"].source == ResultSource.ENTERED and not row["indicator"].placeholder]
    return {
        "commune": commune, "province": commune.province, "assessment": assessment, "set": assessment.criteria_set,
        "summary": summary, "steps": [(step, queries.step_changes(step)) for step in queries.steps(assessment)], "can_write": can_write, "can_decide": can_decide,
        "editable": can_write and assessment.status in actions.EDITABLE | {AssessmentStatus.REOPENED},
        "class_name": assessment.criteria_set.class_name(assessment.class_key, language) if assessment.class_key else "",
        "submit_form": SubmitForm(), "decision_form": DecisionForm(),
        "reopen_form": ReopenForm(codes=reopenable) if reopenable else None,
        "can_open_province": scope.can_read_province(commune.province_id),
    }


@login_required
@require_GET
def assessment_detail(request: HttpRequest, commune_code: str, pk: int) -> HttpResponse:
    scope, commune = _commune(request, commune_code)
    assessment = queries.assessment_or_404(scope, commune, pk)
    return render(request, "criteria/assessment.html", _detail_context(request, scope, commune, assessment))


@login_required
@require_POST
def assessment_refresh(request: HttpRequest, commune_code: str, pk: int) -> HttpResponse:
    scope, commune = _commune(request, commune_code, write=True)
    assessment = queries.assessment_or_404(scope, commune, pk)
    try:
        actions.refresh_automatic(request.user, assessment)
    except RuleViolation as exc:
        _error(request, exc)
    else:
        messages.success(request, "Đã cập nhật số liệu tự động. — Automatic values refreshed.")
    return redirect("criteria:assessment", commune.code, assessment.pk)


@login_required
@require_POST
def result_edit(request: HttpRequest, commune_code: str, pk: int) -> HttpResponse:
    """One entered indicator: its value or met / not met, a note, and optionally an evidence file."""
    scope, commune = _commune(request, commune_code, write=True)
    assessment = queries.assessment_or_404(scope, commune, pk)
    form = ResultForm(request.POST, request.FILES)
    target = reverse("criteria:assessment", args=[commune.code, assessment.pk])
    if not form.is_valid():
        messages.error(request, "Giá trị không hợp lệ. — Invalid value.")
        return redirect(target)
    result = AssessmentResult.objects.filter(assessment=assessment, pk=form.cleaned_data["result"]).first()
    if result is None:
        raise Http404("Không tìm thấy / Not found")
    data = form.cleaned_data
    met = {"yes": True, "no": False}.get(data["met"])
    try:
        changed = (data["value"] != result.value or met != result.met_declared or data["note"] != result.note)
        if changed:
            actions.enter_value(request.user, result, value=data["value"], met=met, note=data["note"])
        if data["file"]:
            actions.add_evidence(request.user, result, data["file"], description=data["description"])
    except RuleViolation as exc:
        _error(request, exc)
    else:
        messages.success(request, f"Đã lưu chỉ tiêu {result.indicator.code}. — Saved.")
    return redirect(f"{target}#ind-{result.indicator.code}")


@login_required
@require_POST
def assessment_submit(request: HttpRequest, commune_code: str, pk: int) -> HttpResponse:
    scope, commune = _commune(request, commune_code, write=True)
    assessment = queries.assessment_or_404(scope, commune, pk)
    form = SubmitForm(request.POST)
    form.is_valid()
    try:
        actions.submit_assessment(request.user, assessment, form.cleaned_data.get("comment", ""))
    except RuleViolation as exc:
        _error(request, exc)
    else:
        messages.success(request, "Đã gửi bản đánh giá lên tỉnh. — Submitted to the province.")
    return redirect("criteria:assessment", commune.code, assessment.pk)


def _province_decider(request: HttpRequest, commune_code: str, pk: int):
    scope, commune = _commune(request, commune_code)
    if not actions.can_decide(scope, commune):
        raise Http404("Không tìm thấy / Not found")
    return commune, queries.assessment_or_404(scope, commune, pk)


@login_required
@require_POST
def assessment_decide(request: HttpRequest, commune_code: str, pk: int) -> HttpResponse:
    """The province comments on, returns or approves a submitted assessment."""
    commune, assessment = _province_decider(request, commune_code, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Chọn một quyết định. — Choose a decision.")
        return redirect("criteria:assessment", commune.code, assessment.pk)
    action, comment = form.cleaned_data["action"], form.cleaned_data["comment"]
    try:
        if action == "comment":
            actions.comment_assessment(request.user, assessment, comment)
            messages.success(request, "Đã gửi góp ý. — Comment sent.")
        elif action == "return":
            actions.return_assessment(request.user, assessment, comment)
            messages.success(request, "Đã trả lại xã. — Returned to the commune.")
        else:
            actions.approve_assessment(request.user, assessment, comment)
            messages.success(request, "Đã phê duyệt; bản đánh giá được khóa. — Approved and locked.")
    except RuleViolation as exc:
        _error(request, exc)
    return redirect("criteria:assessment", commune.code, assessment.pk)


@login_required
@require_POST
def assessment_reopen(request: HttpRequest, commune_code: str, pk: int) -> HttpResponse:
    """The province reopens one indicator of an approved assessment."""
    commune, assessment = _province_decider(request, commune_code, pk)
    codes = list(assessment.results.filter(source=ResultSource.ENTERED, indicator__placeholder=False)
                 .values_list("indicator__code", flat=True))
    form = ReopenForm(request.POST, codes=codes)
    if not form.is_valid():
        messages.error(request, "Chọn chỉ tiêu và ghi lý do. — Choose an indicator and give a reason.")
    else:
        try:
            actions.reopen_indicator(request.user, assessment, form.cleaned_data["indicator"], form.cleaned_data["reason"])
        except RuleViolation as exc:
            _error(request, exc)
        else:
            messages.success(request, f"Đã mở lại chỉ tiêu {form.cleaned_data['indicator']}. — Indicator reopened.")
    return redirect("criteria:assessment", commune.code, assessment.pk)


@login_required
@require_GET
def gap(request: HttpRequest, commune_code: str) -> HttpResponse:
    """What the commune misses for its next level in the year (``?year=``), with the numbers."""
    _, commune = _commune(request, commune_code)
    year = year_param(request)
    return render(request, "criteria/gap.html", {
        "commune": commune, "province": commune.province, "year": year,
        "report": standing.gap_report(commune, year, _language()),
        "years": range(queries.current_year(), 2020, -1),
    })


@login_required
@require_GET
def evidence_download(request: HttpRequest, commune_code: str, pk: int) -> HttpResponse:
    scope, commune = _commune(request, commune_code)
    evidence = queries.evidence_or_404(scope, commune, pk)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("Không tìm thấy / Not found") from exc
    response = FileResponse(handle, as_attachment=True, filename=evidence.original_name,
                            content_type=evidence.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _report(request: HttpRequest, commune_code: str, pk: int):
    scope, commune = _commune(request, commune_code)
    return assessment_report(queries.assessment_or_404(scope, commune, pk))


@login_required
@require_GET
def assessment_xlsx(request: HttpRequest, commune_code: str, pk: int) -> HttpResponse:
    report = _report(request, commune_code, pk)
    response = HttpResponse(report_xlsx.render(report), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{report.filename}.xlsx"'
    return response


@login_required
@require_GET
def assessment_pdf(request: HttpRequest, commune_code: str, pk: int) -> HttpResponse:
    report = _report(request, commune_code, pk)
    response = HttpResponse(report_pdf.render(report), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{report.filename}.pdf"'
    return response
