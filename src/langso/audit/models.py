"""The audit log: who did what to which record, when (Law 91/2025/QH15 on personal data
protection requires a trace of processing; health reads are logged too)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditEntryQuerySet(models.QuerySet):
    def visible_to(self, scope) -> models.QuerySet:
        """Entries about communes the scope reads or provinces it opens (superusers: all)."""
        return scope.filter_units(self)


class AuditEntry(models.Model):
    """One write (or sensitive read). ``unit`` is the commune (or province) whose data it touched,
    so the log is scoped and partitioned like the data."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=64, db_index=True)
    target_type = models.CharField(max_length=64)
    target_id = models.CharField(max_length=64, blank=True, default="")
    unit = models.ForeignKey(
        "territory.AdministrativeUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_type}#{self.target_id}"
