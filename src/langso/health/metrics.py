"""Health metrics for the indicator engine (:mod:`langso.lib.metrics`), counted per commune at a date.

- ``health.records``: residents living here with a personal health record opened by the date
  (numerator of "% residents with a health record"; denominator ``registry.residents``).
- ``health.records_insured``: of those, with a health-insurance number valid on the date.
- ``health.children_12_23m``: residents aged 12–23 months (the WHO/UNICEF cohort for coverage
  "by age 1").
- ``health.immunized_<vaccine>``: children aged 12–23 months who received the last infant dose of
  the vaccine (EPI schedule) before turning 1 is approximated by "have received it" (dates of the
  dose before the first birthday are not compared in SQL; the demo and the schedule make the two
  agree). One metric per infant vaccine of data/epi_schedule.yaml.
- ``health.outbreaks_active``: outbreaks (ổ dịch: dengue foci, group-A cases) detected on or
  before the date and not closed by then. Alerts (cảnh báo: a month's count above the mean of the
  same month over the previous years, rules of ``kind: alert`` in data/outbreak_rules.yaml) are
  not outbreaks and are not counted.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from langso.lib.metrics import Metric, MetricContext
from langso.registry.models import Resident

from . import catalogue
from .models import HealthRecord, Immunization, Outbreak, alert_rule_q


def _present(ctx: MetricContext, prefix: str = "") -> Q:
    return (Q(**{f"{prefix}date_of_birth__lte": ctx.as_of})
            & (Q(**{f"{prefix}died_on__isnull": True}) | Q(**{f"{prefix}died_on__gt": ctx.as_of}))
            & (Q(**{f"{prefix}moved_out_on__isnull": True}) | Q(**{f"{prefix}moved_out_on__gt": ctx.as_of})))


def _cohort(ctx: MetricContext, prefix: str = "") -> Q:
    """Aged 12–23 months on ``as_of``: born after as_of − 2 years and on or before as_of − 1 year."""
    return (_present(ctx, prefix) & Q(**{f"{prefix}date_of_birth__gt": ctx.years_ago(2)})
            & Q(**{f"{prefix}date_of_birth__lte": ctx.years_ago(1)}))


def _record(ctx: MetricContext) -> Q:
    return _present(ctx, "resident__") & Q(opened_on__lte=ctx.as_of)


def _insured(ctx: MetricContext) -> Q:
    return _record(ctx) & ~Q(insurance_number="") & (
        Q(insurance_valid_to__isnull=True) | Q(insurance_valid_to__gte=ctx.as_of))


def _immunized(vaccine: str, dose: int):
    def condition(ctx: MetricContext) -> Q:
        return _cohort(ctx, "record__resident__") & Q(vaccine=vaccine, dose=dose, given_on__lte=ctx.as_of)
    return condition


def _active(ctx: MetricContext) -> Q:
    return (Q(detected_on__lte=ctx.as_of) & (Q(closed_on__isnull=True) | Q(closed_on__gt=ctx.as_of))
            & ~alert_rule_q())


def _vaccine_metrics() -> list[Metric]:
    out = []
    for key, v in catalogue.vaccines().items():
        if v.get("infant"):
            out.append(Metric(f"health.immunized_{key}", f"Trẻ 12–23 tháng đã tiêm {v['name_vi']}",
                              f"Children aged 12–23 months given {v['name_en']}", Immunization,
                              _immunized(key, len(v["doses"])),
                              village_field="record__resident__household__village"))
    return out


METRICS = [
    Metric("health.records", "Số người dân có hồ sơ sức khỏe", "Residents with a health record", HealthRecord, _record,
           village_field="resident__household__village"),
    Metric("health.records_insured", "Số người có hồ sơ và thẻ BHYT còn hạn",
           "Residents with a record and a valid health-insurance number", HealthRecord, _insured,
           village_field="resident__household__village"),
    Metric("health.children_12_23m", "Số trẻ 12–23 tháng tuổi", "Children aged 12–23 months", Resident, _cohort,
           village_field="household__village"),
    *_vaccine_metrics(),
    Metric("health.outbreaks_active", "Số ổ dịch đang hoạt động", "Active outbreaks", Outbreak, _active),
]

__all__ = ["METRICS", "dt"]
