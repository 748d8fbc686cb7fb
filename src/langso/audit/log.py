"""Writing audit entries. Actions call :func:`record` inside their transaction."""

from __future__ import annotations

from typing import Any

from django.db import models

from .models import AuditEntry


def record(
    actor: Any,
    action: str,
    target: models.Model | None = None,
    *,
    unit: Any = None,
    target_type: str = "",
    target_id: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Write one audit entry and return it.

    ``actor`` is a user or ``None`` (system jobs); ``target`` a model instance, or give
    ``target_type``/``target_id`` for batch operations. ``data`` must be JSON-serialisable.
    """
    if target is not None:
        target_type = target_type or target._meta.label
        target_id = target_id or str(target.pk)
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=user,
        action=action,
        target_type=target_type,
        target_id=target_id,
        unit=unit,
        data=data or {},
    )
