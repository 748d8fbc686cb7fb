"""Memberships: which user holds which role in which administrative unit.

Per-organisation roles are rows, not settings or Django groups, so a province can grant and
revoke them without a deploy. Scope decisions are made only in :mod:`langso.accounts.access`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Role(models.TextChoices):
    """Roles of the platform (see docs/access.md)."""

    PROVINCE_OFFICER = "province_officer", "Cán bộ Văn phòng Điều phối NTM tỉnh / Province officer"
    COMMUNE_OFFICER = "commune_officer", "Cán bộ UBND xã / Commune officer"
    HEALTH_WORKER = "health_worker", "Nhân viên trạm y tế xã / Commune health worker"


ROLE_LEVEL = {Role.PROVINCE_OFFICER: "province", Role.COMMUNE_OFFICER: "commune", Role.HEALTH_WORKER: "commune"}


class Membership(models.Model):
    """A user's role in one unit: a province officer in a province, a commune officer in a commune."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey("territory.AdministrativeUnit", on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=32, choices=Role.choices)
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.unit}"
