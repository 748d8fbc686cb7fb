"""Results: response rate, satisfaction index, suppression of small or open runs, free text,
exports, the province comparison, and the indicator metrics."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

from langso.indicators.engine import count_metrics
from langso.participation import actions, exports, results
from langso.participation.metrics import METRICS

from .conftest import TODAY, answer_all, close, codes_of


def test_open_run_shows_counts_only(run):
    answer_all(run, 6)
    summary = results.summary(run, TODAY)
    assert (summary.eligible, summary.used, summary.responses) == (12, 6, 6)
    assert summary.response_rate == 50.0
    assert not summary.released and summary.reason == "open" and summary.index is None
    assert all(q.suppressed and q.index is None for q in results.questions(run, summary.released))


def test_closed_run_with_few_responses_is_withheld(run):
    answer_all(run, results.MIN_CELL - 1)
    close(run)
    summary = results.summary(run, TODAY)
    assert not summary.released and summary.reason == "few"


def test_index_per_question_and_per_commune(run):
    answer_all(run, 4, value="5", text="Làm đường")
    answer_all_rest = codes_of(run)[4:8]
    for code in answer_all_rest:
        actions.submit_response(run, code=code, answers={"roads": "2", "health": "dk"}, today=TODAY)
    close(run)
    summary = results.summary(run, TODAY)
    assert summary.released and summary.responses == 8
    by_code = {q.code: q for q in results.questions(run)}
    roads = by_code["roads"]
    assert (roads.answered, roads.satisfied, roads.index) == (8, 4, 50.0)
    assert roads.mean == 3.5
    assert by_code["health"].dont_know == 4 and by_code["health"].index is None  # 4 answers < MIN_CELL
    assert by_code["health"].suppressed
    # commune index: every scale answer pooled — 11 questions × 4 satisfied + 4 unsatisfied roads
    assert (summary.satisfied, summary.answered) == (44, 48)
    assert summary.index == round(100 * 44 / 48, 1)


def test_free_text_alphabetical_and_released_only(run):
    for code, text in zip(codes_of(run)[:5], ["Trồng cây", "Ánh sáng", "Đường", "Bãi rác", "Cầu"], strict=True):
        actions.submit_response(run, code=code, answers={"roads": "4", "improve": text}, today=TODAY)
    close(run)
    groups = results.free_texts(run)
    assert groups[0]["code"] == "improve"
    assert groups[0]["answers"] == sorted(["Trồng cây", "Ánh sáng", "Đường", "Bãi rác", "Cầu"])


def test_exports_csv_and_xlsx(run):
    answer_all(run, 5, value="4", text="=HYPERLINK(\"http://x\")")
    close(run)
    summary = results.summary(run, TODAY)
    body = exports.csv_response(run, summary).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[4] == ["Số phiếu / Responses", "5"]
    header = next(r for r in rows if r and r[0].startswith("roads:"))
    answers = rows[rows.index(header) + 1:]
    assert len(answers) == 5 and all(r[0] == "4" for r in answers)
    assert all(r[-1].startswith("'=") for r in answers)  # formula neutralised
    data = exports.xlsx_bytes(run, summary)
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        names = book.namelist()
        assert "xl/worksheets/sheet2.xml" in names
        strings = book.read("xl/sharedStrings.xml").decode()
        assert "HYPERLINK" in strings and "<f>" not in book.read("xl/worksheets/sheet2.xml").decode()


def test_export_of_unreleased_run_holds_counts_only(run):
    answer_all(run, 3, text="Bí mật")
    body = exports.csv_response(run, results.summary(run, TODAY)).content.decode("utf-8-sig")
    assert "Bí mật" not in body and "Ghi chú / Note" in body


def test_open_run_for(run, territory):
    from langso.participation.queries import open_run_for

    assert open_run_for(territory["a"], TODAY) == run
    assert open_run_for(territory["a"], run.closes_on + dt.timedelta(days=1)) is None
    assert open_run_for(territory["c"], TODAY) is None


def test_province_comparison(run, territory, users):
    answer_all(run, 6, value="5")
    close(run)
    actions.enable_builtin(users["editor"], territory["a"], "participation.feedback", available_since=TODAY)
    rows = results.comparison([territory["a"], territory["c"]], TODAY)
    a, c = rows
    assert a.services == 1 and a.run == run and a.response_rate == 50.0 and a.index == 100.0
    assert c.services == 0 and c.run is None and c.index is None


def test_metrics(run, territory, users):
    answer_all(run, 6, value="5")
    assert count_metrics(["participation.units_meeting_soc1"], TODAY)["participation.units_meeting_soc1"] == {}
    actions.enable_builtin(users["editor"], territory["a"], "participation.surveys", available_since=TODAY)
    counts = count_metrics([m.code for m in METRICS], TODAY)
    a, c = territory["a"].pk, territory["c"].pk
    assert counts["participation.units"][a] == 1 and counts["participation.units"][c] == 1
    assert territory["p25"].pk not in counts["participation.units"]
    assert counts["participation.units_with_online_service"] == {a: 1}
    assert counts["participation.units_collecting_satisfaction"] == {a: 1}
    assert counts["participation.units_meeting_soc1"] == {a: 1}
    assert counts["participation.satisfaction_answers"] == {a: 66}
    assert counts["participation.satisfaction_answers_satisfied"] == {a: 66}
    later = count_metrics(["participation.units_collecting_satisfaction"], TODAY + dt.timedelta(days=400))
    assert later["participation.units_collecting_satisfaction"] == {}
    before = count_metrics(["participation.units_with_online_service"], TODAY - dt.timedelta(days=1))
    assert before["participation.units_with_online_service"] == {}
