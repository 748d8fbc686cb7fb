"""Criteria sets, commune classifications, assessments, their review and certification records.

Criteria sets are data (``criteria/data/sets/*.yaml``, loaded by :mod:`langso.criteria.catalogue`):
a set certifies one level of the ladder for a period (Decision 318/QĐ-TTg: new-rural commune and
advanced sets 2021–2025; Decision 319/QĐ-TTg: model commune; Decision 51/2025/QĐ-TTg: the
2026–2030 commune set), holds criteria, and each criterion its indicators with a threshold per
region (2021–2025, seven regions) or commune group (2026–2030, groups 1/2/3). ``verified`` flags
say whether a text or a figure was checked against the official text; the UI shows the others as
unconfirmed.

A commune's region or group is a :class:`CommuneClassification` row with its validity and
source (territory models are not touched). An :class:`Assessment` is one commune × set × year;
its :class:`AssessmentResult` rows hold every indicator's value, the threshold it was judged
against (a snapshot) and the status; :class:`Evidence` files back the values the commune typed;
:class:`ReviewStep` keeps every step of the approval. :class:`CertificationRecord` is a
recognition decision on a unit — legacy communes keep theirs; merged communes are assessed afresh.

Everything commune-owned carries ``commune`` and offers ``visible_to(scope)`` (accounts.access).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class CommuneOwnedQuerySet(models.QuerySet):
    def visible_to(self, scope) -> models.QuerySet:
        """Rows of communes the scope may read (see :mod:`langso.accounts.access`)."""
        return scope.filter(self)


class Level(models.TextChoices):
    """Recognition levels. The commune ladder is standard → advanced → model (2021–2025,
    Decisions 318 and 319/QĐ-TTg) and, from 2026, a pilot "modern" level (Decision 51/2025/QĐ-TTg,
    Annex II). Smart village and pilot smart commune are recognitions beside the ladder
    (province smart-village sets; Decision 924/QĐ-TTg)."""

    STANDARD = "standard", "Đạt chuẩn nông thôn mới / New-rural standard"
    ADVANCED = "advanced", "Nông thôn mới nâng cao / Advanced new-rural"
    MODEL = "model", "Nông thôn mới kiểu mẫu / Model new-rural"
    MODERN = "modern", "Nông thôn mới hiện đại (thí điểm) / Modern new-rural (pilot)"
    SMART_VILLAGE = "smart_village", "Thôn thông minh / Smart village"
    SMART_PILOT = "smart_pilot", "Xã thí điểm NTM thông minh / Pilot smart new-rural commune"


LADDER = [Level.STANDARD, Level.ADVANCED, Level.MODEL, Level.MODERN]


class Scope(models.TextChoices):
    COMMUNE = "commune", "Xã / Commune"
    VILLAGE = "village", "Thôn / Village"


class IndicatorKind(models.TextChoices):
    NUMERIC = "numeric", "Số / Number"
    BOOLEAN = "boolean", "Đạt / không đạt — Met / not met"


class CriteriaSet(models.Model):
    """One version of a criteria set file. ``classification`` names the scheme whose classes key
    the thresholds (``region-2021-2025``, ``group-2026-2030`` or ``""``); ``classes`` lists them
    (``[{key, name_vi, name_en, description}]``). ``declared_indicators`` is the count the legal
    text states (57, 75, 47 …); the file must hold exactly that many slots. ``allocation_verified``
    is false when the split of the slots among criteria was not checked against the text."""

    code = models.SlugField(max_length=64)
    version = models.CharField(max_length=32)
    name_vi = models.CharField(max_length=255)
    name_en = models.CharField(max_length=255)
    level = models.CharField(max_length=16, choices=Level.choices)
    requires_level = models.CharField(max_length=16, choices=Level.choices, blank=True, default="")
    period_start = models.PositiveSmallIntegerField()
    period_end = models.PositiveSmallIntegerField()
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.COMMUNE)
    classification = models.CharField(max_length=32, blank=True, default="")
    classes = models.JSONField(default=list)
    owner_province = models.ForeignKey("territory.AdministrativeUnit", null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="+")
    source = models.TextField()
    amended_by = models.TextField(blank=True, default="")
    declared_indicators = models.PositiveSmallIntegerField()
    allocation_verified = models.BooleanField(default=False)
    note_vi = models.TextField(blank=True, default="")
    note_en = models.TextField(blank=True, default="")
    file_sha256 = models.CharField(max_length=64)
    is_latest = models.BooleanField(default=True)
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-period_start", "code", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="criteria_set_unique_version"),
            models.CheckConstraint(condition=Q(period_start__lte=models.F("period_end")),
                                   name="criteria_set_period_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.name_vi} ({self.version})"

    def name(self, language: str) -> str:
        return self.name_en if language.startswith("en") else self.name_vi

    def covers(self, year: int) -> bool:
        return self.period_start <= year <= self.period_end

    def class_name(self, key: str, language: str = "vi") -> str:
        for item in self.classes:
            if item["key"] == key:
                return item["name_en"] if language.startswith("en") else item["name_vi"]
        return key


class Criterion(models.Model):
    """A criterion of a set (e.g. 8 Thông tin và Truyền thông)."""

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="criteria")
    number = models.CharField(max_length=8)
    name_vi = models.CharField(max_length=255)
    name_en = models.CharField(max_length=255)
    verified = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["criteria_set", "position"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "number"], name="criterion_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name_vi}"


class CriterionIndicator(models.Model):
    """One indicator slot of a criterion (e.g. 8.4).

    ``thresholds`` maps every class key of the set (or ``"all"``) to a number or ``None`` (not
    encoded: the province fills it in). ``kind`` boolean means met / not met. ``metric`` is an
    indicator-catalogue code (``PAY-ADULT`` …) when the value comes from the records; otherwise the
    commune enters it. ``derived`` (``{"set", "indicator", "factor"}``) makes the threshold a
    multiple of another set's threshold (Decision 319: income ≥ 1.1 × the advanced requirement).
    ``placeholder`` marks a slot whose content is not encoded yet. ``awaited_metric`` names a
    catalogue code not in the catalogue yet: once the catalogue has it, the indicator is computed from
    the records like ``metric``; until then the commune enters it.
    """

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="indicators")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(max_length=16)
    name_vi = models.TextField()
    name_en = models.TextField()
    verified = models.BooleanField(default=False)
    placeholder = models.BooleanField(default=False)
    kind = models.CharField(max_length=8, choices=IndicatorKind.choices)
    unit = models.CharField(max_length=24, blank=True, default="")
    comparison = models.CharField(max_length=2, blank=True, default="")
    thresholds = models.JSONField(default=dict)
    threshold_verified = models.BooleanField(default=False)
    threshold_basis_vi = models.TextField(blank=True, default="")
    threshold_basis_en = models.TextField(blank=True, default="")
    metric = models.CharField(max_length=32, blank=True, default="")
    awaited_metric = models.CharField(max_length=32, blank=True, default="")
    supporting = models.JSONField(default=list)
    derived = models.JSONField(null=True, blank=True)
    source = models.TextField()
    note_vi = models.TextField(blank=True, default="")
    note_en = models.TextField(blank=True, default="")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["criteria_set", "position"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "code"], name="criterion_indicator_unique_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name_vi[:60]}"

    def name(self, language: str) -> str:
        return self.name_en if language.startswith("en") else self.name_vi

    def effective_metric(self, available: set[str] | frozenset[str]) -> str:
        """The catalogue code that computes this indicator now: ``metric``, else ``awaited_metric``
        when ``available`` (the catalogue codes in the database) has it, else ``""``."""
        if self.metric:
            return self.metric
        return self.awaited_metric if self.awaited_metric in available else ""


class Scheme(models.TextChoices):
    REGION_2021 = "region-2021-2025", "Vùng (2021–2025) / Region (2021–2025)"
    GROUP_2026 = "group-2026-2030", "Nhóm xã (2026–2030) / Commune group (2026–2030)"


class CommuneClassification(models.Model):
    """A commune's region (Decision 318/QĐ-TTg: seven regions) or commune group (Decision
    51/2025/QĐ-TTg: group 1/2/3) from ``valid_from`` to ``valid_to`` (inclusive; open = ongoing),
    with the source of the decision. Legacy communes may carry one for history."""

    unit = models.ForeignKey("territory.AdministrativeUnit", on_delete=models.PROTECT, related_name="+")
    scheme = models.CharField(max_length=32, choices=Scheme.choices)
    value = models.CharField(max_length=16)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    source = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["unit", "scheme", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "scheme", "valid_from"], name="classification_unique_start"),
            models.CheckConstraint(condition=Q(valid_to__isnull=True) | Q(valid_from__lte=models.F("valid_to")),
                                   name="classification_period_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.scheme}={self.value} from {self.valid_from}"


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", "Đang tự đánh giá / Draft"
    SUBMITTED = "submitted", "Đã gửi tỉnh / Submitted"
    RETURNED = "returned", "Tỉnh trả lại / Returned"
    APPROVED = "approved", "Tỉnh đã duyệt / Approved"
    REOPENED = "reopened", "Mở lại chỉ tiêu / Indicator reopened"


class Assessment(models.Model):
    """A commune's assessment against one criteria set for one year.

    ``class_key`` is the region or group the thresholds were read for (a snapshot of the
    classification at the start); ``indicator_period`` the indicator-engine period the automatic
    values came from. ``village`` is set only for village-scope sets assessed for one village.
    An approved assessment is locked; the province may reopen single indicators.
    """

    commune = models.ForeignKey("territory.AdministrativeUnit", on_delete=models.PROTECT, related_name="+")
    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.PROTECT, related_name="assessments")
    year = models.PositiveSmallIntegerField()
    village = models.ForeignKey("territory.Village", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    class_key = models.CharField(max_length=16, blank=True, default="")
    status = models.CharField(max_length=10, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT,
                              db_index=True)
    indicator_period = models.CharField(max_length=8, blank=True, default="")
    indicator_as_of = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    objects = CommuneOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "criteria_set__level", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "criteria_set", "year"], condition=Q(village__isnull=True),
                                    name="assessment_unique_commune_year"),
            models.UniqueConstraint(fields=["commune", "criteria_set", "year", "village"],
                                    condition=Q(village__isnull=False), name="assessment_unique_village_year"),
        ]
        indexes = [models.Index(fields=["commune", "year"])]

    def __str__(self) -> str:
        return f"{self.commune} — {self.criteria_set.code} {self.year}"

    @property
    def is_locked(self) -> bool:
        return self.status == AssessmentStatus.APPROVED


class ResultStatus(models.TextChoices):
    MET = "met", "Đạt / Met"
    NOT_MET = "not_met", "Chưa đạt / Not met"
    PENDING = "pending", "Chờ số liệu / Pending"


class ResultSource(models.TextChoices):
    AUTOMATIC = "auto", "Tự động từ dữ liệu / From the records"
    ENTERED = "entered", "Xã nhập / Entered by the commune"


class AssessmentResult(models.Model):
    """One indicator of one assessment: the value (or met/not met), where it came from, the
    threshold it was judged against (snapshot: ``comparison``, ``threshold``, ``threshold_verified``)
    and the resulting ``status``; ``reason`` says why a result is pending (``no_value``,
    ``threshold_unset``, ``not_computed``, ``placeholder``). ``reopened`` marks an indicator of an
    approved assessment that the province opened again."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="results")
    indicator = models.ForeignKey(CriterionIndicator, on_delete=models.PROTECT, related_name="+")
    commune = models.ForeignKey("territory.AdministrativeUnit", on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=8, choices=ResultSource.choices)
    value = models.FloatField(null=True, blank=True)
    met_declared = models.BooleanField(null=True, blank=True)
    numerator = models.FloatField(null=True, blank=True)
    denominator = models.FloatField(null=True, blank=True)
    period = models.CharField(max_length=8, blank=True, default="")
    note = models.TextField(blank=True, default="")
    comparison = models.CharField(max_length=2, blank=True, default="")
    threshold = models.FloatField(null=True, blank=True)
    threshold_verified = models.BooleanField(default=False)
    status = models.CharField(max_length=8, choices=ResultStatus.choices, default=ResultStatus.PENDING)
    reason = models.CharField(max_length=16, blank=True, default="")
    reopened = models.BooleanField(default=False)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    objects = CommuneOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["assessment", "indicator__position"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "indicator"], name="result_unique_indicator"),
        ]


