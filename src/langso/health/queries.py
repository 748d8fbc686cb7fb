"""Reads of the health app that take a scope (health scope: see accounts.access)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from langso.lib.vietnamese import fold
from langso.registry.models import Resident

from . import catalogue
from .models import Immunization


@dataclass(frozen=True)
class DueDose:
    """One EPI dose of a child that is due (``status`` "due") or overdue on a day."""

    resident_id: int
    full_name: str
    date_of_birth: dt.date
    household_id: int
    dose: catalogue.Dose
    due_on: dt.date
    status: str  # "due" or "overdue"


def due_list(commune, today: dt.date, *, horizon_days: int = 30, max_age_days: int = 6 * 365,
             limit: int = 500) -> list[DueDose]:
    """Doses of the EPI schedule not yet given to children of ``commune`` (living here, born
    within ``max_age_days``): due when ``due_on`` ≤ today + ``horizon_days``, overdue from
    :meth:`Dose.overdue_on`. Sorted overdue first, then by due date. Two queries (children, their
    doses); at most ``limit`` rows."""
    children = list(Resident.objects.filter(commune=commune, date_of_birth__gt=today - dt.timedelta(days=max_age_days),
                                            date_of_birth__lte=today).living_here()
                    .values("pk", "full_name", "date_of_birth", "household_id", "health_record__pk"))
    given = set(Immunization.objects.filter(commune=commune, record__in=[c["health_record__pk"] for c in children
                                                                         if c["health_record__pk"]])
                .values_list("record_id", "vaccine", "dose"))
    out = []
    horizon = today + dt.timedelta(days=horizon_days)
    for child in children:
        birth = child["date_of_birth"]
        for dose in catalogue.doses():
            due = dose.due_on(birth)
            if due > horizon or (child["health_record__pk"], dose.vaccine, dose.dose) in given:
                continue
            if not dose.still_offered(birth, today):  # a missed birth dose is not caught up years later
                continue
            status = "overdue" if today >= dose.overdue_on(birth) else "due"
            out.append(DueDose(child["pk"], child["full_name"], birth, child["household_id"], dose, due, status))
    out.sort(key=lambda d: (d.status != "overdue", d.due_on, d.full_name))
    return out[:limit]


def search_residents(commune, text: str, limit: int = 30):
    """Residents of the commune whose folded name contains every word of ``text`` (or whose CCCD
    equals it), with their health record id if any."""
    qs = Resident.objects.filter(commune=commune).living_here()
    text = (text or "").strip()
    if text.isdigit() and len(text) == 12:
        qs = qs.filter(cccd=text)
    else:
        for word in fold(text).split():
            qs = qs.filter(search_name__contains=word)
    return list(qs.order_by("search_name", "pk").values("pk", "full_name", "date_of_birth", "health_record__pk")[:limit])
