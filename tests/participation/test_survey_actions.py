"""Survey definitions, runs, one-time codes and anonymous responses (langso.participation.actions)."""

from __future__ import annotations

import datetime as dt

import pytest

from langso.audit.models import AuditEntry
from langso.lib.errors import RuleViolation
from langso.participation import actions, definitions
from langso.participation.models import Answer, Response, SurveyCode

from .conftest import TODAY, all_satisfied, codes_of, make_households


def test_shipped_default_survey_is_valid_and_bilingual():
    survey = definitions.get(definitions.DEFAULT_SURVEY)
    assert survey["kind"] == "satisfaction"
    assert "924" in survey["source"] and "không phải mẫu phiếu chính thức" in survey["source"]
    scale_questions = [q for q in survey["questions"] if q["type"] == "scale"]
    assert len(scale_questions) >= 10
    assert any(q["type"] == "text" for q in survey["questions"])
    for q in survey["questions"]:
        assert q["text"]["vi"] and q["text"]["en"]
    assert survey["scales"]["satisfaction5"]["satisfied"] == [4, 5]


@pytest.mark.parametrize("yaml_text, field", [
    ("code: x y\nquestions: []", "code"),
    ("code: ok\ntitle: {vi: A}\nscales: {}\nquestions: []", "title"),
    ("code: ok\ntitle: {vi: A, en: A}\nscales: {s: {points: [{value: 1, vi: a, en: a}], satisfied: [1]}}\n"
     "questions: []", "scales.s.points"),
    ("code: ok\ntitle: {vi: A, en: A}\nscales: {s: {points: [{value: 1, vi: a, en: a}, {value: 2, vi: b, en: b}],"
     " satisfied: [3]}}\nquestions: []", "scales.s.satisfied"),
    ("code: ok\ntitle: {vi: A, en: A}\nscales: {}\nquestions: [{code: q1, type: scale, scale: nope, "
     "text: {vi: a, en: a}}]", "questions[0].scale"),
    ("code: ok\ntitle: {vi: A, en: A}\nquestions: [{code: q1, type: text, text: {vi: a, en: a}}]", "questions"),
    ("code: [unclosed", "survey"),
])
def test_bad_definitions_name_the_key(yaml_text, field):
    with pytest.raises(RuleViolation) as exc:
        definitions.parse(yaml_text)
    assert exc.value.field == field
    assert exc.value.vi and exc.value.en


def test_open_survey_snapshots_definition_and_audits(run, territory):
    assert run.definition["code"] == "ntm-satisfaction"
    assert run.kind == "satisfaction"
    assert AuditEntry.objects.filter(action="participation.run_opened", unit=territory["a"]).exists()


def test_run_dates_are_checked(territory, users):
    with pytest.raises(RuleViolation) as exc:
        actions.open_survey(users["editor"], territory["a"], survey_code="ntm-satisfaction",
                            opens_on=TODAY, closes_on=TODAY - dt.timedelta(days=1))
    assert exc.value.field == "closes_on"
    with pytest.raises(RuleViolation):
        actions.open_survey(users["editor"], territory["a"], survey_code="ntm-satisfaction",
                            opens_on=TODAY, closes_on=TODAY + dt.timedelta(days=400))
    with pytest.raises(RuleViolation) as exc:
        actions.open_survey(users["editor"], territory["a"], survey_code="no-such", opens_on=TODAY, closes_on=TODAY)
    assert exc.value.field == "survey_code"


def test_codes_one_per_household_idempotent_and_unambiguous(run, households, territory):
    assert run.codes.count() == len(households)
    assert actions.issue_codes(None, run) == 0
    new = make_households(territory["a"], territory["va"], 3, start=100)
    assert actions.issue_codes(None, run) == 3
    for code in codes_of(run):
        assert len(code) == 8 and set(code) <= set(actions.CODE_ALPHABET)
        assert not set(code) & set("01OIL")
    assert len(set(codes_of(run))) == run.codes.count()
    assert {c.household_id for c in run.codes.all()} >= {h.pk for h in new}


def test_codes_for_households_for_address_cards(run, households, territory):
    extra = make_households(territory["a"], None, 2, start=200)
    ids = [households[0].pk, extra[0].pk, extra[1].pk]
    codes = actions.codes_for_households(None, run, ids)
    assert set(codes) == set(ids)
    assert codes[households[0].pk] == SurveyCode.objects.get(run=run, household=households[0]).code
    assert actions.codes_for_households(None, run, ids) == codes  # stable
    assert actions.format_code("ABCDEFGH") == "ABCD-EFGH"


