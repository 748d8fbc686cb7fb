"""The health app's reference data, loaded once from ``data/*.yaml``: notifiable diseases (Law
03/2007/QH12), outbreak rules (Decision 02/2016/QĐ-TTg; dengue guideline) and the EPI/TCMR
schedule. Each file carries its source; nothing here is hard-coded elsewhere."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).parent / "data"


def _load(name: str) -> dict[str, Any]:
    with open(DATA / name, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@dataclass(frozen=True)
class Disease:
    """A notifiable disease: ``group`` A, B or C; ``icd10`` code prefixes without the dot."""

    key: str
    group: str
    name_vi: str
    name_en: str
    icd10: tuple[str, ...]
    legacy_icd10: tuple[str, ...] = ()

    def matches(self, code: str) -> bool:
        code = code.replace(".", "").upper()
        return any(code.startswith(p) for p in self.icd10 + self.legacy_icd10)


@cache
def diseases() -> dict[str, Disease]:
    """Notifiable diseases by key, in file order."""
    return {
        d["key"]: Disease(d["key"], d["group"], d["name_vi"], d["name_en"], tuple(d["icd10"]),
                          tuple(d.get("legacy_icd10", ())))
        for d in _load("notifiable_diseases.yaml")["diseases"]
    }


def disease_for_icd10(code: str) -> Disease | None:
    """The notifiable disease an ICD-10 code is a case of, or ``None``."""
    return next((d for d in diseases().values() if d.matches(code)), None)


@cache
def outbreak_rules() -> dict[str, dict[str, Any]]:
    """Outbreak rules by key (see data/outbreak_rules.yaml for their sources)."""
    return {r["key"]: r for r in _load("outbreak_rules.yaml")["rules"]}


def alert_rules() -> tuple[str, ...]:
    """Keys of the rules whose findings are alerts (cảnh báo: the monthly count above the mean),
    not outbreaks (ổ dịch): listed apart and not counted as outbreaks (``kind`` in the data file)."""
    return tuple(key for key, rule in outbreak_rules().items() if rule.get("kind") == "alert")


@dataclass(frozen=True)
class Dose:
    vaccine: str
    name_vi: str
    name_en: str
    dose: int
    age_days: int
    overdue_after_days: int
    cvx: str
    infant: bool
    give_until_days: int | None = None  # after this age the dose is no longer offered (no catch-up)

    def due_on(self, birth: dt.date) -> dt.date:
        return birth + dt.timedelta(days=self.age_days)

    def overdue_on(self, birth: dt.date) -> dt.date:
        """First day the dose counts as overdue."""
        return self.due_on(birth) + dt.timedelta(days=self.overdue_after_days + 1)

    def still_offered(self, birth: dt.date, today: dt.date) -> bool:
        """False once the child is past the age the dose may still be given (e.g. a birth dose)."""
        return self.give_until_days is None or today <= birth + dt.timedelta(days=self.give_until_days)


@cache
def epi_schedule() -> dict[str, Any]:
    return _load("epi_schedule.yaml")


@cache
def doses() -> tuple[Dose, ...]:
    """Every dose of the EPI schedule in age order."""
    data = epi_schedule()
    out = []
    for v in data["vaccines"]:
        for n, age in enumerate(v["doses"], start=1):
            out.append(Dose(v["key"], v["name_vi"], v["name_en"], n, age,
                            v.get("overdue_after_days", data["overdue_after_days"]), str(v["cvx"]), v["infant"],
                            v.get("give_until_days")))
    return tuple(sorted(out, key=lambda d: (d.age_days, d.vaccine, d.dose)))


def vaccines() -> dict[str, dict[str, Any]]:
    return {v["key"]: v for v in epi_schedule()["vaccines"]}
