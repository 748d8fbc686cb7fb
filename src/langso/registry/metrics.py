"""Registry metrics for the indicator engine (see :mod:`langso.lib.metrics`).

A household counts at a date when registered on or before it (or with no registration date)
and not dissolved by then; a resident counts when born on or before it, not dead and not moved
out by then. "Adult" means aged 15 or more, the population the World Bank Global Findex and
Decision 411/QĐ-TTg (2022) use for the share of adults with a payment account.
"""

from __future__ import annotations

from django.db.models import Q

from langso.lib.metrics import Metric, MetricContext

from .models import BusinessHousehold, Household, Resident

ADULT_AGE = 15


def household_present(ctx: MetricContext, prefix: str = "") -> Q:
    """Households existing on ``ctx.as_of``; ``prefix`` reaches a household through a relation."""
    return (Q(**{f"{prefix}registered_on__isnull": True}) | Q(**{f"{prefix}registered_on__lte": ctx.as_of})) & (
        Q(**{f"{prefix}dissolved_on__isnull": True}) | Q(**{f"{prefix}dissolved_on__gt": ctx.as_of})
    )


def resident_present(ctx: MetricContext) -> Q:
    """Residents living in the commune on ``ctx.as_of``."""
    return (
        Q(date_of_birth__lte=ctx.as_of)
        & (Q(died_on__isnull=True) | Q(died_on__gt=ctx.as_of))
        & (Q(moved_out_on__isnull=True) | Q(moved_out_on__gt=ctx.as_of))
    )


def adult(ctx: MetricContext) -> Q:
    return resident_present(ctx) & Q(date_of_birth__lte=ctx.years_ago(ADULT_AGE))


METRICS = [
    Metric("registry.households", "Số hộ gia đình", "Households", Household, household_present,
           village_field="village"),
    Metric(
        "registry.households_located", "Số hộ có tọa độ GPS", "Households with GPS coordinates", Household,
        lambda ctx: household_present(ctx) & Q(latitude__isnull=False, longitude__isnull=False),
        village_field="village",
    ),
    Metric("registry.residents", "Số nhân khẩu", "Residents", Resident, resident_present,
           village_field="household__village"),
    Metric("registry.adults", "Số người từ 15 tuổi", "Residents aged 15 or more", Resident, adult,
           village_field="household__village"),
    Metric(
        "registry.adults_with_payment_account", "Số người từ 15 tuổi có tài khoản thanh toán trực tuyến",
        "Residents aged 15+ with an online payment account", Resident,
        lambda ctx: adult(ctx) & Q(has_online_payment_account=True),
        village_field="household__village",
    ),
    Metric(
        "registry.business_households", "Số hộ kinh doanh", "Business households", BusinessHousehold,
        lambda ctx: (Q(registered_on__isnull=True) | Q(registered_on__lte=ctx.as_of))
        & (Q(closed_on__isnull=True) | Q(closed_on__gt=ctx.as_of)),
        village_field="household__village",
    ),
]
