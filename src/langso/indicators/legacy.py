"""History by former district: indicator values on the districts and provinces abolished or
merged on 1 July 2025.

Decision 924/QĐ-TTg (2 Aug 2022) sets some targets on districts (ECO-2: ≥ 70 % of districts —
Vĩnh Phúc 80 % — have production-linkage models tied to key products; SOC-1 on district and
commune units). Districts were abolished on 1 July 2025 (Resolution 202/2025/QH15), and every
record of the platform belongs to a current commune. The former-district figures are therefore
rebuilt from the records through the lineage of the reform:

1. A current commune whose territory came from one former district (145 of Phú Thọ's 148) is
   placed whole in that district: all its counts go there.
2. A commune formed from communes of several former districts (08866 Sơn Đông: Sông Lô and Lập
   Thạch; 08872 Tam Dương Bắc; 04828 Thống Nhất) is split row by row through the row's village
   (``Metric.village_field`` → ``Village.legacy_commune`` → its district): ONE extra
   ``GROUP BY commune, former district`` query per model, restricted to those communes.
   Rows without a village, or whose village's former commune is not recorded, are *unplaced*:
   they still count in the former province when every candidate district lies in one province,
   and in no district.
3. A former district's value sums its numerators and denominators like a province (never an
   average of percentages); for ``share_of_units`` indicators it is 100 or 0, and the former
   province's value is the share of its districts that count. Only districts whose territory
   holds at least one reporting commune get a value; the page shows the coverage.

Nothing loops over households: the inputs are the per-commune counts of the engine
(:func:`langso.indicators.engine.count_metrics`) and the split query's grouped rows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count

from langso.lib.metrics import MetricContext
from langso.territory.queries import LegacyParent, legacy_parents

from .catalogue import metrics
from .models import Aggregation, Indicator, IndicatorValue

UNPLACED = None  # the former-district key of rows whose village's former commune is unknown
# The last monthly period in which districts existed (abolished on 1 July 2025, Resolution 202/2025/QH15):
# district targets are judged up to it; later periods on former districts are for comparison only.
LAST_DISTRICT_PERIOD = "202506"


def count_by_origin(codes: Iterable[str], as_of: dt.date, commune_ids: Iterable[int]
                    ) -> dict[str, dict[int, dict[int | None, int]]]:
    """Counts of each metric with a ``village_field``, per commune of ``commune_ids`` and former
    district of the row's village: ``{metric: {commune_id: {district_id or None: count}}}``.

    One query per (model, commune field, village path); metrics without a village path are
    absent from the result. Raises ``KeyError`` for an unknown metric code.
    """
    registry = metrics()
    ids = list(commune_ids)
    ctx = MetricContext(as_of=as_of)
    groups: dict[tuple[type, str, str], list] = defaultdict(list)
    for code in codes:
        metric = registry[code]
        if metric.village_field:
            groups[(metric.model, metric.commune_field, metric.village_field)].append(metric)
    out: dict[str, dict[int, dict[int | None, int]]] = {}
    if not ids:
        return out
    for (model, commune_field, village_field), group in groups.items():
        origin = f"{village_field}__legacy_commune__parent_id"
        aliases = {f"m{i}": metric for i, metric in enumerate(group)}
        rows = (
            model._default_manager.order_by()
            .filter(**{f"{commune_field}__in": ids})
            .values(commune_field, origin)
            .annotate(**{alias: Count("pk", filter=metric.condition(ctx)) for alias, metric in aliases.items()})
        )
        for row in rows:
            for alias, metric in aliases.items():
                if row[alias]:
                    by_district = out.setdefault(metric.code, {}).setdefault(row[commune_field], {})
                    by_district[row[origin]] = by_district.get(row[origin], 0) + row[alias]
    return out


def legacy_values(indicators: list[Indicator], counts: dict[str, dict[int, int]], reporting: set[int],
                  as_of: dt.date, period: str, computed_at: dt.datetime) -> list[IndicatorValue]:
    """Unsaved :class:`IndicatorValue` rows for every former district and former province whose
    territory holds a reporting commune, for every indicator (see the module docstring).

    ``counts`` are the engine's per-commune metric counts (``{metric: {commune_id: n}}``) at
    ``as_of``; ``reporting`` the ids of the communes that report. Reporting communes without a
    lineage edge (no former unit known) are left out. One query for the lineage and one per
    model for the communes spanning several former districts.
    """
    parents = legacy_parents(reporting)
    whole: dict[int, LegacyParent] = {}
    split_communes: dict[int, set[LegacyParent]] = {}
    for commune_id, found in parents.items():
        if len(found) == 1:
            whole[commune_id] = next(iter(found))
        else:
            split_communes[commune_id] = found
    province_of: dict[int, int] = {p.district_id: p.province_id for found in parents.values() for p in found}
    touched = set(province_of)
    codes = sorted({i.numerator for i in indicators} | {i.denominator for i in indicators if i.denominator})
    split = count_by_origin(codes, as_of, split_communes)

    def placed(metric: str) -> tuple[dict[int, float], dict[int, float]]:
        """(by former district, unplaced by former province) sums of one metric."""
        per_commune = counts.get(metric, {})
        by_district: dict[int, float] = defaultdict(float)
        by_province: dict[int, float] = defaultdict(float)
        for commune_id, parent in whole.items():
            by_district[parent.district_id] += per_commune.get(commune_id, 0)
        rows = split.get(metric)
        for commune_id, candidates in split_communes.items():
            districts = {p.district_id for p in candidates}
            provinces = {p.province_id for p in candidates}
            if rows is None:  # no village path: the whole count is unplaced
                pieces: dict[int | None, int] = {UNPLACED: per_commune.get(commune_id, 0)}
            else:
                pieces = rows.get(commune_id, {})
            for district_id, n in pieces.items():
                if district_id in districts:
                    by_district[district_id] += n
                elif len(provinces) == 1:
                    by_province[next(iter(provinces))] += n
        return by_district, by_province

    out: list[IndicatorValue] = []
    cache: dict[str, tuple[dict[int, float], dict[int, float]]] = {}

    def sums(metric: str) -> tuple[dict[int, float], dict[int, float]]:
        if metric not in cache:
            cache[metric] = placed(metric)
        return cache[metric]

    def row(indicator: Indicator, unit_id: int, numerator: float, denominator: float | None) -> IndicatorValue:
        return IndicatorValue(indicator=indicator, unit_id=unit_id, period=period, as_of=as_of, numerator=numerator,
                              denominator=denominator, value=indicator.value_of(numerator, denominator),
                              computed_at=computed_at)

    for indicator in indicators:
        num_district, num_province = sums(indicator.numerator)
        province_totals: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0])
        if indicator.aggregation == Aggregation.SHARE_OF_UNITS:
            for district_id in touched:
                counted = 1.0 if num_district.get(district_id, 0) > 0 else 0.0
                out.append(row(indicator, district_id, counted, 1.0))
                totals = province_totals[province_of[district_id]]
                totals[0] += counted
                totals[1] += 1
            for province_id, (numerator, denominator) in province_totals.items():
                out.append(row(indicator, province_id, numerator, denominator))
            continue
        den_district, den_province = sums(indicator.denominator) if indicator.denominator else ({}, {})
        for district_id in touched:
            numerator = num_district.get(district_id, 0.0)
            denominator = den_district.get(district_id, 0.0) if indicator.denominator else None
            out.append(row(indicator, district_id, numerator, denominator))
            totals = province_totals[province_of[district_id]]
            totals[0] += numerator
            totals[1] += denominator or 0
        for province_id, extra in num_province.items():
            province_totals[province_id][0] += extra
        for province_id, extra in den_province.items():
            province_totals[province_id][1] += extra
        for province_id, (numerator, denominator) in province_totals.items():
            out.append(row(indicator, province_id, numerator, denominator if indicator.denominator else None))
    return out
