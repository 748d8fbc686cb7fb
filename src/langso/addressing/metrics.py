"""Addressing metrics for the indicator engine (see :mod:`langso.lib.metrics`).

- ``addressing.households_with_address_code``: present households holding a code issued on or
  before the day counted.
- ``addressing.households_gps_verified``: present households whose current GPS point was checked
  on or before the day counted and found inside the boundary of their commune
  (:mod:`langso.addressing.quality`, rule 1). A check of an older point does not count: the
  checked coordinates must equal the household's coordinates.
"""

from __future__ import annotations

from django.db.models import F, Q

from langso.lib.metrics import Metric, MetricContext
from langso.registry.metrics import household_present

from .models import AddressCode, LocationCheck


def _present_household_with_code(ctx: MetricContext) -> Q:
    return Q(issued_at__date__lte=ctx.as_of) & household_present(ctx, prefix="household__")


def _verified_inside_commune(ctx: MetricContext) -> Q:
    return (
        Q(inside_commune=True, checked_on__lte=ctx.as_of)
        & Q(latitude=F("household__latitude"), longitude=F("household__longitude"))
        & household_present(ctx, prefix="household__")
    )


METRICS = [
    Metric(
        "addressing.households_with_address_code", "Số hộ có mã địa chỉ số",
        "Households with a digital address code", AddressCode, _present_household_with_code,
        village_field="household__village",
    ),
    Metric(
        "addressing.households_gps_verified", "Số hộ có toạ độ GPS đã kiểm tra nằm trong xã",
        "Households whose GPS point is verified inside their commune", LocationCheck, _verified_inside_commune,
        village_field="household__village",
    ),
]
