"""Officer pages: the commune's online-service catalogue, survey runs and results, feedback, and the
province's comparison of communes. Thin: access through :mod:`langso.accounts.access` (outsiders
get 404, province readers get 404 on write URLs), writes through :mod:`.actions`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from langso.accounts.access import (
    get_commune_or_404,
    get_province_or_404,
    get_visible_or_404,
    readable_communes,
    require_write,
    scope_for,
)
from langso.accounts.models import Membership, Role
from langso.lib.errors import RuleViolation
from langso.territory.models import Village

from . import actions, builtins, deadlines, exports, results
from .forms import AnswerForm, AssignForm, BuiltinForm, CloseDateForm, RunForm, ServiceForm, WithdrawForm
from .models import Feedback, FeedbackStatus, OnlineService, SurveyCode, SurveyRun


def _commune(request: HttpRequest, commune_code: str, *, write: bool = False):
    scope = scope_for(request.user)
    commune = get_commune_or_404(scope, commune_code)
    if write:
        require_write(scope, commune.pk)
    return scope, commune


def _run(request: HttpRequest, commune_code: str, run_id: int, *, write: bool = False):
    scope, commune = _commune(request, commune_code, write=write)
    return scope, commune, get_visible_or_404(scope, SurveyRun.objects.filter(commune=commune), pk=run_id)


def _feedback(request: HttpRequest, commune_code: str, feedback_id: int, *, write: bool = False):
    scope, commune = _commune(request, commune_code, write=write)
    return scope, commune, get_visible_or_404(scope, Feedback.objects.filter(commune=commune), pk=feedback_id)


def _error(request: HttpRequest, exc: RuleViolation) -> None:
    messages.error(request, f"{exc.vi} — {exc.en}")


def _form_error(form, exc: RuleViolation) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, f"{exc.vi} — {exc.en}")


# --- hub ----------------------------------------------------------------------------------------

@login_required
@require_GET
def hub(request: HttpRequest, commune_code: str) -> HttpResponse:
    """The commune's participation page: services, surveys and feedback at a glance."""
    scope, commune = _commune(request, commune_code)
    today = timezone.localdate()
    runs = list(SurveyRun.objects.visible_to(scope).filter(commune=commune)[:5])
    feedback = Feedback.objects.visible_to(scope).filter(commune=commune)
    services = OnlineService.objects.visible_to(scope).filter(commune=commune, withdrawn_on__isnull=True)
    return render(request, "participation/hub.html", {
        "commune": commune, "today": today, "can_write": scope.can_write_commune(commune.pk),
        "services": services, "summaries": [results.summary(r, today) for r in runs],
        "open_feedback": feedback.exclude(status__in=[FeedbackStatus.ANSWERED, FeedbackStatus.CLOSED]).count(),
        "overdue": feedback.overdue(today).count(), "feedback_total": feedback.count(),
    })


# --- online services ------------------------------------------------------------------------------

