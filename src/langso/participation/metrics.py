"""Participation metrics for the indicator engine (see :mod:`langso.lib.metrics`).

Decision 924/QĐ-TTg (2 Aug 2022), target SOC-1: ≥ 40 % of units provide ≥ 1 essential service on a
digital platform and collect residents' satisfaction with new-rural results online.

- ``participation.units`` counts each current commune once (the denominator of unit shares: a
  commune's value is 0 % or 100 %, a province's the share of its communes);
- ``…units_with_online_service``: the commune lists an essential service available on ``as_of``;
- ``…units_collecting_satisfaction``: a satisfaction survey of the commune received at least one
  online response in the 365 days up to ``as_of``; ``…units_meeting_soc1``: both;
- ``…satisfaction_answers`` / ``…satisfaction_answers_satisfied``: scale answers of satisfaction
  surveys in the same window, and those on a "satisfied" point (the satisfaction index);
- ``…feedback_due`` / ``…feedback_answered_on_time``: feedback received in the window whose
  deadline has passed or that was answered by ``as_of``, and those answered by the deadline.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q

from langso.lib.metrics import Metric, MetricContext
from langso.territory.models import AdministrativeUnit, Level

from .models import Answer, Feedback, OnlineService, Response, SurveyKind
from .results import feedback_due_q, on_time_q

WINDOW_DAYS = 365


def _since(ctx: MetricContext) -> dt.date:
    return ctx.as_of - dt.timedelta(days=WINDOW_DAYS)


def current_commune(ctx: MetricContext) -> Q:
    return (Q(level=Level.COMMUNE) & (Q(valid_from__isnull=True) | Q(valid_from__lte=ctx.as_of))
            & (Q(valid_to__isnull=True) | Q(valid_to__gte=ctx.as_of)))


def service_available(ctx: MetricContext) -> Q:
    return Q(available_since__lte=ctx.as_of) & (Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=ctx.as_of))


def with_online_service(ctx: MetricContext) -> Q:
    services = OnlineService.objects.filter(service_available(ctx), commune=OuterRef("pk"))
    return current_commune(ctx) & Q(Exists(services))


def collecting_satisfaction(ctx: MetricContext) -> Q:
    responses = Response.objects.filter(commune=OuterRef("pk"), run__kind=SurveyKind.SATISFACTION,
                                        submitted_on__lte=ctx.as_of, submitted_on__gt=_since(ctx))
    return current_commune(ctx) & Q(Exists(responses))


def meeting_soc1(ctx: MetricContext) -> Q:
    """Both halves of SOC-1: an essential online service and satisfaction collected online."""
    return with_online_service(ctx) & collecting_satisfaction(ctx)


def satisfaction_answer(ctx: MetricContext) -> Q:
    return Q(run__kind=SurveyKind.SATISFACTION, satisfied__isnull=False, submitted_on__lte=ctx.as_of,
             submitted_on__gt=_since(ctx))


def feedback_due(ctx: MetricContext) -> Q:
    return Q(received_on__gt=_since(ctx), received_on__lte=ctx.as_of) & feedback_due_q(ctx.as_of)


METRICS = [
    Metric("participation.units", "Số xã", "Communes", AdministrativeUnit, current_commune, commune_field="id"),
    Metric("participation.units_with_online_service", "Số xã cung cấp ít nhất một dịch vụ thiết yếu trực tuyến",
           "Communes providing at least one essential online service", AdministrativeUnit, with_online_service,
           commune_field="id"),
    Metric("participation.units_collecting_satisfaction", "Số xã lấy ý kiến sự hài lòng của người dân trực tuyến",
           "Communes collecting residents' satisfaction online", AdministrativeUnit, collecting_satisfaction,
           commune_field="id"),
    Metric("participation.units_meeting_soc1",
           "Số xã vừa cung cấp dịch vụ thiết yếu trực tuyến vừa lấy ý kiến sự hài lòng trực tuyến",
           "Communes providing an essential online service and collecting satisfaction online", AdministrativeUnit,
           meeting_soc1, commune_field="id"),
    Metric("participation.satisfaction_answers", "Số câu trả lời theo thang đo hài lòng",
           "Answers on a satisfaction scale", Answer, satisfaction_answer),
    Metric("participation.satisfaction_answers_satisfied", "Số câu trả lời hài lòng",
           "Answers on a satisfied point", Answer, lambda ctx: satisfaction_answer(ctx) & Q(satisfied=True)),
    Metric("participation.feedback_due", "Số phản ánh, kiến nghị đến hạn trả lời",
           "Reports and petitions due for an answer", Feedback, feedback_due),
    Metric("participation.feedback_answered_on_time", "Số phản ánh, kiến nghị được trả lời đúng hạn",
           "Reports and petitions answered on time", Feedback, lambda ctx: feedback_due(ctx) & on_time_q(ctx.as_of)),
]
