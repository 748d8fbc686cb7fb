"""Public pages (no login): the communes' online-service catalogues, the survey answer page, and
citizen feedback (send, follow by tracking code, the commune's public list).

Built for a cheap phone on a slow connection: one small HTML page with inline CSS, no web fonts,
no JavaScript needed (``participation/public/base.html``). POSTs are rate-limited
(:mod:`langso.lib.ratelimit`), and failed look-ups of a tracking code count towards the public
look-up limit shared with the other apps' code pages. Unknown communes, runs and codes give 404.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from langso.lib import ratelimit
from langso.lib.errors import RuleViolation
from langso.territory.models import AdministrativeUnit

from . import actions, builtins, definitions
from .forms import FeedbackForm
from .models import Feedback, FeedbackStatus, OnlineService, SurveyRun

FEEDBACK_KEY = "participation.feedback"


def _active_services(today):
    return OnlineService.objects.filter(available_since__lte=today, withdrawn_on__isnull=True)


def _commune(code: str) -> AdministrativeUnit:
    commune = AdministrativeUnit.objects.current().communes().filter(code=code).select_related("province").first()
    if commune is None:
        raise Http404("Không tìm thấy / Not found")
    return commune


def _lang(request: HttpRequest) -> str:
    return getattr(request, "LANGUAGE_CODE", "vi") or "vi"


# --- catalogue ----------------------------------------------------------------------------------------

@require_GET
def services_index(request: HttpRequest) -> HttpResponse:
    """Communes that list at least one online service."""
    ids = _active_services(timezone.localdate()).values("commune_id")
    communes = AdministrativeUnit.objects.current().communes().filter(pk__in=ids).select_related("province")
    return render(request, "participation/public/services_index.html", {"communes": communes})


@require_GET
def services_public(request: HttpRequest, commune_code: str) -> HttpResponse:
    """A commune's catalogue of online essential services, grouped by field."""
    commune = _commune(commune_code)
    registry = builtins.registered()
    lang = _lang(request)
    rows = []
    for service in _active_services(timezone.localdate()).filter(commune=commune).order_by("field", "name"):
        builtin = registry.get(service.builtin_key)
        if service.builtin_key and (builtin is None or not builtin.is_available(commune)):
            continue
        rows.append({
            "field": service.get_field_display(), "since": service.available_since,
            "name": builtin.name(lang) if builtin else service.name,
            "description": builtin.description(lang) if builtin else service.description,
            "link": builtin.url_for(commune) if builtin else service.url, "external": builtin is None,
        })
    return render(request, "participation/public/services.html", {"commune": commune, "rows": rows})


# --- surveys ------------------------------------------------------------------------------------------

def _questions(run: SurveyRun, lang: str, values: dict[str, str]) -> list[dict]:
    """The run's questions ready for the template, with the values already chosen."""
    definition = run.definition
    out = []
    for i, q in enumerate(definition["questions"], start=1):
        item = {"n": i, "code": q["code"], "type": q["type"], "text": definitions.text(q["text"], lang),
                "value": values.get(q["code"], "")}
        if q["type"] == "scale":
            scale = definition["scales"][q["scale"]]
            item["points"] = [{"value": str(p["value"]), "label": definitions.text(p, lang)} for p in scale["points"]]
            if "dont_know" in scale:
                item["points"].append({"value": actions.DONT_KNOW, "label": definitions.text(scale["dont_know"], lang)})
        else:
            item["max_length"] = q["max_length"]
        out.append(item)
    return out


def _answer_page(request: HttpRequest, run: SurveyRun, *, code: str = "", values: dict[str, str] | None = None,
                 error: RuleViolation | None = None, status: int = 200) -> HttpResponse:
    lang = _lang(request)
    today = timezone.localdate()
    return render(request, "participation/public/answer.html", {
        "run": run, "commune": run.commune, "title": definitions.text(run.definition["title"], lang),
        "intro": definitions.text(run.definition["intro"], lang), "questions": _questions(run, lang, values or {}),
        "code": code, "error": error, "is_open": run.is_open(today), "not_yet": today < run.opens_on,
    }, status=status)


@require_http_methods(["GET", "POST"])
def survey_start(request: HttpRequest) -> HttpResponse:
    """Type the one-time code; it finds its survey and shows the questions (nothing is spent)."""
    error = None
    code = ""
    if request.method == "POST":
        if ratelimit.is_blocked(request, "survey-bad-code"):
            return ratelimit.too_many(request, "survey-bad-code")
        if ratelimit.count(request, "lookup") > ratelimit.limit_of("lookup")[0]:
            return ratelimit.too_many(request, "lookup")
        code = actions.normalise_code(request.POST.get("code", ""))
        run = actions.code_run(code)
        if run is not None:
            return _answer_page(request, run, code=actions.format_code(code))
        ratelimit.count(request, "survey-bad-code")
        error = "Mã không đúng, đã dùng, hoặc khảo sát không mở. — The code is wrong or used, or the survey is not open."
    return render(request, "participation/public/start.html", {"error": error, "code": code},
                  status=400 if error else 200)


