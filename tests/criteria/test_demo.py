"""The criteria demo: Vĩnh Phú's 2026 assessment with automatic and entered indicators, a gap report
and an approval history; idempotent."""

from __future__ import annotations

import pytest

from langso.accounts.models import Membership, Role
from langso.criteria import standing
from langso.criteria.demo import issue_demo_assessments
from langso.criteria.models import Assessment, CertificationRecord, ReviewStep

from .factories import VALUES_A, put_values

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_world(territory, django_user_model):
    province_officer = django_user_model.objects.create_user("tinh.phutho", password="x")
    commune_officer = django_user_model.objects.create_user("xa.09154", password="x")
    Membership.objects.create(user=province_officer, unit=territory["p25"], role=Role.PROVINCE_OFFICER)
    Membership.objects.create(user=commune_officer, unit=territory["a"], role=Role.COMMUNE_OFFICER)
    put_values(territory["a"], VALUES_A)
    return territory


def test_demo_tells_vinh_phus_story(demo_world):
    assert issue_demo_assessments(2025, ["09154", "00004"]) == 4  # 00004 has no officer: the system acts
    a = demo_world["a"]
    assessment = Assessment.objects.get(commune=a, criteria_set__code="ntm-xa-2026-2030", year=2026)
    sources = dict(assessment.results.filter(indicator__placeholder=False).values_list("indicator__code", "source"))
    assert sources == {"1.1": "entered", "1.2": "entered", "7.1": "auto", "7.2": "auto", "7.3": "auto", "7.4": "auto",
                       "7.5": "entered"}
    assert assessment.status == "submitted"  # after reopening 1.2: awaiting the province again
    kinds = list(ReviewStep.objects.filter(assessment=assessment).values_list("kind", flat=True))
    assert kinds == ["created", "submitted", "commented", "returned", "submitted", "approved", "reopened", "changed",
                     "changed", "submitted"]
    assert {s.actor.username for s in ReviewStep.objects.filter(assessment=assessment)} == {"tinh.phutho", "xa.09154"}
    assert assessment.results.get(indicator__code="7.5").evidence.count() == 2
    report = standing.gap_report(a, 2026)
    assert {row["indicator"].code for row in report["missing"]} == {"7.2", "7.4"}
    basic = Assessment.objects.get(commune=a, criteria_set__code="ntm-xa-2021-2025", year=2025)
    assert basic.status == "approved" and basic.results.get(indicator__code="8.4").met_declared is True
    assert CertificationRecord.objects.filter(unit=a, level="smart_pilot").count() == 1
    assert issue_demo_assessments(2025, ["09154"]) == 2  # idempotent
    assert ReviewStep.objects.filter(assessment=assessment).count() == len(kinds)
