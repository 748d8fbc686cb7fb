"""Payment metrics for the indicator engine (see :mod:`langso.lib.metrics`)."""

from __future__ import annotations

from django.db.models import Q

from langso.lib.metrics import Metric, MetricContext

from .models import PaymentProfile


def _open_business_with_active_profile(ctx: MetricContext) -> Q:
    return (
        Q(active=True, created_at__date__lte=ctx.as_of)
        & (Q(business__registered_on__isnull=True) | Q(business__registered_on__lte=ctx.as_of))
        & (Q(business__closed_on__isnull=True) | Q(business__closed_on__gt=ctx.as_of))
    )


METRICS = [
    Metric(
        "payments.business_households_with_qr", "Số hộ kinh doanh có mã QR thanh toán",
        "Business households with a payment QR code", PaymentProfile, _open_business_with_active_profile,
        village_field="business__household__village",
    ),
]
