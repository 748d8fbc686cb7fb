"""Factories shared by the criteria tests and the access walk (tests/test_access_walk.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from langso.criteria import actions

PERIOD = "202611"
AS_OF = dt.date(2026, 11, 29)
# Commune A's counts: (numerator, denominator) per catalogue indicator.
VALUES_A = {
    "PAY-ADULT": (912, 1000),  # 91.2% against "> 95%": 39 more adults
    "PAY-QR": (27, 27),
    "ADDR-CODE": (590, 600),  # 98.3% against "≥ 100%": 10 more households
    "REG-GPS": (600, 600),
    "DOC-SIGNED": (4, 4),
}


def put_values(unit, values: dict[str, tuple[float, float | None]], period: str = PERIOD, as_of: dt.date = AS_OF):
    """Stored indicator values for ``unit`` as the engine would write them (catalogue loaded first)."""
    from langso.indicators.catalogue import sync_catalogue
    from langso.indicators.models import Indicator, IndicatorValue

    if not Indicator.objects.exists():
        sync_catalogue()
    by_code = {i.code: i for i in Indicator.objects.all()}
    for code, (numerator, denominator) in values.items():
        value = None if not denominator else round(100.0 * numerator / denominator, 4)
        IndicatorValue.objects.update_or_create(
            indicator=by_code[code], unit=unit, period=period,
            defaults={"as_of": as_of, "numerator": numerator, "denominator": denominator, "value": value,
                      "computed_at": timezone.now()})


def pdf_upload(name: str = "bien-ban.pdf", body: bytes = b"minutes") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n" + body + b"\n%%EOF\n", content_type="application/pdf")


def result_of(assessment, code: str):
    return assessment.results.select_related("indicator", "assessment").get(indicator__code=code)


def fill_entered(assessment, actor, codes=("1.1", "1.2", "7.5")) -> None:
    """Declare the entered indicators met, each with one evidence file."""
    for code in codes:
        result = result_of(assessment, code)
        actions.enter_value(actor, result, met=True, note=f"Đạt {code}")
        actions.add_evidence(actor, result, pdf_upload(f"minh-chung-{code}.pdf"), description=f"Minh chứng {code}")


NOTE_A = "Biên bản kiểm tra Tổ công nghệ số thôn Khuất Nẻo"


def add_criteria(world: Any) -> None:
    """For the access walk: the smart-village set (small), commune A classified, one assessment of A
    with an entered indicator, its note (a secret of A) and an evidence file."""
    from langso.criteria import catalogue

    territory, users = world.territory, world.users
    files = [f for f in catalogue.shipped_set_files() if f.name == "thon-thong-minh-vinh-phuc.yaml"]
    (criteria_set, _), = catalogue.sync_sets(files)
    assessment = actions.start_assessment(users["editor"], territory["a"], criteria_set, 2025)
    result = result_of(assessment, "TM.1")
    actions.enter_value(users["editor"], result, met=True, note=NOTE_A)
    evidence = actions.add_evidence(users["editor"], result, pdf_upload("to-cong-nghe-so.pdf"))
    world.objects.update({"assessment_a": assessment, "evidence_a": evidence, "criteria_set": criteria_set})
    world.secrets_a = sorted({*world.secrets_a, NOTE_A})
    world.shown_a = sorted({*world.shown_a, NOTE_A})
