"""``langso scheduler``: enqueue the platform's recurring jobs at their times (APScheduler).

Jobs (``settings.LANGSO_SCHEDULE``, crontab expressions in Vietnam time, env
``LANGSO_SCHEDULE_COMPUTE`` / ``LANGSO_SCHEDULE_OUTBREAKS``; empty switches a job off):

- ``compute-indicators`` (default ``0 2 * * *``): every indicator recomputed from the records
  (:func:`langso.indicators.tasks.compute_indicators_task`), so dashboards show yesterday's work;
- ``evaluate-outbreaks`` (default ``30 1 * * *``): the daily evaluation of the outbreak rules
  (:func:`langso.health.tasks.evaluate_outbreaks_task`; docs/health.md).

The scheduler only *enqueues*; the task worker (``langso db_worker``) does the work, so a long
computation never blocks the schedule, and a missed time (server down) runs once when the
scheduler is back within an hour (``misfire_grace_time``), never several times (``coalesce``).
Run ONE scheduler per installation (``langso serve`` starts one; ``--no-scheduler`` to skip).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

ENV_NAMES = {"compute-indicators": "LANGSO_SCHEDULE_COMPUTE", "evaluate-outbreaks": "LANGSO_SCHEDULE_OUTBREAKS"}


def _enqueue_compute() -> None:
    from langso.indicators.tasks import compute_indicators_task

    compute_indicators_task.enqueue()


def _enqueue_outbreaks() -> None:
    from langso.health.tasks import evaluate_outbreaks_task

    evaluate_outbreaks_task.enqueue()


JOBS: dict[str, Callable[[], None]] = {"compute-indicators": _enqueue_compute, "evaluate-outbreaks": _enqueue_outbreaks}


def build_scheduler(schedule: dict[str, str] | None = None, scheduler_class: type = BlockingScheduler) -> Any:
    """A scheduler holding every job of ``schedule`` (default ``settings.LANGSO_SCHEDULE``) whose
    expression is not empty, in ``settings.TIME_ZONE``. Raises ``CommandError`` naming the
    environment variable for an unknown job or an expression that is not a 5-field crontab."""
    schedule = settings.LANGSO_SCHEDULE if schedule is None else schedule
    scheduler = scheduler_class(timezone=settings.TIME_ZONE)
    for name, expression in schedule.items():
        if name not in JOBS:
            raise CommandError(f"Không có việc định kỳ '{name}' / unknown scheduled job '{name}' ({', '.join(JOBS)})")
        if not expression.strip():
            continue
        variable = ENV_NAMES.get(name, name)
        try:
            trigger = CronTrigger.from_crontab(expression.strip(), timezone=settings.TIME_ZONE)
        except ValueError as exc:
            raise CommandError(
                f"{variable}: biểu thức lịch '{expression}' không hợp lệ (5 trường crontab, ví dụ '0 2 * * *') — "
                f"'{expression}' is not a 5-field crontab expression (e.g. '0 2 * * *'): {exc}"
            ) from None
        scheduler.add_job(JOBS[name], trigger, id=name, name=name, coalesce=True, misfire_grace_time=3600,
                          max_instances=1, replace_existing=True)
    return scheduler


class Command(BaseCommand):
    help = "Lên lịch các việc định kỳ (tính chỉ tiêu, đánh giá ổ dịch) / enqueue the recurring jobs at their times."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--list", action="store_true", help="print the jobs and their next run, then exit")

    def handle(self, *args: Any, **options: Any) -> None:
        scheduler = build_scheduler()
        jobs = scheduler.get_jobs()
        if not jobs:
            self.stdout.write("Không có việc định kỳ nào / no scheduled job (all switched off)")
            return
        if options["list"]:
            from apscheduler.schedulers.background import BackgroundScheduler

            preview = build_scheduler(scheduler_class=BackgroundScheduler)
            preview.start(paused=True)
            for job in preview.get_jobs():
                self.stdout.write(f"{job.id}: {job.trigger} → {job.next_run_time:%Y-%m-%d %H:%M %Z}")
            preview.shutdown(wait=False)
            return
        for job in jobs:
            self.stdout.write(f"{job.id}: {job.trigger}")
        scheduler.start()
