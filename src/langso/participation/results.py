"""Survey results: response rate, satisfaction index per question and per commune, free text,
and the province's comparison of communes. Reads only; callers pass rows they may see.

Definitions (docs/participation.md):
- response rate = responses / households given a code for the run (× 100);
- satisfaction index of a question = answers on a "satisfied" point / answers on any point
  (× 100; "don't know" and skipped questions are left out) — the share of satisfied answers;
- satisfaction index of a commune (a run) = the same ratio over all scale answers of the run.

Anonymity: nothing is shown of a run with fewer than :data:`MIN_CELL` responses, and details
(index, distributions, free text, exports) only once the run is closed, so an officer cannot
watch a code being used and the next answer appearing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q

from .models import Answer, Feedback, OnlineService, Response, SurveyCode, SurveyKind, SurveyRun

MIN_CELL = 5


def pct(numerator: int, denominator: int) -> float | None:
    return None if not denominator else round(100.0 * numerator / denominator, 1)


@dataclass
class QuestionResult:
    code: str
    text_vi: str
    text_en: str
    answered: int  # on a point of the scale
    dont_know: int
    satisfied: int
    distribution: list[dict[str, Any]] = field(default_factory=list)  # [{value, vi, en, count}]
    suppressed: bool = False

    @property
    def index(self) -> float | None:
        return None if self.suppressed else pct(self.satisfied, self.answered)

    @property
    def mean(self) -> float | None:
        if self.suppressed or not self.answered:
            return None
        return round(sum(d["value"] * d["count"] for d in self.distribution) / self.answered, 2)


@dataclass
class RunSummary:
    run: SurveyRun
    eligible: int  # households holding a code
    used: int
    responses: int
    released: bool  # details may be shown
    reason: str  # why not, when not released ("open", "few")
    satisfied: int = 0
    answered: int = 0

    @property
    def response_rate(self) -> float | None:
        return pct(self.responses, self.eligible)

    @property
    def index(self) -> float | None:
        return pct(self.satisfied, self.answered) if self.released else None


def summary(run: SurveyRun, today: dt.date) -> RunSummary:
    """Counts of one run and whether its details are released on ``today``. Three small queries."""
    codes = SurveyCode.objects.filter(run=run).aggregate(n=Count("pk"), used=Count("pk", filter=Q(used=True)))
    responses = Response.objects.filter(run=run).count()
    if not run.is_closed(today):
        released, reason = False, "open"
    elif responses < MIN_CELL:
        released, reason = False, "few"
    else:
        released, reason = True, ""
    result = RunSummary(run, codes["n"], codes["used"], responses, released, reason)
    if released:
        totals = Answer.objects.filter(run=run, satisfied__isnull=False).aggregate(
            n=Count("pk"), sat=Count("pk", filter=Q(satisfied=True)))
        result.answered, result.satisfied = totals["n"], totals["sat"]
    return result


def questions(run: SurveyRun, released: bool = True) -> list[QuestionResult]:
    """Per scale question: counts per point, "don't know", satisfied; suppressed when the
    question has fewer than :data:`MIN_CELL` answers or the run is not ``released``. One query."""
    rows = (Answer.objects.filter(run=run).exclude(value__isnull=True, text__gt="").order_by()
            .values("question", "value").annotate(n=Count("pk")))
    counts: dict[str, dict[int | None, int]] = {}
    for row in rows:
        counts.setdefault(row["question"], {})[row["value"]] = row["n"]
    definition = run.definition
    out = []
    for question in definition["questions"]:
        if question["type"] != "scale":
            continue
        scale = definition["scales"][question["scale"]]
        by_value = counts.get(question["code"], {})
        distribution = [{"value": p["value"], "vi": p["vi"], "en": p["en"], "count": by_value.get(p["value"], 0)}
                        for p in scale["points"]]
        answered = sum(d["count"] for d in distribution)
        satisfied = sum(d["count"] for d in distribution if d["value"] in scale["satisfied"])
        result = QuestionResult(question["code"], question["text"]["vi"], question["text"]["en"], answered,
                                by_value.get(None, 0), satisfied, distribution)
        if not released or answered < MIN_CELL:
            result.suppressed = True
            result.distribution = []
            result.satisfied = 0
        out.append(result)
    return out


def free_texts(run: SurveyRun) -> list[dict[str, Any]]:
    """Free-text answers per text question, sorted alphabetically (never in arrival order):
    ``[{code, text_vi, text_en, answers: [str]}]``. Callers check the run is released."""
    texts: dict[str, list[str]] = {}
    for question, text in (Answer.objects.filter(run=run, value__isnull=True).exclude(text="")
                           .order_by("text").values_list("question", "text")):
        texts.setdefault(question, []).append(text)
    return [{"code": q["code"], "text_vi": q["text"]["vi"], "text_en": q["text"]["en"],
             "answers": texts.get(q["code"], [])}
            for q in run.definition["questions"] if q["type"] == "text"]


def response_table(run: SurveyRun) -> tuple[list[dict[str, Any]], list[list[Any]]]:
    """One anonymous row per response for exports: ``(columns, rows)``.

    Rows are ordered by the response's random key (no arrival order) and carry no date. A
    scale answer is its point, "don't know" is ``"dk"``, a skipped question ``None``.
    """
    columns = [{"code": q["code"], "vi": q["text"]["vi"], "en": q["text"]["en"], "type": q["type"]}
               for q in run.definition["questions"]]
    position = {c["code"]: i for i, c in enumerate(columns)}
    rows: dict[Any, list[Any]] = {}
    for response_id, question, value, text in (Answer.objects.filter(run=run).order_by("response_id", "id")
                                               .values_list("response_id", "question", "value", "text")):
        row = rows.setdefault(response_id, [None] * len(columns))
        if question in position:
            row[position[question]] = value if value is not None else (text or "dk")
    for response_id in Response.objects.filter(run=run).values_list("pk", flat=True):
        rows.setdefault(response_id, [None] * len(columns))
    return columns, [rows[k] for k in sorted(rows, key=str)]


# --- province comparison ---------------------------------------------------------------------------

@dataclass
class CommuneRow:
    commune: Any
    services: int = 0
    run: SurveyRun | None = None
    eligible: int = 0
    responses: int = 0
    answered: int = 0
    satisfied: int = 0
    feedback_due: int = 0
    feedback_on_time: int = 0

    @property
    def response_rate(self) -> float | None:
        return pct(self.responses, self.eligible)

    @property
    def index(self) -> float | None:
        return pct(self.satisfied, self.answered) if self.run is not None else None

    @property
    def on_time(self) -> float | None:
        return pct(self.feedback_on_time, self.feedback_due)


def comparison(communes: list[Any], today: dt.date) -> list[CommuneRow]:
    """For each commune: active online services, its latest released satisfaction run (closed,
    ≥ :data:`MIN_CELL` responses) with rate and index, and feedback answered on time over the
    last 365 days. A fixed number of grouped queries, whatever the number of communes."""
    ids = [c.pk for c in communes]
    rows = {c.pk: CommuneRow(c) for c in communes}
    active = Q(available_since__lte=today) & (Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=today))
    for row in OnlineService.objects.filter(active, commune_id__in=ids).values("commune_id").annotate(n=Count("pk")):
        rows[row["commune_id"]].services = row["n"]
    candidates = (SurveyRun.objects.filter(commune_id__in=ids, kind=SurveyKind.SATISFACTION, closes_on__lt=today)
                  .annotate(n_responses=Count("responses")).filter(n_responses__gte=MIN_CELL)
                  .order_by("commune_id", "-closes_on", "-id"))
    latest: dict[int, SurveyRun] = {}
    for run in candidates:
        latest.setdefault(run.commune_id, run)
    run_ids = [r.pk for r in latest.values()]
    eligible = dict(SurveyCode.objects.filter(run_id__in=run_ids).order_by().values("run_id")
                    .annotate(n=Count("pk")).values_list("run_id", "n"))
    sat = {r["run_id"]: r for r in Answer.objects.filter(run_id__in=run_ids, satisfied__isnull=False).order_by()
           .values("run_id").annotate(n=Count("pk"), s=Count("pk", filter=Q(satisfied=True)))}
    for commune_id, run in latest.items():
        row = rows[commune_id]
        row.run, row.responses, row.eligible = run, run.n_responses, eligible.get(run.pk, 0)
        row.answered, row.satisfied = sat.get(run.pk, {}).get("n", 0), sat.get(run.pk, {}).get("s", 0)
    window = today - dt.timedelta(days=365)
    due = feedback_due_q(today) & Q(received_on__gt=window)
    for row in (Feedback.objects.filter(due, commune_id__in=ids).order_by().values("commune_id")
                .annotate(n=Count("pk"), ok=Count("pk", filter=on_time_q(today)))):
        rows[row["commune_id"]].feedback_due = row["n"]
        rows[row["commune_id"]].feedback_on_time = row["ok"]
    return [rows[c.pk] for c in communes]


def feedback_due_q(as_of: dt.date) -> Q:
    """Feedback that had to be answered by ``as_of``: its deadline has passed, or it was answered."""
    return Q(deadline_on__lte=as_of) | Q(answered_on__isnull=False, answered_on__lte=as_of)


def on_time_q(as_of: dt.date) -> Q:
    """Answered by ``as_of`` and no later than the deadline."""
    return Q(answered_on__isnull=False, answered_on__lte=as_of) & Q(answered_on__lte=F("deadline_on"))