@login_required
@require_GET
def services(request: HttpRequest, commune_code: str) -> HttpResponse:
    """The commune's catalogue, and the built-in services it could add."""
    scope, commune = _commune(request, commune_code)
    rows = list(OnlineService.objects.visible_to(scope).filter(commune=commune).order_by("withdrawn_on", "field", "name"))
    listed = {s.builtin_key for s in rows if s.builtin_key and s.withdrawn_on is None}
    registry = builtins.registered()
    offer = [(b, b.is_available(commune)) for key, b in registry.items() if key not in listed]
    for row in rows:
        row.link = registry[row.builtin_key].url_for(commune) if row.builtin_key in registry else row.url
    return render(request, "participation/services.html", {
        "commune": commune, "services": rows, "offer": offer, "can_write": scope.can_write_commune(commune.pk),
        "builtin_form": BuiltinForm(), "withdraw_form": WithdrawForm(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def service_new(request: HttpRequest, commune_code: str) -> HttpResponse:
    _, commune = _commune(request, commune_code, write=True)
    form = ServiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_service(request.user, commune, **form.cleaned_data)
        except RuleViolation as exc:
            _form_error(form, exc)
        else:
            messages.success(request, "Đã thêm dịch vụ. — Service added.")
            return redirect("participation:services", commune.code)
    return render(request, "participation/service_form.html", {"commune": commune, "form": form})


@login_required
@require_POST
def service_enable(request: HttpRequest, commune_code: str) -> HttpResponse:
    _, commune = _commune(request, commune_code, write=True)
    form = BuiltinForm(request.POST)
    if form.is_valid():
        try:
            actions.enable_builtin(request.user, commune, form.cleaned_data["key"],
                                   available_since=form.cleaned_data["available_since"])
            messages.success(request, "Đã thêm dịch vụ dựng sẵn. — Built-in service listed.")
        except RuleViolation as exc:
            _error(request, exc)
    else:
        messages.error(request, "Ngày không hợp lệ. — Invalid date.")
    return redirect("participation:services", commune.code)


@login_required
@require_POST
def service_withdraw(request: HttpRequest, commune_code: str, service_id: int) -> HttpResponse:
    scope, commune = _commune(request, commune_code, write=True)
    service = get_visible_or_404(scope, OnlineService.objects.filter(commune=commune), pk=service_id)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            actions.withdraw_service(request.user, service, withdrawn_on=form.cleaned_data["withdrawn_on"])
            messages.success(request, "Đã ghi ngừng dịch vụ. — Service withdrawn.")
        except RuleViolation as exc:
            _error(request, exc)
    return redirect("participation:services", commune.code)


# --- surveys ---------------------------------------------------------------------------------------

@login_required
@require_GET
def runs(request: HttpRequest, commune_code: str) -> HttpResponse:
    scope, commune = _commune(request, commune_code)
    today = timezone.localdate()
    rows = SurveyRun.objects.visible_to(scope).filter(commune=commune)
    return render(request, "participation/runs.html", {
        "commune": commune, "summaries": [results.summary(r, today) for r in rows], "today": today,
        "can_write": scope.can_write_commune(commune.pk),
    })


@login_required
@require_http_methods(["GET", "POST"])
def run_new(request: HttpRequest, commune_code: str) -> HttpResponse:
    _, commune = _commune(request, commune_code, write=True)
    form = RunForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = actions.open_survey(request.user, commune, **form.cleaned_data)
        except RuleViolation as exc:
            _form_error(form, exc)
        else:
            made = actions.issue_codes(request.user, run)
            messages.success(request, f"Đã mở khảo sát, cấp {made} mã. — Survey opened, {made} codes issued.")
            return redirect("participation:run", commune.code, run.pk)
    return render(request, "participation/run_form.html", {"commune": commune, "form": form})


def _villages(run: SurveyRun) -> list[dict]:
    """Codes per village: ``[{village_id, name, codes, used}]`` (households without a village: id 0)."""
    from django.db.models import Count, Q

    counts = (SurveyCode.objects.filter(run=run).order_by().values("village_id")
              .annotate(n=Count("pk"), used=Count("pk", filter=Q(used=True))))
    names = dict(Village.objects.filter(commune_id=run.commune_id).values_list("pk", "name"))
    rows = [{"village_id": c["village_id"] or 0, "name": names.get(c["village_id"], "—"), "codes": c["n"],
             "used": c["used"]} for c in counts]
    return sorted(rows, key=lambda r: r["name"])


@login_required
@require_GET
def run_detail(request: HttpRequest, commune_code: str, run_id: int) -> HttpResponse:
    """A run's response rate, satisfaction index per question and chart (details once released)."""
    scope, commune, run = _run(request, commune_code, run_id)
    today = timezone.localdate()
    summary = results.summary(run, today)
    questions = results.questions(run, summary.released)
    lang = request.LANGUAGE_CODE
    chart = {
        "labels": [q.text_en if lang.startswith("en") else q.text_vi for q in questions if not q.suppressed],
        "values": [q.index for q in questions if not q.suppressed],
    }
    return render(request, "participation/run_detail.html", {
        "commune": commune, "run": run, "summary": summary, "questions": questions, "today": today,
        "chart": chart, "can_write": scope.can_write_commune(commune.pk),
        "villages": _villages(run) if scope.can_write_commune(commune.pk) else [],
        "close_form": CloseDateForm(initial={"closes_on": run.closes_on}), "min_cell": results.MIN_CELL,
    })


@login_required
@require_POST
def run_codes_issue(request: HttpRequest, commune_code: str, run_id: int) -> HttpResponse:
    _, commune, run = _run(request, commune_code, run_id, write=True)
    made = actions.issue_codes(request.user, run)
    messages.success(request, f"Đã cấp thêm {made} mã. — {made} more codes issued.")
    return redirect("participation:run", commune.code, run.pk)


@login_required
@require_POST
def run_dates(request: HttpRequest, commune_code: str, run_id: int) -> HttpResponse:
    _, commune, run = _run(request, commune_code, run_id, write=True)
    form = CloseDateForm(request.POST)
    if form.is_valid():
        try:
            actions.change_close_date(request.user, run, form.cleaned_data["closes_on"])
            messages.success(request, "Đã đổi ngày đóng. — Closing date changed.")
        except RuleViolation as exc:
            _error(request, exc)
    return redirect("participation:run", commune.code, run.pk)


@login_required
@require_GET
def run_issue_sheet(request: HttpRequest, commune_code: str, run_id: int, village_id: int) -> HttpResponse:
    """Printable list of one village's codes for the village head (A4, one line per household)."""
    _, commune, run = _run(request, commune_code, run_id, write=True)
    codes = SurveyCode.objects.filter(run=run).select_related("household").order_by("household__address",
                                                                                     "household_id")
    if village_id:
        village = Village.objects.filter(commune=commune, pk=village_id).first()
        if village is None:
            raise Http404("Không tìm thấy / Not found")
        codes = codes.filter(village=village)
    else:
        village, codes = None, codes.filter(village__isnull=True)
    heads = _heads([c.household_id for c in codes])
    lines = [{"code": actions.format_code(c.code), "household": c.household,
              "head": heads.get(c.household_id, "")} for c in codes]
    return render(request, "participation/issue_sheet.html", {
        "commune": commune, "run": run, "village": village, "lines": lines,
        "answer_url": request.build_absolute_uri("/s/"),
    })


def _heads(household_ids: list[int]) -> dict[int, str]:
    from langso.registry.models import Relation, Resident

    return dict(Resident.objects.filter(household_id__in=household_ids, relation_to_head=Relation.HEAD)
                .living_here().values_list("household_id", "full_name"))


@login_required
@require_GET
def run_free_text(request: HttpRequest, commune_code: str, run_id: int) -> HttpResponse:
    """Free-text answers (officers only), alphabetical, once the run is released."""
    _, commune, run = _run(request, commune_code, run_id)
    summary = results.summary(run, timezone.localdate())
    return render(request, "participation/free_text.html", {
        "commune": commune, "run": run, "summary": summary,
        "texts": results.free_texts(run) if summary.released else [], "min_cell": results.MIN_CELL,
    })


@login_required
@require_GET
def run_export(request: HttpRequest, commune_code: str, run_id: int, fmt: str = "csv") -> HttpResponse:
    """Anonymous answers and per-question results as CSV or Excel (released runs only; otherwise
    the file holds the counts and a note)."""
    _, commune, run = _run(request, commune_code, run_id)
    summary = results.summary(run, timezone.localdate())
    if fmt == "xlsx":
        return exports.xlsx_response(run, summary)
    return exports.csv_response(run, summary)


# --- feedback -------------------------------------------------------------------------------------

@login_required
@require_GET
def feedback_list(request: HttpRequest, commune_code: str) -> HttpResponse:
    scope, commune = _commune(request, commune_code)
    today = timezone.localdate()
    status = request.GET.get("status", "")
    items = Feedback.objects.visible_to(scope).filter(commune=commune).select_related("assignee").defer("photo")
    if status == "overdue":
        items = items.overdue(today)
    elif status in FeedbackStatus.values:
        items = items.filter(status=status)
    items = list(items[:300])
    for item in items:
        item.overdue = item.is_overdue(today)
    return render(request, "participation/feedback_list.html", {
        "commune": commune, "items": items, "status": status, "statuses": FeedbackStatus.choices, "today": today,
    })


def _officers(commune):
    return get_user_model().objects.filter(
        pk__in=Membership.objects.filter(unit=commune, role=Role.COMMUNE_OFFICER).values("user_id"), is_active=True,
    ).order_by("username")


@login_required
@require_GET
def feedback_detail(request: HttpRequest, commune_code: str, feedback_id: int) -> HttpResponse:
    scope, commune, item = _feedback(request, commune_code, feedback_id)
    today = timezone.localdate()
    can_write = scope.can_write_commune(commune.pk)
    return render(request, "participation/feedback_detail.html", {
        "commune": commune, "item": item, "today": today, "overdue": item.is_overdue(today), "can_write": can_write,
        "rule": deadlines.rule_for(item.category),
        "assign_form": AssignForm(officers=_officers(commune), initial={"assignee": item.assignee_id or request.user.pk}),
        "answer_form": AnswerForm(initial={"answer": item.answer}),
    })


@login_required
@require_POST
def feedback_assign(request: HttpRequest, commune_code: str, feedback_id: int) -> HttpResponse:
    _, commune, item = _feedback(request, commune_code, feedback_id, write=True)
    form = AssignForm(request.POST, officers=_officers(commune))
    if form.is_valid():
        try:
            actions.assign_feedback(request.user, item, form.cleaned_data["assignee"])
            messages.success(request, "Đã giao xử lý. — Assigned.")
        except RuleViolation as exc:
            _error(request, exc)
    else:
        messages.error(request, "Chọn cán bộ. — Choose an officer.")
    return redirect("participation:feedback-item", commune.code, item.pk)


@login_required
@require_POST
def feedback_answer(request: HttpRequest, commune_code: str, feedback_id: int) -> HttpResponse:
    _, commune, item = _feedback(request, commune_code, feedback_id, write=True)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            actions.answer_feedback(request.user, item, form.cleaned_data["answer"])
            messages.success(request, "Đã trả lời (công khai). — Answer published.")
        except RuleViolation as exc:
            _error(request, exc)
    else:
        messages.error(request, "Cần nội dung trả lời. — The answer needs text.")
    return redirect("participation:feedback-item", commune.code, item.pk)


@login_required
@require_POST
def feedback_close(request: HttpRequest, commune_code: str, feedback_id: int) -> HttpResponse:
    _, commune, item = _feedback(request, commune_code, feedback_id, write=True)
    try:
        actions.close_feedback(request.user, item)
        messages.success(request, "Đã đóng. — Closed.")
    except RuleViolation as exc:
        _error(request, exc)
    return redirect("participation:feedback-item", commune.code, item.pk)


@login_required
@require_GET
def feedback_photo(request: HttpRequest, commune_code: str, feedback_id: int) -> HttpResponse:
    _, _, item = _feedback(request, commune_code, feedback_id)
    if not item.photo:
        raise Http404("Không tìm thấy / Not found")
    response = HttpResponse(bytes(item.photo), content_type="image/jpeg")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


# --- province -------------------------------------------------------------------------------------

@login_required
@require_GET
def province(request: HttpRequest, province_code: str) -> HttpResponse:
    """The province compares its communes: services, latest satisfaction survey, feedback on time."""
    scope = scope_for(request.user)
    unit = get_province_or_404(scope, province_code)
    today = timezone.localdate()
    communes = list(readable_communes(scope).filter(province=unit).order_by("name"))
    # Communes with results first (best index first), then the others by name.
    rows = sorted(results.comparison(communes, today),
                  key=lambda r: (r.index is None, -(r.index or 0), -r.services, r.commune.name))
    ranked = sorted((r for r in rows if r.index is not None), key=lambda r: -r.index)
    chart = {"labels": [r.commune.name for r in ranked], "values": [r.index for r in ranked]}
    totals = {
        "communes": len(rows), "with_service": sum(1 for r in rows if r.services),
        "surveyed": sum(1 for r in rows if r.run is not None),
    }
    return render(request, "participation/province.html", {
        "province": unit, "rows": rows, "totals": totals, "today": today,
        "chart": chart, "min_cell": results.MIN_CELL,
    })
