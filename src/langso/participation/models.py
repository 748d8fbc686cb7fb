"""Online essential services, satisfaction surveys and citizen feedback of a commune.

Decision 924/QĐ-TTg (2 Aug 2022), target SOC-1: units provide at least one essential service on a
digital platform (health, education, community monitoring, security and order, environment,
culture) and collect residents' satisfaction with new-rural results through an online application.

Anonymity of survey answers (docs/participation.md): a :class:`SurveyCode` ties a one-time code to
a household and records only *whether* it was used — never when, never which response. A
:class:`Response` has no link to the code or the household, a random UUID key (no arrival order)
and only the day it was submitted.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from langso.registry.models import CommuneOwnedQuerySet


class ServiceField(models.TextChoices):
    """The six fields of essential services named by Decision 924/QĐ-TTg, target SOC-1."""

    HEALTH = "health", "Y tế / Health"
    EDUCATION = "education", "Giáo dục / Education"
    COMMUNITY_MONITORING = "community_monitoring", "Giám sát cộng đồng / Community monitoring"
    SECURITY_ORDER = "security_order", "An ninh, trật tự / Security and order"
    ENVIRONMENT = "environment", "Môi trường / Environment"
    CULTURE = "culture", "Văn hóa / Culture"


class OnlineService(models.Model):
    """An essential service a commune offers online, from ``available_since`` until ``withdrawn_on``.

    Either an external ``url`` or a ``builtin_key`` naming a service registered by an app of
    Làng số (:mod:`langso.participation.builtins`), never both. A commune has at most one active
    entry per built-in service.
    """

    commune = models.ForeignKey("territory.AdministrativeUnit", on_delete=models.PROTECT,
                                related_name="online_services")
    field = models.CharField(max_length=24, choices=ServiceField.choices)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True, default="")
    url = models.URLField(max_length=500, blank=True, default="")
    builtin_key = models.CharField(max_length=80, blank=True, default="")
    available_since = models.DateField()
    withdrawn_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CommuneOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["commune", "field", "name"]
        indexes = [models.Index(fields=["commune", "available_since"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(url="") & ~Q(builtin_key="")) | (~Q(url="") & Q(builtin_key="")),
                name="online_service_url_xor_builtin",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=models.F("available_since")),
                name="online_service_withdrawn_after_start",
            ),
            models.UniqueConstraint(
                fields=["commune", "builtin_key"], condition=~Q(builtin_key="") & Q(withdrawn_on__isnull=True),
                name="online_service_one_active_builtin",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_builtin(self) -> bool:
        return bool(self.builtin_key)


class SurveyKind(models.TextChoices):
    SATISFACTION = "satisfaction", "Sự hài lòng với kết quả xây dựng NTM / Satisfaction with new-rural results"
    OTHER = "other", "Khảo sát khác / Other survey"


class SurveyRun(models.Model):
    """A commune running one survey definition from ``opens_on`` to ``closes_on`` (both inclusive).

    ``definition`` is a snapshot of the YAML definition (:mod:`langso.participation.definitions`)
    taken when the run was created, so editing the shipped file never changes a running survey.
    """

    commune = models.ForeignKey("territory.AdministrativeUnit", on_delete=models.PROTECT,
                                related_name="survey_runs")
    survey_code = models.CharField(max_length=60)
    survey_version = models.PositiveIntegerField(default=1)
    kind = models.CharField(max_length=16, choices=SurveyKind.choices)
    title_vi = models.CharField(max_length=200)
    title_en = models.CharField(max_length=200)
    definition = models.JSONField()
    opens_on = models.DateField()
    closes_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    objects = CommuneOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["commune", "-opens_on", "-id"]
        indexes = [models.Index(fields=["commune", "opens_on"])]
        constraints = [
            models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")), name="survey_run_dates_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.title_vi} ({self.opens_on:%d/%m/%Y}–{self.closes_on:%d/%m/%Y})"

    def is_open(self, today) -> bool:
        return self.opens_on <= today <= self.closes_on

    def is_closed(self, today) -> bool:
        return today > self.closes_on


class SurveyCode(models.Model):
    """A household's one-time code for one survey run.

    ``used`` flips once, by a conditional UPDATE (``WHERE used = false``) in the same transaction
    that stores the response: two submissions with one code can never both succeed. Nothing here
    says when the code was used or which response it gave.
    """

    run = models.ForeignKey(SurveyRun, on_delete=models.PROTECT, related_name="codes")
    commune = models.ForeignKey("territory.AdministrativeUnit", on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="survey_codes")
    village = models.ForeignKey("territory.Village", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    code = models.CharField(max_length=12, unique=True)
    used = models.BooleanField(default=False)

    objects = CommuneOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["run", "village", "household"]
        indexes = [models.Index(fields=["run", "village"])]
        constraints = [
            models.UniqueConstraint(fields=["run", "household"], name="survey_code_one_per_household"),
        ]

    def __str__(self) -> str:
        return self.code


class Response(models.Model):
    """One household's answers to a run, with no link to the household or its code.

    Random primary key (no arrival order) and the day only (no time of day).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    run = models.ForeignKey(SurveyRun, on_delete=models.PROTECT, related_name="responses")
    commune = models.ForeignKey("territory.AdministrativeUnit", on_delete=models.PROTECT, related_name="+")
    submitted_on = models.DateField()

    objects = CommuneOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["run", "id"]
        indexes = [models.Index(fields=["commune", "submitted_on"])]


