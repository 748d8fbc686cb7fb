"""The demo generator: services, a released survey with responses from demo households, an open
survey in the first commune, feedback in every state; codes cannot be reused; re-running adds nothing."""

from __future__ import annotations

import pytest
from django.utils import timezone

from langso.lib.errors import RuleViolation
from langso.participation import actions, results
from langso.participation.demo import issue_demo_participation
from langso.participation.models import Feedback, OnlineService, Response, SurveyCode, SurveyRun

from .conftest import make_households


def test_demo_participation(territory, users):
    make_households(territory["a"], territory["va"], 40)
    make_households(territory["c"], None, 20, start=100)
    totals = issue_demo_participation(7, ["09154", "09157"])
    assert totals["runs"] == 3 and totals["codes"] == 100 and totals["feedback"] == 18
    assert totals["responses"] == Response.objects.count() >= 20
    assert OnlineService.objects.filter(builtin_key="participation.feedback").count() == 2
    today = timezone.localdate()
    closed = SurveyRun.objects.filter(commune=territory["a"], closes_on__lt=today).get()
    summary = results.summary(closed, today)
    assert summary.released and summary.index is not None and 0 < summary.response_rate <= 70
    assert SurveyRun.objects.filter(commune=territory["a"], closes_on__gte=today).count() == 1
    assert Feedback.objects.filter(answered_on__isnull=False).exists()
    assert Feedback.objects.filter(answered_on__isnull=True).exists()
    open_run = SurveyRun.objects.get(commune=territory["a"], closes_on__gte=today)
    used = SurveyCode.objects.filter(run=open_run, used=True).values_list("code", flat=True).first()
    if used:
        with pytest.raises(RuleViolation):
            actions.submit_response(open_run, code=used, answers={"roads": "5"}, today=today)
    assert issue_demo_participation(7, ["09154", "09157"]) == dict.fromkeys(totals, 0)