def evidence_path(instance: Evidence, filename: str) -> str:
    """``criteria/evidence/<province>/<commune>/<assessment id>/<random>.<ext>`` under MEDIA_ROOT;
    the stored name never reuses the uploaded one (kept in ``original_name``)."""
    import secrets
    from pathlib import PurePath

    ext = PurePath(filename).suffix.lower()
    commune = instance.commune
    return (f"criteria/evidence/{commune.province.code if commune.province_id else 'xx'}/{commune.code}/"
            f"{instance.result.assessment_id}/{secrets.token_hex(12)}{ext}")


class Evidence(models.Model):
    """An evidence file for an entered value (minutes, decisions, photos), stored under MEDIA_ROOT
    and served only through the access-checked view."""

    result = models.ForeignKey(AssessmentResult, on_delete=models.PROTECT, related_name="evidence")
    commune = models.ForeignKey("territory.AdministrativeUnit", on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to=evidence_path, max_length=255)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    description = models.CharField(max_length=255, blank=True, default="")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = CommuneOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at", "id"]


class StepKind(models.TextChoices):
    CREATED = "created", "Tạo bản tự đánh giá / Created"
    SUBMITTED = "submitted", "Xã gửi tỉnh / Submitted"
    COMMENTED = "commented", "Tỉnh góp ý / Province commented"
    RETURNED = "returned", "Tỉnh trả lại / Returned"
    APPROVED = "approved", "Tỉnh phê duyệt / Approved"
    REOPENED = "reopened", "Tỉnh mở lại chỉ tiêu / Indicator reopened"
    CHANGED = "changed", "Sửa chỉ tiêu đã mở lại / Reopened indicator changed"