def test_codes_for_households_refuses_other_communes(run, territory):
    foreign = make_households(territory["c"], None, 1)
    with pytest.raises(RuleViolation) as exc:
        actions.codes_for_households(None, run, [foreign[0].pk])
    assert exc.value.field == "household_ids"
    assert not SurveyCode.objects.filter(household=foreign[0]).exists()


def test_response_spends_the_code_once(run):
    code = codes_of(run)[0]
    response = actions.submit_response(run, code=actions.format_code(code).lower(),
                                       answers={**all_satisfied(run.definition, "4"), "improve": "Thêm đèn đường"},
                                       today=TODAY)
    assert SurveyCode.objects.get(code=code).used
    assert response.answers.count() == 12
    assert Answer.objects.filter(response=response, satisfied=True).count() == 11
    with pytest.raises(RuleViolation) as exc:
        actions.submit_response(run, code=code, answers=all_satisfied(run.definition), today=TODAY)
    assert exc.value.rule == "participation.code.invalid"
    assert Response.objects.count() == 1


def test_wrong_code_and_closed_run_store_nothing(run):
    with pytest.raises(RuleViolation) as exc:
        actions.submit_response(run, code="ZZZZ-ZZZZ", answers={"roads": "3"}, today=TODAY)
    assert exc.value.field == "code"
    with pytest.raises(RuleViolation) as exc:
        actions.submit_response(run, code=codes_of(run)[0], answers={"roads": "3"},
                                today=run.closes_on + dt.timedelta(days=1))
    assert exc.value.rule == "participation.run.closed"
    assert Response.objects.count() == 0 and not SurveyCode.objects.filter(used=True).exists()


def test_bad_answers_do_not_spend_the_code(run):
    code = codes_of(run)[0]
    for answers, field in [({"roads": "9"}, "roads"), ({}, "answers"), ({"improve": "x" * 1001}, "improve")]:
        with pytest.raises(RuleViolation) as exc:
            actions.submit_response(run, code=code, answers=answers, today=TODAY)
        assert exc.value.field == field
    assert not SurveyCode.objects.get(code=code).used


def test_dont_know_and_skipped_answers(run):
    response = actions.submit_response(run, code=codes_of(run)[0], answers={"roads": "dk", "health": "2"}, today=TODAY)
    rows = {a.question: a for a in response.answers.all()}
    assert set(rows) == {"roads", "health"}
    assert rows["roads"].value is None and rows["roads"].satisfied is None
    assert rows["health"].value == 2 and rows["health"].satisfied is False


def test_response_has_no_link_to_household_or_code():
    """The anonymity guarantee is structural: no column of a response or answer can point back."""
    for model in (Response, Answer):
        related = {f.related_model for f in model._meta.get_fields() if f.is_relation and f.many_to_one}
        assert SurveyCode not in related
        assert not any(m._meta.label in {"registry.Household", "registry.Resident", "auth.User"} for m in related)
        names = {f.name for f in model._meta.get_fields()}
        assert not names & {"created_at", "submitted_at", "household", "code", "ip"}
    code_fields = {f.name for f in SurveyCode._meta.get_fields()}
    assert not code_fields & {"used_at", "response", "updated_at"}


def test_submission_audit_names_neither_code_nor_household(run):
    code = codes_of(run)[0]
    actions.submit_response(run, code=code, answers={"roads": "5"}, today=TODAY)
    entry = AuditEntry.objects.get(action="participation.response_received")
    assert entry.actor is None and entry.target_id == str(run.pk)
    assert code not in str(entry.data) and entry.data == {}


def test_code_run_finds_open_runs_only(run):
    code = codes_of(run)[0]
    assert actions.code_run(code.lower(), today=TODAY) == run
    assert actions.code_run(code, today=run.closes_on + dt.timedelta(days=1)) is None
    actions.submit_response(run, code=code, answers={"roads": "5"}, today=TODAY)
    assert actions.code_run(code, today=TODAY) is None


def test_change_close_date(run, users):
    actions.change_close_date(users["editor"], run, TODAY + dt.timedelta(days=20))
    run.refresh_from_db()
    assert run.closes_on == TODAY + dt.timedelta(days=20)
    with pytest.raises(RuleViolation):
        actions.change_close_date(users["editor"], run, run.opens_on - dt.timedelta(days=1))
