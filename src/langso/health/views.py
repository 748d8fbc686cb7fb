"""Pages for commune health workers. Thin: scope from accounts.access (health role), writes through
actions, every record read audited by get_health_record_or_404."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from langso.accounts.access import get_health_commune_or_404, get_health_record_or_404, scope_for
from langso.lib.errors import RuleViolation
from langso.registry.models import Resident

from . import actions, catalogue, queries
from .forms import ImmunizationForm, OpenRecordForm, RecordForm, VisitForm
from .models import Consent, DiseaseCase, HealthRecord, Outbreak, OutbreakStatus, alert_rule_q


def _message(exc: RuleViolation) -> str:
    """A refusal for the page: the Vietnamese and English message, without the field's key."""
    return f"{exc.vi} — {exc.en}"


def _resident(request: HttpRequest, commune_code: str, resident_id: int):
    scope = scope_for(request.user)
    commune = get_health_commune_or_404(scope, commune_code)
    resident = Resident.objects.filter(commune=commune, pk=resident_id).select_related("household", "household__village").first()
    if resident is None:
        from django.http import Http404

        raise Http404("Không tìm thấy / Not found")
    return scope, commune, resident


@login_required
def home(request: HttpRequest, commune_code: str) -> HttpResponse:
    """The health station's start page: resident search, active outbreaks, open alerts (monthly
    counts above the mean, listed apart from the outbreaks), counts."""
    commune = get_health_commune_or_404(scope_for(request.user), commune_code)
    q = request.GET.get("q", "")
    found = queries.search_residents(commune, q) if q.strip() else []
    active = Outbreak.objects.filter(commune=commune, closed_on__isnull=True).order_by("-detected_on")
    today = dt.date.today()
    return render(request, "health/home.html", {
        "commune": commune, "q": q, "found": found,
        "outbreaks": list(active.exclude(alert_rule_q())), "alerts": list(active.filter(alert_rule_q())),
        "records": HealthRecord.objects.filter(commune=commune).count(),
        "residents": Resident.objects.filter(commune=commune).living_here().count(),
        "cases_30d": DiseaseCase.objects.filter(commune=commune, onset_on__gt=today - dt.timedelta(days=30)).count(),
    })


@login_required
def record(request: HttpRequest, commune_code: str, resident_id: int) -> HttpResponse:
    """A resident's personal health record (Decision 831/QĐ-BYT blocks). The read is audited."""
    scope, commune, resident = _resident(request, commune_code, resident_id)
    rec = None
    if HealthRecord.objects.filter(resident=resident).exists():
        rec = get_health_record_or_404(scope, HealthRecord.objects.all(), purpose="view", resident=resident)
    context = {"commune": commune, "resident": resident, "rec": rec, "open_form": OpenRecordForm(),
               "consents": Consent.objects.filter(resident=resident).order_by("-given_on")}
    if rec is not None:
        vaccines = catalogue.vaccines()
        given = {(i.vaccine, i.dose): i for i in rec.immunizations.all()}
        today = dt.date.today()
        schedule = []
        for dose in catalogue.doses():
            imm = given.get((dose.vaccine, dose.dose))
            status = "given" if imm else ("overdue" if today >= dose.overdue_on(resident.date_of_birth)
                                          else "due" if today >= dose.due_on(resident.date_of_birth) else "later")
            schedule.append({"dose": dose, "given": imm, "due_on": dose.due_on(resident.date_of_birth), "status": status})
        context.update({
            "allergies": rec.allergies.order_by("substance"),
            "encounters": rec.encounters.prefetch_related("diagnoses")[:20],
            "schedule": schedule if (today - resident.date_of_birth).days < 7 * 365 else [],
            "vaccines": vaccines, "imm_form": ImmunizationForm(initial={"given_on": today}),
            "cases": DiseaseCase.objects.filter(resident=resident).order_by("-onset_on"),
        })
    return render(request, "health/record.html", context)


@login_required
@require_POST
def record_create(request: HttpRequest, commune_code: str, resident_id: int) -> HttpResponse:
    scope, commune, resident = _resident(request, commune_code, resident_id)
    form = OpenRecordForm(request.POST)
    if form.is_valid():
        try:
            today = dt.date.today()
            actions.open_record(request.user, resident, opened_on=today,
                                insurance_number=form.cleaned_data["insurance_number"])
            if form.cleaned_data["consent"]:
                actions.record_consent(request.user, resident, given_on=today)
            messages.success(request, "Đã mở hồ sơ sức khỏe / Health record opened")
        except RuleViolation as exc:
            messages.error(request, _message(exc))
    return redirect("health:record", commune.code, resident.pk)


