"""The contract between domain apps and the indicator engine.

Each domain app may declare, in its ``metrics.py``, a module-level ``METRICS`` list of
:class:`Metric`. A metric counts rows of one model per commune, at a date: the engine turns
all metrics of the same model into ONE SQL ``GROUP BY commune`` query with one
``COUNT(*) FILTER (WHERE …)`` column per metric (a ``CASE`` expression on SQLite). Nothing ever
loops over households in Python. Domain apps import this module, never ``langso.indicators``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Model, Q


@dataclass(frozen=True)
class MetricContext:
    """What a metric may depend on: the day records are counted at (inclusive)."""

    as_of: dt.date

    def years_ago(self, years: int) -> dt.date:
        """The date ``years`` before ``as_of`` (29 February falls back to 28 February)."""
        try:
            return self.as_of.replace(year=self.as_of.year - years)
        except ValueError:
            return self.as_of.replace(year=self.as_of.year - years, day=28)


@dataclass(frozen=True)
class Metric:
    """A count of ``model`` rows per commune that satisfy ``condition(context)``.

    ``code`` is ``<app>.<name>`` and is what indicator definitions refer to; ``commune_field``
    the column holding the commune (a foreign key to ``territory.AdministrativeUnit``).

    ``village_field`` is the relation path from the row to its village (``"village"``,
    ``"household__village"``…), or ``""`` when the row has none. It places rows of a commune
    formed in 2025 from communes of several former districts in the former district of their
    village (``Village.legacy_commune``), for the history roll-up by former district
    (:mod:`langso.indicators.legacy`). Rows without it stay unplaced there.
    """

    code: str
    name_vi: str
    name_en: str
    model: type[Model]
    condition: Callable[[MetricContext], Q]
    commune_field: str = "commune_id"
    village_field: str = ""
