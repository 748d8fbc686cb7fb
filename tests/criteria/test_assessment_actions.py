"""Assessments: automatic values from the stored indicator values, entered values with evidence, and
the review (submit, comment, return, approve and lock, reopen one indicator) — with who may do what."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from langso.audit.models import AuditEntry
from langso.criteria import actions, standing
from langso.criteria.models import AssessmentStatus, Evidence, ReviewStep
from langso.lib.errors import RuleViolation
from langso.territory.models import UnitType

from .factories import fill_entered, pdf_upload, result_of

pytestmark = pytest.mark.django_db


def test_start_fills_automatic_indicators_from_the_stored_values(assessment):
    assert assessment.class_key == "group2" and assessment.indicator_period == "202611"
    pay = result_of(assessment, "7.2")
    assert (pay.source, pay.value, pay.numerator, pay.denominator) == ("auto", 91.2, 912, 1000)
    assert (pay.comparison, pay.threshold, pay.threshold_verified, pay.status) == (">", 95, False, "not_met")
    assert result_of(assessment, "7.3").status == "met"
    assert result_of(assessment, "7.4").status == "not_met"
    planning = result_of(assessment, "1.1")
    assert (planning.source, planning.status, planning.reason) == ("entered", "pending", "no_value")
    assert result_of(assessment, "2.1").reason == "placeholder"
    assert [s.kind for s in ReviewStep.objects.filter(assessment=assessment)] == ["created"]
    assert AuditEntry.objects.filter(action="criteria.assessment_start", unit=assessment.commune).exists()
    summary = standing.summarise(assessment)
    assert summary["counts"] == {"met": 2, "not_met": 2, "pending": 43, "total": 47}
    assert summary["automatic"] == 4 and summary["entered"] == 3 and summary["status"] == "not_met"


def test_a_commune_without_values_gets_pending_automatic_indicators(ready):
    c = actions.start_assessment(None, ready["territory"]["c"], ready["sets"]["ntm-xa-2026-2030"], 2026)
    assert c.indicator_period == "" and result_of(c, "7.2").reason == "not_computed"


@pytest.mark.parametrize("case", ["unclassified", "ward", "future", "outside", "duplicate", "other_province"])
def test_start_refuses(ready, assessment, case):
    t, sets = ready["territory"], ready["sets"]
    kwargs = {"commune": t["a"], "criteria_set": sets["ntm-xa-2026-2030"], "year": 2026}
    if case == "unclassified":
        from langso.criteria.models import CommuneClassification

        CommuneClassification.objects.filter(unit=t["c"]).delete()
        kwargs["commune"] = t["c"]
    elif case == "ward":
        t["c"].unit_type = UnitType.WARD
        t["c"].save()
        kwargs["commune"] = t["c"]
    elif case == "future":
        kwargs["year"] = 2027
    elif case == "outside":
        kwargs["year"] = 2025
    elif case == "other_province":
        kwargs = {"commune": t["b"], "criteria_set": sets["thon-thong-minh-vinh-phuc"], "year": 2025}
    with pytest.raises(RuleViolation) as caught:
        actions.start_assessment(None, **kwargs)
    expected = {"unclassified": "criteria.unclassified", "ward": "criteria.rural_only", "future": "criteria.year",
                "outside": "criteria.year", "duplicate": "criteria.duplicate",
                "other_province": "criteria.set_province"}[case]
    assert caught.value.rule == expected


def test_only_the_communes_officer_starts_and_enters(ready, assessment):
    users, t = ready["users"], ready["territory"]
    for who in ("reader", "outsider"):
        with pytest.raises(Http404):
            actions.start_assessment(users[who], t["c"], ready["sets"]["ntm-xa-2026-2030"], 2026)
        with pytest.raises(Http404):
            actions.enter_value(users[who], result_of(assessment, "1.1"), met=True)
        with pytest.raises(Http404):
            actions.submit_assessment(users[who], assessment)
    assert result_of(assessment, "1.1").met_declared is None


def test_entered_values_follow_the_indicator_kind(assessment, users):
    editor = users["editor"]
    with pytest.raises(RuleViolation, match="tự động"):
        actions.enter_value(editor, result_of(assessment, "7.2"), value=99)
    with pytest.raises(RuleViolation) as caught:
        actions.enter_value(editor, result_of(assessment, "2.1"), met=True)
    assert caught.value.rule == "criteria.placeholder"
    with pytest.raises(RuleViolation) as caught:
        actions.enter_value(editor, result_of(assessment, "1.1"), value=3)
    assert caught.value.rule == "criteria.boolean"
    result = actions.enter_value(editor, result_of(assessment, "1.1"), met=True, note="  Quy hoạch đã duyệt ")
    assert (result.status, result.note) == ("met", "Quy hoạch đã duyệt")
    assert AuditEntry.objects.filter(action="criteria.value_enter").count() == 1


def test_numeric_entered_values_are_range_checked(sets, territory, users):
    from langso.criteria.models import Scheme

    actions.classify_commune(None, territory["a"], Scheme.REGION_2021, "dbsh", source="QĐ test")
    a2025 = actions.start_assessment(users["editor"], territory["a"], sets["ntm-xa-2021-2025"], 2025)
    with pytest.raises(RuleViolation) as caught:
        actions.enter_value(users["editor"], result_of(a2025, "15.1"), value=101)
    assert caught.value.rule == "criteria.range"
    result = actions.enter_value(users["editor"], result_of(a2025, "15.1"), value=93.5)
    assert (result.value, result.status, result.reason) == (93.5, "pending", "threshold_unset")


@pytest.mark.parametrize(("name", "content", "rule"), [
    ("virus.exe", b"MZ....", "criteria.evidence_type"),
    ("fake.pdf", b"<html>not a pdf</html>", "criteria.evidence_content"),
    ("empty.pdf", b"", "criteria.evidence_empty"),
])
def test_evidence_type_and_content_are_checked(assessment, users, name, content, rule):
    upload = SimpleUploadedFile(name, content)
    with pytest.raises(RuleViolation) as caught:
        actions.add_evidence(users["editor"], result_of(assessment, "1.1"), upload)
    assert caught.value.rule == rule
    assert not Evidence.objects.exists()


def test_evidence_size_limit(assessment, users, monkeypatch):
    monkeypatch.setattr(actions, "MAX_EVIDENCE_BYTES", 20)
    with pytest.raises(RuleViolation) as caught:
        actions.add_evidence(users["editor"], result_of(assessment, "1.1"), pdf_upload(body=b"x" * 40))
    assert caught.value.rule == "criteria.evidence_size"


def test_evidence_is_stored_under_media_root_with_its_hash(assessment, users, media):
    evidence = actions.add_evidence(users["editor"], result_of(assessment, "1.1"), pdf_upload("Biên bản.pdf"),
                                    description="Biên bản họp")
    assert evidence.original_name == "Biên bản.pdf" and evidence.content_type == "application/pdf"
    stored = media / evidence.file.name
    assert stored.is_file() and evidence.file.name.startswith("criteria/evidence/25/09154/")
    import hashlib

    assert hashlib.sha256(stored.read_bytes()).hexdigest() == evidence.sha256
    with pytest.raises(RuleViolation):  # automatic indicators take no evidence
        actions.add_evidence(users["editor"], result_of(assessment, "7.2"), pdf_upload())


def test_submission_needs_evidence_for_every_entered_value(assessment, users):
    editor = users["editor"]
    actions.enter_value(editor, result_of(assessment, "1.1"), met=True)
    actions.enter_value(editor, result_of(assessment, "7.5"), met=False)
    with pytest.raises(RuleViolation) as caught:
        actions.submit_assessment(editor, assessment)
    assert caught.value.rule == "criteria.evidence_missing" and "1.1, 7.5" in caught.value.vi


def test_review_cycle_keeps_every_step_and_locks_on_approval(assessment, users):
    editor, reader, outsider = users["editor"], users["reader"], users["outsider"]
    with pytest.raises(RuleViolation):
        actions.comment_assessment(reader, assessment, "Chưa gửi")  # draft: nothing to comment on yet
    fill_entered(assessment, editor)
    assessment = actions.submit_assessment(editor, assessment, "Xã gửi")
    for who in (editor, outsider):  # the commune does not decide; outsiders do not exist
        with pytest.raises(Http404):
            actions.approve_assessment(who, assessment)
        with pytest.raises(Http404):
            actions.return_assessment(who, assessment, "x")
    with pytest.raises(RuleViolation):
        actions.enter_value(editor, result_of(assessment, "1.1"), met=False)  # submitted: read-only
    actions.comment_assessment(reader, assessment, "Xem lại 7.2")
    with pytest.raises(RuleViolation):
        actions.return_assessment(reader, assessment, "   ")  # a reason is required
    assessment = actions.return_assessment(reader, assessment, "Bổ sung minh chứng 7.5")
    assert assessment.status == AssessmentStatus.RETURNED
    actions.add_evidence(editor, result_of(assessment, "7.5"), pdf_upload("bo-sung.pdf"))
    assessment = actions.submit_assessment(editor, assessment, "Đã bổ sung")
    assessment = actions.approve_assessment(reader, assessment, "Đồng ý")
    assert assessment.status == AssessmentStatus.APPROVED and assessment.decided_by == reader
    with pytest.raises(RuleViolation):
        actions.enter_value(editor, result_of(assessment, "1.2"), met=False)
    with pytest.raises(RuleViolation):
        actions.add_evidence(editor, result_of(assessment, "1.2"), pdf_upload())
    with pytest.raises(RuleViolation):
        actions.refresh_automatic(editor, assessment)
    steps = list(ReviewStep.objects.filter(assessment=assessment).values_list("kind", "comment", "actor__username"))
    assert steps == [("created", "", "editor"), ("submitted", "Xã gửi", "editor"), ("commented", "Xem lại 7.2", "reader"),
                     ("returned", "Bổ sung minh chứng 7.5", "reader"), ("submitted", "Đã bổ sung", "editor"),
                     ("approved", "Đồng ý", "reader")]
    approved = ReviewStep.objects.get(assessment=assessment, kind="approved")
    assert approved.data["criteria_total"] == 10 and approved.data["indicators_met"] == 5


def test_reopening_one_indicator_opens_only_that_one_and_is_recorded(assessment, users):
    editor, reader = users["editor"], users["reader"]
    fill_entered(assessment, editor)
    actions.approve_assessment(reader, actions.submit_assessment(editor, assessment))
    with pytest.raises(Http404):
        actions.reopen_indicator(editor, assessment, "1.2", "x")
    with pytest.raises(RuleViolation):
        actions.reopen_indicator(reader, assessment, "7.2", "automatic")  # follows the records
    actions.reopen_indicator(reader, assessment, "1.2", "Cập nhật quy định sau sáp nhập")
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.REOPENED
    with pytest.raises(RuleViolation):
        actions.enter_value(editor, result_of(assessment, "1.1"), met=False)  # not reopened
    actions.enter_value(editor, result_of(assessment, "1.2"), met=True, note="Ban hành lại")
    actions.add_evidence(editor, result_of(assessment, "1.2"), pdf_upload("ban-hanh-lai.pdf"))
    assessment = actions.submit_assessment(editor, assessment)
    assessment = actions.approve_assessment(reader, assessment)
    assert not assessment.results.filter(reopened=True).exists()
    kinds = list(ReviewStep.objects.filter(assessment=assessment).values_list("kind", "indicator__code"))
    assert kinds[-5:] == [("reopened", "1.2"), ("changed", "1.2"), ("changed", "1.2"), ("submitted", None),
                          ("approved", None)]
    change = ReviewStep.objects.filter(assessment=assessment, kind="changed").first()
    assert change.data["old"]["note"] == "Đạt 1.2" and change.data["new"]["note"] == "Ban hành lại"
    assert AuditEntry.objects.filter(action="criteria.indicator_reopen").count() == 1


def test_refresh_rereads_the_values_while_editable(assessment, users, territory):
    from .factories import put_values

    put_values(territory["a"], {"PAY-ADULT": (960, 1000)}, period="202612")
    actions.refresh_automatic(users["editor"], assessment)
    result = result_of(assessment, "7.2")
    assert (result.period, result.value, result.status) == ("202612", 96.0, "met")
    with pytest.raises(Http404):
        actions.refresh_automatic(users["reader"], assessment)


def test_classification_is_the_provinces_and_closes_the_previous_row(territory, users, sets):
    from langso.criteria.models import CommuneClassification, Scheme

    with pytest.raises(Http404):
        actions.classify_commune(users["editor"], territory["a"], Scheme.GROUP_2026, "group1", source="x")
    with pytest.raises(RuleViolation):
        actions.classify_commune(users["reader"], territory["a"], Scheme.GROUP_2026, "dbsh", source="QĐ")
    import datetime as dt

    actions.classify_commune(users["reader"], territory["a"], Scheme.GROUP_2026, "group2", source="QĐ 1")
    actions.classify_commune(users["reader"], territory["a"], Scheme.GROUP_2026, "group1", source="QĐ 2",
                             valid_from=dt.date(2027, 1, 1))
    rows = list(CommuneClassification.objects.filter(unit=territory["a"]).order_by("valid_from")
                .values_list("value", "valid_from", "valid_to"))
    assert rows == [("group2", dt.date(2026, 1, 1), dt.date(2026, 12, 31)), ("group1", dt.date(2027, 1, 1), None)]
    assert actions.classification_of(territory["a"], Scheme.GROUP_2026, 2026).value == "group2"
    assert actions.classification_of(territory["a"], Scheme.GROUP_2026, 2028).value == "group1"
