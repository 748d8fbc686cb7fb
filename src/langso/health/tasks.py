"""Background work of the health app (Django 6 tasks; the worker is ``langso db_worker``).

``evaluate_outbreaks_task`` is the daily evaluation of the outbreak rules: enqueue it once a day
(cron: ``langso health_evaluate`` does the same synchronously) or after a batch of case reports.
Idempotent: re-running for the same date changes nothing.
"""

from __future__ import annotations

import datetime as dt

from django.tasks import task


def evaluate_all(as_of: dt.date, commune_codes: list[str] | None = None) -> dict[str, dict[str, int]]:
    """Evaluate every current commune with cases (or ``commune_codes``) at ``as_of``:
    ``{commune_code: {"detected": n, "closed": n, "active": n}}``."""
    from langso.territory.models import AdministrativeUnit

    from .actions import evaluate_outbreaks
    from .models import DiseaseCase

    communes = AdministrativeUnit.objects.current().communes()
    if commune_codes:
        communes = communes.filter(code__in=commune_codes)
    else:
        communes = communes.filter(pk__in=DiseaseCase.objects.values("commune_id"))
    return {c.code: evaluate_outbreaks(c, as_of) for c in communes.order_by("code")}


@task()
def evaluate_outbreaks_task(as_of: str | None = None, commune_codes: list[str] | None = None) -> dict:
    """The daily task: ``as_of`` ISO date (default today, Vietnam time). Returns the per-commune counts."""
    from django.utils import timezone

    return evaluate_all(dt.date.fromisoformat(as_of) if as_of else timezone.localdate(), commune_codes)
