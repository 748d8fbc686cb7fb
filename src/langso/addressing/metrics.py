"""Addressing metrics for the indicator engine (see :mod:`langso.lib.metrics`)."""

from __future__ import annotations

from django.db.models import Q

from langso.lib.metrics import Metric, MetricContext
from langso.registry.metrics import household_present

from .models import AddressCode


def _present_household_with_code(ctx: MetricContext) -> Q:
    return Q(issued_at__date__lte=ctx.as_of) & household_present(ctx, prefix="household__")


METRICS = [
    Metric(
        "addressing.households_with_address_code", "Số hộ có mã địa chỉ số",
        "Households with a digital address code", AddressCode, _present_household_with_code,
    ),
]
