"""The scheduler enqueues the nightly indicator computation and the daily outbreak evaluation."""

from __future__ import annotations

import datetime as dt

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from django.core.management import CommandError, call_command

from langso.indicators.models import ComputationRun
from langso.web.management.commands.scheduler import JOBS, build_scheduler


def test_default_jobs_run_in_vietnam_time(settings):
    scheduler = build_scheduler(scheduler_class=BackgroundScheduler)
    scheduler.start(paused=True)
    try:
        jobs = {job.id: job for job in scheduler.get_jobs()}
        assert set(jobs) == {"compute-indicators", "evaluate-outbreaks"}
        nxt = jobs["compute-indicators"].next_run_time
        assert (nxt.hour, nxt.minute, nxt.utcoffset()) == (2, 0, dt.timedelta(hours=7))
        assert jobs["evaluate-outbreaks"].next_run_time.strftime("%H:%M") == "01:30"
        assert all(job.coalesce and job.misfire_grace_time == 3600 for job in jobs.values())
    finally:
        scheduler.shutdown(wait=False)


def test_empty_expression_switches_a_job_off():
    scheduler = build_scheduler({"compute-indicators": "", "evaluate-outbreaks": "15 3 * * 1"},
                                scheduler_class=BackgroundScheduler)
    assert [job.id for job in scheduler.get_jobs()] == ["evaluate-outbreaks"]


@pytest.mark.parametrize("schedule, message", [
    ({"compute-indicators": "61 2 * * *"}, "LANGSO_SCHEDULE_COMPUTE"),
    ({"evaluate-outbreaks": "every night"}, "LANGSO_SCHEDULE_OUTBREAKS"),
    ({"backup": "0 3 * * *"}, "unknown scheduled job 'backup'"),
])
def test_bad_schedule_is_refused_naming_the_variable(schedule, message):
    with pytest.raises(CommandError) as caught:
        build_scheduler(schedule, scheduler_class=BackgroundScheduler)
    assert message in str(caught.value)


def test_list_prints_the_next_runs(settings, capsys):
    settings.LANGSO_SCHEDULE = {"compute-indicators": "0 2 * * *", "evaluate-outbreaks": ""}
    call_command("scheduler", "--list")
    out = capsys.readouterr().out
    assert "compute-indicators" in out and "02:00 +07" in out and "evaluate-outbreaks" not in out


def test_jobs_enqueue_the_tasks(db, territory):
    # Test settings run tasks immediately: the compute job computes, the outbreak job evaluates.
    JOBS["compute-indicators"]()
    assert ComputationRun.objects.count() == 1
    JOBS["evaluate-outbreaks"]()  # no case anywhere: nothing to evaluate, and no error