class ReviewStep(models.Model):
    """One step of an assessment's review, kept for ever (who, when, what, which indicator)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="steps")
    commune = models.ForeignKey("territory.AdministrativeUnit", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=StepKind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    actor_name = models.CharField(max_length=150, blank=True, default="")
    at = models.DateTimeField()
    comment = models.TextField(blank=True, default="")
    indicator = models.ForeignKey(CriterionIndicator, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    data = models.JSONField(default=dict, blank=True)

    objects = CommuneOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]


class CertificationRecord(models.Model):
    """A recognition decision (level, decision number, date, issuing body) on a commune-level unit.

    Records on legacy communes (valid until 2025-06-30) are their history and stay on them; a
    current commune formed by the 2025 merger is recognised only on a fresh assessment of its own.
    """

    unit = models.ForeignKey("territory.AdministrativeUnit", on_delete=models.PROTECT, related_name="+")
    level = models.CharField(max_length=16, choices=Level.choices)
    year = models.PositiveSmallIntegerField()
    decision_number = models.CharField(max_length=64)
    decided_on = models.DateField()
    issuing_body = models.CharField(max_length=255)
    assessment = models.ForeignKey(Assessment, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True, default="")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "level", "decision_number"], name="certification_unique_decision"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.level} {self.decision_number}"
