"""Demo health data: personal health records for the demo residents, EPI doses for the children,
a few visits, a health-worker login per commune (``yte.<code>``) and a dengue season in the
reference commune Vĩnh Phú (09154) with one closed and one active focus. Reproducible from ``seed``.

Records are bulk-created (one audit entry per commune for the batch, actor ``None``: a system
job); the dengue cases go through :func:`actions.report_case` and the outbreaks through the daily
evaluation, replayed day by day over the season so detection and closure dates are real.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

from langso.audit.log import record as audit
from langso.registry.models import Household, Resident
from langso.territory.models import AdministrativeUnit

from . import actions, catalogue
from .models import Consent, DiseaseCase, Encounter, HealthRecord, Immunization, Outbreak
from .surveillance import haversine_m

REFERENCE_COMMUNE = "09154"
DEMO_PASSWORD = "langso-demo"
RECORD_SHARE = 0.97  # Vĩnh Phú reports ~100 %; the others a little less
INSURED_SHARE = 0.93
DOSE_SHARE = 0.95
BATCH = 2000


def _insurance(rng: random.Random, commune_code: str) -> str:
    """A made-up 15-character BHYT code: 2 letters (beneficiary group), 1 digit, province 25, 10 digits."""
    return rng.choice(["GD", "HT", "TE", "HN", "DN", "BT"]) + str(rng.randint(1, 5)) + "25" + f"{rng.randrange(10**10):010d}"


def _records(rng: random.Random, commune: AdministrativeUnit, today: dt.date) -> int:
    share = 1.0 if commune.code == REFERENCE_COMMUNE else RECORD_SHARE
    have = set(HealthRecord.objects.filter(commune=commune).values_list("resident_id", flat=True))
    rows = []
    for pk, born in Resident.objects.filter(commune=commune).living_here().order_by("pk").values_list("pk", "date_of_birth"):
        if pk in have or rng.random() > share:
            continue
        insured = rng.random() < INSURED_SHARE or (today - born).days < 6 * 365  # children under 6 are insured by law
        rows.append(HealthRecord(
            resident_id=pk, commune=commune, opened_on=max(born, dt.date(2024, 1, 1)),
            insurance_number=_insurance(rng, commune.code) if insured else "",
            insurance_valid_to=dt.date(today.year, 12, 31) if insured else None,
            smoking=rng.random() < 0.18, alcohol=rng.random() < 0.12, physical_inactivity=rng.random() < 0.2,
            family_history=rng.choice(["", "", "", "Tăng huyết áp", "Đái tháo đường type 2"]),
        ))
    HealthRecord.objects.bulk_create(rows, batch_size=BATCH)
    # consent to primary care recorded when the record was opened (Law 91/2025/QH15)
    Consent.objects.bulk_create([Consent(resident_id=r.resident_id, commune=commune, purpose="primary_care",
                                         given_on=r.opened_on, note="DEMO") for r in rows],
                                batch_size=BATCH, ignore_conflicts=True)
    return len(rows)


def _immunizations(rng: random.Random, commune: AdministrativeUnit, today: dt.date) -> int:
    doses = catalogue.doses()
    children = HealthRecord.objects.filter(commune=commune, resident__date_of_birth__gt=today - dt.timedelta(days=6 * 365),
                                           immunizations__isnull=True).values_list("pk", "resident__date_of_birth")
    rows = []
    for rec_id, born in children:
        for dose in doses:
            due = dose.due_on(born)
            if due > today or rng.random() > DOSE_SHARE:
                continue
            delay = 0 if dose.overdue_after_days <= 1 else rng.choice([0, 0, 1, 3, 7, 14])
            given = min(today, due + dt.timedelta(days=delay))
            rows.append(Immunization(record_id=rec_id, commune=commune, vaccine=dose.vaccine, dose=dose.dose,
                                     given_on=given, lot_number=f"DEMO{rng.randint(100, 999)}"))
    Immunization.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)
    return len(rows)


def _visits(rng: random.Random, commune: AdministrativeUnit, today: dt.date, n: int = 40) -> int:
    recs = list(HealthRecord.objects.filter(commune=commune, resident__date_of_birth__lt=today - dt.timedelta(days=18 * 365))
                .select_related("resident", "resident__household").order_by("pk")[:n * 3])
    made = 0
    for rec in rng.sample(recs, min(n, len(recs))):
        hypertensive = rng.random() < 0.3
        code = "I10" if hypertensive else rng.choice(["J069", "K297", "M545", "E119", "J00"])
        actions.add_encounter(
            None, rec, date=today - dt.timedelta(days=rng.randint(1, 120)), reason="Khám sức khỏe định kỳ",
            diagnoses=[code], systolic=rng.randint(145, 170) if hypertensive else rng.randint(105, 135),
            diastolic=rng.randint(90, 105) if hypertensive else rng.randint(65, 85), pulse=rng.randint(62, 96),
            temperature=f"{rng.uniform(36.2, 37.2):.1f}", weight_kg=f"{rng.uniform(45, 72):.1f}",
            height_cm=f"{rng.uniform(148, 172):.1f}", glucose_mmol=f"{rng.uniform(4.5, 8.5):.1f}")
        made += 1
    return made


def _near(households: list[tuple[int, float, float, int | None]], centre: tuple[int, float, float, int | None],
          radius_m: float, k: int, used: set[int]) -> list[int]:
    out = [centre[0]]
    for pk, lat, lon, village in sorted(households, key=lambda h: haversine_m(centre[1], centre[2], h[1], h[2])):
        if len(out) >= k:
            break
        if (pk != centre[0] and pk not in used and village == centre[3]
                and haversine_m(centre[1], centre[2], lat, lon) <= radius_m):
            out.append(pk)
    return out


def _dengue_season(rng: random.Random, commune: AdministrativeUnit, today: dt.date) -> dict[str, int]:
    """Two clusters (households of one village within 150 m of a seed): one 8 weeks ago (closed), one
    in the last 12 days (active); sporadic cases; and the same month of the 3 previous years as history, so the
    monthly rule compares against a real baseline."""
    if DiseaseCase.objects.filter(commune=commune, disease="dengue").exists():
        return {"cases": 0}
    located = list(Household.objects.filter(commune=commune, dissolved_on__isnull=True, latitude__isnull=False)
                   .order_by("pk").values_list("pk", "latitude", "longitude", "village_id"))
    if len(located) < 50:
        return {"cases": 0}
    used: set[int] = set()
    plan: list[tuple[int, dt.date]] = []
    for start_days, k in [(62, 4), (12, 7)]:  # one village each, so the public map shows the active one
        for _ in range(30):
            seed = rng.choice(located)
            cluster = _near(located, seed, 150, k, used)
            if len(cluster) == k:
                break
        used.update(cluster)
        for i, pk in enumerate(cluster):
            plan.append((pk, today - dt.timedelta(days=start_days - min(i * 2, start_days - 1))))
    for _ in range(5):  # sporadic, far apart in time
        hh = rng.choice(located)
        if hh[0] not in used:
            used.add(hh[0])
            plan.append((hh[0], today - dt.timedelta(days=rng.choice([95, 80, 40, 33]))))
    for years_back in (1, 2, 3):  # history of the season's months for the monthly rule's baseline
        for months_back in range(4):
            month_start = (today.replace(day=1) - dt.timedelta(days=30 * months_back)).replace(day=1)
            for _ in range(rng.randint(6, 10)):
                hh = rng.choice(located)
                plan.append((hh[0], month_start.replace(year=month_start.year - years_back, day=rng.randint(1, 28))))
    heads = dict(Resident.objects.filter(household_id__in=[p for p, _ in plan]).living_here()
                 .order_by("household_id", "pk").values_list("household_id", "pk"))
    residents = {r.pk: r for r in Resident.objects.filter(pk__in=heads.values()).select_related("household")}
    made = 0
    for hh_id, onset in sorted(plan, key=lambda p: p[1]):
        person = residents.get(heads.get(hh_id))
        if person is None:
            continue
        actions.report_case(None, person, disease="dengue", onset_on=onset, reported_on=onset + dt.timedelta(days=1),
                            status="confirmed" if rng.random() < 0.6 else "suspected", icd10="A970")
        made += 1
    # The daily task, replayed on the days where its answer can change: each onset, each onset +
    # the closure period, each month's first day, and today (same result as every day, fewer runs).
    start = today - dt.timedelta(days=100)
    closure = dt.timedelta(days=int(catalogue.outbreak_rules()["dengue_focus"]["closure_days"]))
    onsets = {o for _, o in plan if start <= o <= today}
    days = onsets | {o + closure for o in onsets} | {today}
    days |= {d for d in (start + dt.timedelta(days=i) for i in range(101)) if d.day == 1}
    for day in sorted(d for d in days if start <= d <= today):
        actions.evaluate_outbreaks(commune, day)
    return {"cases": made}


def _health_worker(commune: AdministrativeUnit) -> None:
    from langso.accounts.actions import ensure_user, grant_membership
    from langso.accounts.models import Role

    user = ensure_user(None, f"yte.{commune.code}", DEMO_PASSWORD,
                       full_name=f"Trạm y tế {commune.full_name} / health worker")
    grant_membership(None, user, commune, Role.HEALTH_WORKER)


def issue_demo_health(seed: int, commune_codes: list[str], today: dt.date | None = None) -> str:
    """Create the demo health data for ``commune_codes``. Existing records are kept (a second run
    only opens records for residents still without one); the dengue season is made once.
    Returns a one-line summary for ``langso demo``."""
    rng = random.Random(seed * 7919 + 31)
    today = today or dt.date.today()
    totals = {"records": 0, "doses": 0, "visits": 0, "cases": 0}
    communes = AdministrativeUnit.objects.current().communes().filter(code__in=commune_codes).order_by("code")
    for commune in communes:
        with transaction.atomic():
            _health_worker(commune)
            n = _records(rng, commune, today)
            totals["records"] += n
            totals["doses"] += _immunizations(rng, commune, today)
            if n:
                totals["visits"] += _visits(rng, commune, today)
                audit(None, "health.demo", None, unit=commune, target_type="health.HealthRecord",
                      target_id=commune.code, data={"records": n})
            if commune.code == REFERENCE_COMMUNE:
                totals["cases"] += _dengue_season(rng, commune, today)["cases"]
    foci = Outbreak.objects.filter(commune__code__in=commune_codes, rule="dengue_focus")
    return (f"{totals['records']} hồ sơ / records, {totals['doses']} mũi tiêm / doses, {totals['visits']} lần khám / "
            f"visits, {totals['cases']} ca SXH / dengue cases, ổ dịch / foci: "
            f"{foci.filter(closed_on__isnull=True).count()} active, {foci.filter(closed_on__isnull=False).count()} closed"
            f" — logins yte.<code>")


__all__ = ["issue_demo_health", "Encounter"]
