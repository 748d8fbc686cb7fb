"""Reads other apps may call (no scope needed: they return only what their caller already holds)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from .models import SurveyRun


def open_run_for(commune: Any, today: dt.date | None = None, *, survey_code: str | None = None) -> SurveyRun | None:
    """The commune's survey run open on ``today`` (the latest opened if several), or ``None``.

    For printing codes on address cards: ``codes_for_households(actor, open_run_for(commune), ids)``.
    """
    today = today or timezone.localdate()
    runs = SurveyRun.objects.filter(commune=commune, opens_on__lte=today, closes_on__gte=today)
    if survey_code:
        runs = runs.filter(survey_code=survey_code)
    return runs.order_by("-opens_on", "-id").first()
