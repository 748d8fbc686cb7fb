"""Background work of the import app (Django 6 tasks; the worker is ``langso db_worker``)."""

from __future__ import annotations

from django.tasks import task

from .models import ImportJob, Status


@task()
def run_import_job(job_id: int) -> str:
    """Run the queued :class:`ImportJob` ``job_id``; idempotent: a job not queued is left alone.

    Returns the job's final status.
    """
    from .actions import run_job

    job = ImportJob.objects.filter(pk=job_id, status=Status.QUEUED).select_related("commune", "created_by").first()
    if job is None:
        return "skipped"
    return run_job(job).status