class Answer(models.Model):
    """One answer of a response: a scale point (``value``) or free ``text``.

    ``satisfied`` is true/false for a scale answer (the scale's ``satisfied`` points, set at
    submission) and null for free text or "don't know". ``commune``, ``run`` and ``submitted_on``
    are copied from the response so aggregation never needs a join.
    """

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    run = models.ForeignKey(SurveyRun, on_delete=models.PROTECT, related_name="+")
    commune = models.ForeignKey("territory.AdministrativeUnit", on_delete=models.PROTECT, related_name="+")
    question = models.CharField(max_length=40)
    value = models.SmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True, default="")
    satisfied = models.BooleanField(null=True, blank=True)
    submitted_on = models.DateField()

    objects = CommuneOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["run", "question", "id"]
        indexes = [
            models.Index(fields=["run", "question"]),
            models.Index(fields=["commune", "submitted_on"]),
        ]


class FeedbackCategory(models.TextChoices):
    INFRASTRUCTURE = "infrastructure", "Đường sá, điện, nước, hạ tầng / Roads, power, water, infrastructure"
    ENVIRONMENT = "environment", "Môi trường, rác thải / Environment, waste"
    SECURITY_ORDER = "security_order", "An ninh, trật tự / Security and order"
    ADMINISTRATION = "administration", "Thủ tục hành chính / Administrative procedures"
    HEALTH = "health", "Y tế / Health"
    EDUCATION = "education", "Giáo dục / Education"
    CULTURE = "culture", "Văn hóa, thể thao / Culture, sport"
    OTHER = "other", "Khác / Other"


class FeedbackStatus(models.TextChoices):
    RECEIVED = "received", "Đã tiếp nhận / Received"
    IN_PROGRESS = "in_progress", "Đang xử lý / In progress"
    ANSWERED = "answered", "Đã trả lời / Answered"
    CLOSED = "closed", "Đã đóng / Closed"


class FeedbackQuerySet(CommuneOwnedQuerySet):
    def overdue(self, today) -> FeedbackQuerySet:
        """Not yet answered and past the deadline on ``today``."""
        return self.filter(answered_on__isnull=True, deadline_on__lt=today).exclude(status=FeedbackStatus.CLOSED)


class Feedback(models.Model):
    """A resident's report or petition (phản ánh, kiến nghị), sent without an account.

    ``tracking_code`` is the resident's only handle; ``contact_*`` are optional and never public.
    ``deadline_on`` comes from the rule in ``data/feedback_deadlines.yaml`` named by
    ``deadline_rule`` (:mod:`langso.participation.deadlines`). The photo is re-encoded without
    metadata (:mod:`langso.participation.photos`). Location in WGS84 decimal degrees.
    """

    commune = models.ForeignKey("territory.AdministrativeUnit", on_delete=models.PROTECT, related_name="feedback")
    tracking_code = models.CharField(max_length=12, unique=True)
    category = models.CharField(max_length=20, choices=FeedbackCategory.choices)
    description = models.TextField()
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    photo = models.BinaryField(null=True, blank=True)
    contact_name = models.CharField(max_length=100, blank=True, default="")
    contact_phone = models.CharField(max_length=15, blank=True, default="")
    received_at = models.DateTimeField()
    received_on = models.DateField()
    deadline_on = models.DateField()
    deadline_rule = models.CharField(max_length=60)
    status = models.CharField(max_length=12, choices=FeedbackStatus.choices, default=FeedbackStatus.RECEIVED)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    answer = models.TextField(blank=True, default="")
    answered_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        ordering = ["commune", "-received_at"]
        indexes = [
            models.Index(fields=["commune", "status"]),
            models.Index(fields=["commune", "received_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True) & Q(longitude__isnull=True))
                | Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="feedback_coordinates_valid",
            ),
            models.CheckConstraint(condition=Q(deadline_on__gte=models.F("received_on")),
                                   name="feedback_deadline_after_receipt"),
            models.CheckConstraint(
                condition=Q(answered_on__isnull=True) | (~Q(answer="") & Q(answered_on__gte=models.F("received_on"))),
                name="feedback_answer_with_text",
            ),
        ]

    def __str__(self) -> str:
        return self.tracking_code

    def is_overdue(self, today) -> bool:
        """Unanswered past its deadline, or answered after it."""
        if self.answered_on is not None:
            return self.answered_on > self.deadline_on
        return self.status != FeedbackStatus.CLOSED and today > self.deadline_on

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None
