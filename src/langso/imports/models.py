"""Import jobs and the column mappings communes save.

An :class:`ImportJob` is one uploaded file on its way into the register: uploaded → previewed
(header and mapping detected) → queued/running (progress 0–100) → done or failed. Its ``report``
holds the counts and every rejected row with its reasons (the Excel error report is rendered from
it). A :class:`ColumnMapping` is the commune's saved ``{field: header text}``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from langso.registry.models import CommuneOwnedQuerySet


class Status(models.TextChoices):
    UPLOADED = "uploaded", "Đã tải lên / Uploaded"
    QUEUED = "queued", "Đang chờ / Queued"
    RUNNING = "running", "Đang nhập / Running"
    DONE = "done", "Xong / Done"
    FAILED = "failed", "Không nhập / Failed"


class ImportJob(models.Model):
    """One file imported into one commune. ``progress`` is a percentage (0–100)."""

    commune = models.ForeignKey("territory.AdministrativeUnit", on_delete=models.PROTECT, related_name="import_jobs")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    file = models.FileField(upload_to="imports/%Y/%m/")
    original_name = models.CharField(max_length=255)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.UPLOADED)
    skip_bad_rows = models.BooleanField(default=False)
    mapping = models.JSONField(default=dict, blank=True)  # {field: column index}
    progress = models.PositiveSmallIntegerField(default=0)
    total_rows = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict, blank=True)

    objects = CommuneOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="import_progress_percent"),
        ]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"


class ColumnMapping(models.Model):
    """A commune's saved mapping ``{field: header text}`` (one per commune)."""

    commune = models.OneToOneField("territory.AdministrativeUnit", on_delete=models.CASCADE,
                                   related_name="import_mapping")
    mapping = models.JSONField(default=dict)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CommuneOwnedQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Mapping {self.commune_id}"
