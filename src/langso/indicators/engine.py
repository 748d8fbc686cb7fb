"""The indicator engine: every indicator for every current commune, rolled up to provinces.

1. All metrics named by the catalogue are grouped by model; each group is ONE SQL statement
   ``SELECT commune_id, COUNT(*) FILTER (WHERE m1), COUNT(*) FILTER (WHERE m2) … GROUP BY
   commune_id`` (Django's ``Count(filter=…)``; a ``CASE`` expression on SQLite).
2. Indicator values per commune whose register holds households (other communes have no value:
   "no data", not zeros): the numerator, the denominator, and for percentages
   100 × numerator / denominator (``None`` when the denominator is 0).
3. Province roll-up: sums of the communes' numerators and denominators (a province's
   percentage is never an average of percentages). ``share_of_units`` indicators (Decision
   924's "≥ 70 % of units have …") count each reporting commune 1 when its numerator is above
   zero: the commune's value is 100 or 0, the province's the share of its reporting communes.
4. History by former district: the same counts placed in the districts and provinces in force
   before 1 July 2025 through the lineage (:mod:`langso.indicators.legacy`).
5. Values are upserted (one row per indicator × unit × period) in one transaction, with the
   period code (``YYYYMM``), the ``as_of`` date and the computation time.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from langso.lib.metrics import Metric, MetricContext
from langso.territory.models import AdministrativeUnit

from .catalogue import metrics, sync_catalogue
from .legacy import legacy_values
from .models import Aggregation, ComputationRun, Indicator, IndicatorValue


# The metric that tells whether a commune uses the platform (has households in its register).
REPORTING_METRIC = "registry.households"


@dataclass(frozen=True)
class ComputationResult:
    period: str
    as_of: dt.date
    communes: int
    values_written: int
    seconds: float
    query_seconds: float
    legacy_values: int = 0


def period_of(day: dt.date) -> str:
    """Monthly period code of ``day`` (``YYYYMM``, the DHIS2 monthly period format)."""
    return f"{day.year:04d}{day.month:02d}"


def count_metrics(codes: list[str], as_of: dt.date) -> dict[str, dict[int, int]]:
    """Counts per commune for each metric code: ``{metric: {commune_id: count}}``.

    One query per model among the metrics. Raises ``KeyError`` for an unknown metric code.
    """
    registry = metrics()
    ctx = MetricContext(as_of=as_of)
    groups: dict[tuple[type, str], list[Metric]] = defaultdict(list)
    for code in codes:
        metric = registry[code]
        groups[(metric.model, metric.commune_field)].append(metric)
    out: dict[str, dict[int, int]] = {code: {} for code in codes}
    for (model, commune_field), group in groups.items():
        aliases = {f"m{i}": metric for i, metric in enumerate(group)}
        rows = (
            model._default_manager.order_by()
            .values(commune_field)
            .annotate(**{alias: Count("pk", filter=metric.condition(ctx)) for alias, metric in aliases.items()})
        )
        for row in rows:
            commune_id = row[commune_field]
            for alias, metric in aliases.items():
                if row[alias]:
                    out[metric.code][commune_id] = row[alias]
    return out


def compute(as_of: dt.date | None = None, period: str | None = None) -> ComputationResult:
    """Compute and store every indicator for every current commune and province.

    ``as_of`` defaults to today (Vietnam time); ``period`` to ``period_of(as_of)``. Returns a
    :class:`ComputationResult`. Re-running for the same period replaces that period's values.
    """
    started = time.perf_counter()
    started_at = timezone.now()
    as_of = as_of or timezone.localdate()
    period = period or period_of(as_of)
    sync_catalogue()
    indicators = list(Indicator.objects.all())
    codes = sorted({i.numerator for i in indicators} | {i.denominator for i in indicators if i.denominator})

    query_started = time.perf_counter()
    counts = count_metrics(codes, as_of)
    query_seconds = time.perf_counter() - query_started

    communes = list(AdministrativeUnit.objects.current().communes().values_list("pk", "province_id"))
    # A commune whose register holds no household does not use the platform yet: it has no value
    # ("no data"), not a row of zeros — most of the 3,321 communes of a national install, and
    # writing their zeros was most of the recompute time. Reporting communes get every indicator,
    # zeros included.
    households = counts.get(REPORTING_METRIC)
    if households is None:
        households = count_metrics([REPORTING_METRIC], as_of)[REPORTING_METRIC]
    reporting = set(households)
    province_sums: dict[tuple[int, int], list[float]] = defaultdict(lambda: [0.0, 0.0])
    now = timezone.now()
    rows = []
    for indicator in indicators:
        numerators = counts[indicator.numerator]
        denominators = counts[indicator.denominator] if indicator.denominator else None
        for commune_id, province_id in communes:
            sums = province_sums[(indicator.pk, province_id)]  # every province gets its roll-up row
            if commune_id not in reporting:
                continue
            numerator = numerators.get(commune_id, 0)
            denominator = denominators.get(commune_id, 0) if denominators is not None else None
            if indicator.aggregation == Aggregation.SHARE_OF_UNITS:
                numerator, denominator = (1 if numerator > 0 else 0), 1
            sums[0] += numerator
            sums[1] += denominator or 0
            rows.append(IndicatorValue(
                indicator=indicator, unit_id=commune_id, period=period, as_of=as_of, numerator=numerator,
                denominator=denominator, value=indicator.value_of(numerator, denominator), computed_at=now,
            ))
    by_pk = {i.pk: i for i in indicators}
    for (indicator_pk, province_id), (numerator, denominator) in province_sums.items():
        if province_id is None:
            continue
        indicator = by_pk[indicator_pk]
        denominator_or_none = denominator if indicator.denominator or indicator.aggregation == Aggregation.SHARE_OF_UNITS else None
        rows.append(IndicatorValue(
            indicator=indicator, unit_id=province_id, period=period, as_of=as_of, numerator=numerator,
            denominator=denominator_or_none, value=indicator.value_of(numerator, denominator_or_none), computed_at=now,
        ))
    history = legacy_values(indicators, counts, reporting, as_of, period, now)
    rows.extend(history)
    with transaction.atomic():
        # Units that reported in an earlier run of this period but have no record now lose the value.
        IndicatorValue.objects.filter(period=period).exclude(unit_id__in={row.unit_id for row in rows}).delete()
        IndicatorValue.objects.bulk_create(
            rows, batch_size=2000, update_conflicts=True, unique_fields=["indicator", "unit", "period"],
            update_fields=["as_of", "numerator", "denominator", "value", "computed_at"],
        )
        seconds = time.perf_counter() - started
        ComputationRun.objects.create(
            period=period, as_of=as_of, started_at=started_at, finished_at=timezone.now(),
            communes=len(communes), values_written=len(rows), seconds=seconds,
        )
    return ComputationResult(period, as_of, len(communes), len(rows), seconds, query_seconds, len(history))