@login_required
@require_http_methods(["GET", "POST"])
def visit_new(request: HttpRequest, commune_code: str, resident_id: int) -> HttpResponse:
    """Add a visit with vital signs and ICD-10 diagnoses."""
    scope, commune, resident = _resident(request, commune_code, resident_id)
    rec = get_health_record_or_404(scope, HealthRecord.objects.all(), purpose="visit", resident=resident)
    form = VisitForm(request.POST or None, initial={"date": dt.date.today()})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        codes = [c.strip() for c in data.pop("diagnoses").split(",") if c.strip()]
        try:
            actions.add_encounter(request.user, rec, diagnoses=codes,
                                  **{k: v for k, v in data.items() if v not in (None, "")})
            messages.success(request, "Đã ghi lần khám / Visit recorded")
            return redirect("health:record", commune.code, resident.pk)
        except RuleViolation as exc:
            form.add_error(exc.field if exc.field in form.fields else None, _message(exc))
    return render(request, "health/visit_form.html", {"commune": commune, "resident": resident, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def record_edit(request: HttpRequest, commune_code: str, resident_id: int) -> HttpResponse:
    """Edit administrative data, history and risk factors; add an allergy."""
    scope, commune, resident = _resident(request, commune_code, resident_id)
    rec = get_health_record_or_404(scope, HealthRecord.objects.all(), purpose="edit", resident=resident)
    fields = [f for f in RecordForm.base_fields if not f.startswith("allergy_")]
    form = RecordForm(request.POST or None, initial={f: getattr(rec, f) for f in fields})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        substance, reaction = data.pop("allergy_substance"), data.pop("allergy_reaction")
        try:
            actions.update_record(request.user, rec, **{k: v for k, v in data.items()
                                                         if v != getattr(rec, k)})
            if substance.strip():
                actions.add_allergy(request.user, rec, substance=substance, reaction=reaction,
                                    recorded_on=dt.date.today())
            messages.success(request, "Đã lưu hồ sơ / Record saved")
            return redirect("health:record", commune.code, resident.pk)
        except RuleViolation as exc:
            form.add_error(exc.field if exc.field in form.fields else None, _message(exc))
    return render(request, "health/record_form.html", {"commune": commune, "resident": resident, "form": form})


@login_required
@require_POST
def immunization_add(request: HttpRequest, commune_code: str, resident_id: int) -> HttpResponse:
    scope, commune, resident = _resident(request, commune_code, resident_id)
    rec = get_health_record_or_404(scope, HealthRecord.objects.all(), purpose="immunization", resident=resident)
    form = ImmunizationForm(request.POST)
    if form.is_valid():
        try:
            actions.add_immunization(request.user, rec, **form.cleaned_data)
            messages.success(request, "Đã ghi mũi tiêm / Dose recorded")
        except RuleViolation as exc:
            messages.error(request, _message(exc))
    else:
        messages.error(request, "Dữ liệu không hợp lệ / Invalid data")
    return redirect("health:record", commune.code, resident.pk)


@login_required
def due(request: HttpRequest, commune_code: str) -> HttpResponse:
    """Children's EPI doses due in the next 30 days or overdue (audited as one list read)."""
    from langso.audit.log import record as audit

    scope = scope_for(request.user)
    commune = get_health_commune_or_404(scope, commune_code)
    today = dt.date.today()
    rows = queries.due_list(commune, today, limit=5000)
    status = request.GET.get("status", "")
    vaccine = request.GET.get("vaccine", "")
    counts = {"all": len(rows), "overdue": sum(1 for r in rows if r.status == "overdue")}
    counts["due"] = counts["all"] - counts["overdue"]
    if status in {"due", "overdue"}:
        rows = [r for r in rows if r.status == status]
    if vaccine:
        rows = [r for r in rows if r.dose.vaccine == vaccine]
    audit(request.user, "health.read", None, unit=commune, target_type="health.DueList", target_id=commune.code,
          data={"purpose": "due_list", "rows": len(rows)})
    return render(request, "health/due.html", {
        "commune": commune, "rows": rows[:500], "shown": len(rows), "today": today, "schedule": catalogue.epi_schedule(),
        "counts": counts, "status": status, "vaccine": vaccine, "vaccines": catalogue.vaccines(),
    })


@login_required
def outbreaks(request: HttpRequest, commune_code: str) -> HttpResponse:
    """Outbreaks (ổ dịch: dengue foci, group-A cases) and, apart, alerts (cảnh báo: a month's
    count above the mean of the same month over the previous years); open ones first."""
    commune = get_health_commune_or_404(scope_for(request.user), commune_code)
    rows = Outbreak.objects.filter(commune=commune).order_by(F("closed_on").desc(nulls_first=True), "-detected_on")
    return render(request, "health/outbreaks.html", {
        "commune": commune, "outbreaks": list(rows.exclude(alert_rule_q())), "alerts": list(rows.filter(alert_rule_q())),
        "alert_rules": [catalogue.outbreak_rules()[key] for key in catalogue.alert_rules()]})


@login_required
@require_POST
def outbreak_confirm(request: HttpRequest, commune_code: str, outbreak_id: int) -> HttpResponse:
    commune = get_health_commune_or_404(scope_for(request.user), commune_code)
    ob = Outbreak.objects.filter(commune=commune, pk=outbreak_id).first()
    if ob is None:
        from django.http import Http404

        raise Http404("Không tìm thấy / Not found")
    try:
        actions.confirm_outbreak(request.user, ob, on=dt.date.today())
    except RuleViolation as exc:
        messages.error(request, _message(exc))
    return redirect("health:outbreaks", commune.code)


@login_required
def epi_map(request: HttpRequest, commune_code: str) -> HttpResponse:
    """The epidemiological map of one commune for its health workers: boundaries, villages, case
    points, active foci (200 m), the public epidemic and safe-zone layers (maps layer catalogue)."""
    from langso.maps import catalogue as maps_catalogue
    from langso.maps.extents import commune_shapes
    from langso.maps.views import _map_config  # the maps app's config builder (no public name yet)

    commune = get_health_commune_or_404(scope_for(request.user), commune_code)
    shape = commune_shapes().get(commune.pk)
    extent = shape.bbox if shape and shape.bbox else None
    keys = ["communes", "villages", "health-safe-zones", "health-epidemic", "health-foci", "health-cases"]
    layers = [maps_catalogue.get_layer(k) for k in keys if maps_catalogue.get_layer(k) is not None]
    # no focus parameter: the maps endpoints resolve a focus with the officers' scope; the health
    # layers restrict themselves to the health scope
    config = _map_config(extent, layers, public=False, focus={})
    return render(request, "health/map.html", {"commune": commune, "config": config})


__all__ = ["record_edit", "epi_map", "home", "record", "record_create", "visit_new", "immunization_add", "due", "outbreaks", "outbreak_confirm",
           "OutbreakStatus"]
