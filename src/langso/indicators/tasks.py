"""Background work of the indicators (Django 6 tasks; the worker is ``langso db_worker``).

``compute_indicators_task`` recomputes every indicator (:func:`langso.indicators.engine.compute`);
``langso scheduler`` enqueues it every night so that dashboards show yesterday's records.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict

from django.tasks import task


@task()
def compute_indicators_task(as_of: str | None = None) -> dict:
    """Recompute every indicator at ``as_of`` (ISO date; default today, Vietnam time). Returns the
    :class:`~langso.indicators.engine.ComputationResult` as a dict (dates as ISO strings)."""
    from .engine import compute

    result = asdict(compute(as_of=dt.date.fromisoformat(as_of) if as_of else None))
    result["as_of"] = result["as_of"].isoformat()
    return result