@ratelimit.limit_posts("survey-submit")
@require_http_methods(["GET", "POST"])
def survey_answer(request: HttpRequest, run_id: int) -> HttpResponse:
    """The answer page of one run (the link printed with the codes): code field and questions."""
    run = SurveyRun.objects.filter(pk=run_id, commune__valid_to__isnull=True).select_related("commune").first()
    if run is None:
        raise Http404("Không tìm thấy / Not found")
    if request.method != "POST":
        return _answer_page(request, run)
    if ratelimit.is_blocked(request, "survey-bad-code"):
        return ratelimit.too_many(request, "survey-bad-code")
    values = {q["code"]: request.POST.get(q["code"], "") for q in run.definition["questions"]}
    code = request.POST.get("code", "")
    try:
        actions.submit_response(run, code=code, answers=values)
    except RuleViolation as exc:
        if exc.field == "code":
            ratelimit.count(request, "survey-bad-code")
        return _answer_page(request, run, code=code, values=values, error=exc, status=400)
    return redirect("participation:survey-thanks", run.pk)


@require_GET
def survey_thanks(request: HttpRequest, run_id: int) -> HttpResponse:
    run = SurveyRun.objects.filter(pk=run_id).select_related("commune").first()
    if run is None:
        raise Http404("Không tìm thấy / Not found")
    return render(request, "participation/public/thanks.html", {
        "run": run, "commune": run.commune, "title": definitions.text(run.definition["title"], _lang(request)),
    })


# --- feedback -----------------------------------------------------------------------------------------

def _feedback_communes():
    ids = _active_services(timezone.localdate()).filter(builtin_key=FEEDBACK_KEY).values("commune_id")
    return AdministrativeUnit.objects.current().communes().filter(pk__in=ids).select_related("province")


def _feedback_commune(code: str) -> AdministrativeUnit:
    commune = _feedback_communes().filter(code=code).first()
    if commune is None:
        raise Http404("Không tìm thấy / Not found")
    return commune


@require_GET
def feedback_start(request: HttpRequest) -> HttpResponse:
    """Communes that take feedback online, and the tracking-code box."""
    return render(request, "participation/public/feedback_start.html", {"communes": _feedback_communes()})


@ratelimit.limit_posts("feedback-submit")
@require_http_methods(["GET", "POST"])
def feedback_new(request: HttpRequest, commune_code: str) -> HttpResponse:
    """Send a report: topic, description, optional photo, location and contact."""
    commune = _feedback_commune(commune_code)
    form = FeedbackForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data.pop("photo")
        try:
            if upload is not None and upload.size > 5 * 1024 * 1024:
                raise RuleViolation("photo", "photo.size", "Ảnh quá 5 MB.", "The photo is larger than 5 MB.")
            item = actions.submit_feedback(commune, photo=upload.read() if upload else None, **data)
        except RuleViolation as exc:
            form.add_error(exc.field if exc.field in form.fields else None, f"{exc.vi} — {exc.en}")
        else:
            return redirect(f"{reverse('participation:feedback-status', args=[item.tracking_code])}?moi=1")
    return render(request, "participation/public/feedback_form.html", {"commune": commune, "form": form},
                  status=400 if form.errors else 200)


@ratelimit.limit_misses()
@require_GET
def feedback_track(request: HttpRequest) -> HttpResponse:
    """``?ma=<tracking code>`` → the status page, or the start page with a message."""
    if ratelimit.count(request, "lookup") > ratelimit.limit_of("lookup")[0]:
        return ratelimit.too_many(request, "lookup")
    code = actions.normalise_code(request.GET.get("ma", ""))
    if Feedback.objects.filter(tracking_code=code).exists():
        return redirect("participation:feedback-status", code)
    return render(request, "participation/public/feedback_start.html", {
        "communes": _feedback_communes(), "not_found": True, "code": request.GET.get("ma", "")[:20],
    }, status=404)


@ratelimit.limit_misses()
@require_GET
def feedback_status(request: HttpRequest, tracking_code: str) -> HttpResponse:
    """What the holder of a tracking code sees: their report, its status, deadline and answer."""
    item = Feedback.objects.filter(tracking_code=tracking_code).select_related("commune").defer("photo").first()
    if item is None:
        raise Http404("Không tìm thấy / Not found")
    today = timezone.localdate()
    return render(request, "participation/public/feedback_status.html", {
        "item": item, "commune": item.commune, "overdue": item.is_overdue(today), "new": request.GET.get("moi") == "1",
    })


@require_GET
def feedback_public_list(request: HttpRequest, commune_code: str) -> HttpResponse:
    """The commune's feedback in public: topic, dates, status, answer (never the text or the sender)."""
    commune = _feedback_commune(commune_code)
    today = timezone.localdate()
    items = list(Feedback.objects.filter(commune=commune).only(
        "category", "received_on", "deadline_on", "status", "answer", "answered_on", "commune_id")[:100])
    for item in items:
        item.overdue = item.is_overdue(today)
    answered = [i for i in items if i.answered_on]
    return render(request, "participation/public/feedback_list.html", {
        "commune": commune, "items": items, "answered": len(answered),
        "on_time": sum(1 for i in answered if i.answered_on <= i.deadline_on),
        "statuses": FeedbackStatus,
    })
