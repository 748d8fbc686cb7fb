"""Every write of the participation app: the catalogue, survey runs and codes, responses, feedback.

Officer actions take the acting user first and are audited in the same transaction
(:func:`langso.audit.log.record`); the views check access before calling them. Public actions
(:func:`submit_response`, :func:`submit_feedback`) take no user. Bad input raises
:class:`~langso.lib.errors.RuleViolation` naming the field; nothing is half-written.

No check-then-act: a one-time code is spent by a conditional ``UPDATE … WHERE used = false`` in
the transaction that stores the answers, so two submissions of one code cannot both succeed.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from langso.audit.log import record
from langso.lib.errors import RuleViolation
from langso.lib.vietnamese import nfc
from langso.registry.models import Household

from . import builtins, deadlines, definitions
from .models import (
    Answer,
    Feedback,
    FeedbackCategory,
    FeedbackStatus,
    OnlineService,
    Response,
    ServiceField,
    SurveyCode,
    SurveyRun,
)
from .photos import clean_photo

# Unambiguous on paper and on a small screen: no 0/O, 1/I/L.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8  # 31**8 ≈ 8.5e11 possibilities; guessing is also rate-limited
MAX_RUN_DAYS = 366
DONT_KNOW = "dk"


def _violation(field: str, rule: str, vi: str, en: str, source: str = "") -> RuleViolation:
    return RuleViolation(field, f"participation.{rule}", vi, en, source)


def new_code(length: int = CODE_LENGTH) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def normalise_code(raw: str) -> str:
    """What a person typed → the stored form: upper case, spaces and dashes removed."""
    return "".join(ch for ch in (raw or "").upper() if ch.isalnum())


def format_code(code: str) -> str:
    """``ABCDEFGH`` → ``ABCD-EFGH`` (as printed)."""
    return f"{code[:4]}-{code[4:]}" if len(code) == 8 else code


# --- online services ---------------------------------------------------------------------------

def add_service(actor: Any, commune: Any, *, field: str, name: str, url: str, available_since: dt.date,
                description: str = "") -> OnlineService:
    """List an external online service (``url``) in the commune's catalogue.

    Raises ``RuleViolation`` for an unknown field, an empty name or a URL not starting with
    ``https://`` or ``http://``.
    """
    name = nfc(name).strip()
    url = (url or "").strip()
    if field not in ServiceField.values:
        raise _violation("field", "service.field", "Lĩnh vực không hợp lệ.", "Unknown field.",
                         "Quyết định 924/QĐ-TTg, SOC-1")
    if not name:
        raise _violation("name", "service.name", "Cần tên dịch vụ.", "The service needs a name.")
    if not url.startswith(("https://", "http://")):
        raise _violation("url", "service.url", "Đường dẫn phải bắt đầu bằng https:// hoặc http://.",
                         "The link must start with https:// or http://.")
    with transaction.atomic():
        service = OnlineService.objects.create(commune=commune, field=field, name=name, url=url,
                                               description=nfc(description).strip(), available_since=available_since)
        record(actor, "participation.service_added", service, unit=commune,
               data={"field": field, "name": name, "url": url, "since": available_since.isoformat()})
    return service


def enable_builtin(actor: Any, commune: Any, key: str, *, available_since: dt.date) -> OnlineService:
    """List a built-in service of Làng số (:mod:`.builtins`) in the commune's catalogue.

    Raises ``RuleViolation``: unknown key, not available in this commune (e.g. the residence
    procedure without a signing credential), or already listed.
    """
    service = builtins.registered().get(key)
    if service is None:
        raise _violation("builtin_key", "service.builtin", "Không có dịch vụ dựng sẵn này.", "No such built-in service.")
    if not service.is_available(commune):
        raise _violation("builtin_key", "service.unavailable", "Xã chưa đủ điều kiện cung cấp dịch vụ này.",
                         "This commune cannot offer this service yet.")
    try:
        with transaction.atomic():
            row = OnlineService.objects.create(
                commune=commune, field=service.field, name=service.name_vi, description=service.description_vi,
                builtin_key=key, available_since=available_since,
            )
            record(actor, "participation.service_enabled", row, unit=commune,
                   data={"key": key, "since": available_since.isoformat()})
    except IntegrityError:
        raise _violation("builtin_key", "service.duplicate", "Dịch vụ này đã có trong danh mục.",
                         "This service is already listed.") from None
    return row


def withdraw_service(actor: Any, service: OnlineService, *, withdrawn_on: dt.date) -> OnlineService:
    """Mark a service as no longer offered from ``withdrawn_on`` (the row stays, for history)."""
    if service.withdrawn_on is not None:
        raise _violation("withdrawn_on", "service.withdrawn", "Dịch vụ đã ngừng.", "The service is already withdrawn.")
    if withdrawn_on < service.available_since:
        raise _violation("withdrawn_on", "service.withdrawn_before", "Ngày ngừng trước ngày bắt đầu.",
                         "Withdrawal date before the start date.")
    with transaction.atomic():
        updated = OnlineService.objects.filter(pk=service.pk, withdrawn_on__isnull=True).update(withdrawn_on=withdrawn_on)
        if not updated:
            raise _violation("withdrawn_on", "service.withdrawn", "Dịch vụ đã ngừng.", "The service is already withdrawn.")
        service.withdrawn_on = withdrawn_on
        record(actor, "participation.service_withdrawn", service, unit=service.commune,
               data={"on": withdrawn_on.isoformat()})
    return service


# --- survey runs and codes ---------------------------------------------------------------------

def open_survey(actor: Any, commune: Any, *, survey_code: str, opens_on: dt.date, closes_on: dt.date) -> SurveyRun:
    """Start a run of a shipped survey definition in ``commune`` (dates inclusive).

    Raises ``RuleViolation``: unknown survey, close before open, or longer than 366 days.
    """
    definition = definitions.get(survey_code)
    if closes_on < opens_on:
        raise _violation("closes_on", "run.dates", "Ngày đóng trước ngày mở.", "Closing date before opening date.")
    if (closes_on - opens_on).days > MAX_RUN_DAYS:
        raise _violation("closes_on", "run.length", "Một đợt khảo sát dài tối đa 366 ngày.",
                         "A survey run lasts at most 366 days.")
    with transaction.atomic():
        run = SurveyRun.objects.create(
            commune=commune, survey_code=definition["code"], survey_version=definition["version"],
            kind=definition["kind"], title_vi=definition["title"]["vi"], title_en=definition["title"]["en"],
            definition=definition, opens_on=opens_on, closes_on=closes_on,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        record(actor, "participation.run_opened", run, unit=commune,
               data={"survey": survey_code, "opens_on": opens_on.isoformat(), "closes_on": closes_on.isoformat()})
    return run


def change_close_date(actor: Any, run: SurveyRun, closes_on: dt.date) -> SurveyRun:
    """Extend or shorten a run. Raises ``RuleViolation`` like :func:`open_survey`."""
    if closes_on < run.opens_on:
        raise _violation("closes_on", "run.dates", "Ngày đóng trước ngày mở.", "Closing date before opening date.")
    if (closes_on - run.opens_on).days > MAX_RUN_DAYS:
        raise _violation("closes_on", "run.length", "Một đợt khảo sát dài tối đa 366 ngày.",
                         "A survey run lasts at most 366 days.")
    with transaction.atomic():
        old = run.closes_on
        SurveyRun.objects.filter(pk=run.pk).update(closes_on=closes_on)
        run.closes_on = closes_on
        record(actor, "participation.run_dates_changed", run, unit=run.commune,
               data={"closes_on": closes_on.isoformat(), "was": old.isoformat()})
    return run


def _issue(run: SurveyRun, households: list[tuple[int, int | None]]) -> int:
    """Create codes for ``(household_id, village_id)`` pairs lacking one; returns how many were made.

    Codes are random; the rare collision with an existing code is retried with fresh codes.
    """
    existing = set(SurveyCode.objects.filter(run=run).values_list("household_id", flat=True))
    todo = [(hh, village) for hh, village in households if hh not in existing]
    made = 0
    batch = 2000
    for start in range(0, len(todo), batch):
        chunk = todo[start:start + batch]
        for attempt in range(5):
            codes = set()
            while len(codes) < len(chunk):
                codes.add(new_code())
            rows = [SurveyCode(run=run, commune_id=run.commune_id, household_id=hh, village_id=village, code=code)
                    for (hh, village), code in zip(chunk, codes, strict=True)]
            try:
                with transaction.atomic():
                    SurveyCode.objects.bulk_create(rows)
                break
            except IntegrityError:
                if attempt == 4:
                    raise
        made += len(chunk)
    return made


def issue_codes(actor: Any, run: SurveyRun) -> int:
    """Give every current household of the run's commune a code (idempotent); returns codes made."""
    with transaction.atomic():
        households = list(Household.objects.filter(commune_id=run.commune_id).active()
                          .order_by("id").values_list("id", "village_id"))
        made = _issue(run, households)
        record(actor, "participation.codes_issued", run, unit=run.commune, data={"made": made})
    return made


def codes_for_households(actor: Any, run: SurveyRun, household_ids: Iterable[int]) -> dict[int, str]:
    """The one-time code of each household for ``run``, issuing missing ones: ``{household_id: code}``.

    For printing on address cards (the addressing app) or lists. Codes are returned as stored
    (8 characters); print them with :func:`format_code`. Raises ``RuleViolation`` if a household
    is not a current household of the run's commune.
    """
    wanted = sorted(set(household_ids))
    with transaction.atomic():
        found = list(Household.objects.filter(pk__in=wanted, commune_id=run.commune_id).active()
                     .values_list("id", "village_id"))
        if len(found) != len(wanted):
            missing = sorted(set(wanted) - {hh for hh, _ in found})[:5]
            raise _violation("household_ids", "codes.household",
                             f"Hộ không thuộc xã của đợt khảo sát: {missing}.",
                             f"Households not in the survey's commune: {missing}.")
        made = _issue(run, found)
        if made:
            record(actor, "participation.codes_issued", run, unit=run.commune, data={"made": made, "for": "households"})
        return dict(SurveyCode.objects.filter(run=run, household_id__in=wanted).values_list("household_id", "code"))


# --- responses (public) ---------------------------------------------------------------------------

def clean_answers(definition: Mapping[str, Any], raw: Mapping[str, str]) -> list[dict[str, Any]]:
    """Validate form values against a definition: ``[{question, value, text, satisfied}]``.

    ``raw`` maps question codes to the submitted strings: a scale point, ``"dk"`` (don't know) or
    ``""`` (skipped) for scale questions; text for text questions. Raises ``RuleViolation`` naming
    the question for an unknown point or a too-long text, and ``answers.empty`` when nothing at
    all was answered.
    """
    out = []
    for question in definition["questions"]:
        code = question["code"]
        value = (raw.get(code) or "").strip()
        if not value:
            continue
        if question["type"] == "scale":
            scale = definition["scales"][question["scale"]]
            if value == DONT_KNOW and "dont_know" in scale:
                out.append({"question": code, "value": None, "text": "", "satisfied": None})
                continue
            points = {str(p["value"]): p["value"] for p in scale["points"]}
            if value not in points:
                raise _violation(code, "answers.point", "Lựa chọn không hợp lệ.", "Not one of the choices.")
            point = points[value]
            out.append({"question": code, "value": point, "text": "", "satisfied": point in scale["satisfied"]})
        else:
            text = nfc(value)
            if len(text) > question["max_length"]:
                raise _violation(code, "answers.length", f"Tối đa {question['max_length']} ký tự.",
                                 f"At most {question['max_length']} characters.")
            out.append({"question": code, "value": None, "text": text, "satisfied": None})
    if not out:
        raise _violation("answers", "answers.empty", "Bạn chưa trả lời câu nào.", "You have not answered any question.")
    return out


def submit_response(run: SurveyRun, *, code: str, answers: Mapping[str, str], today: dt.date | None = None) -> Response:
    """Store one household's anonymous answers, spending its one-time ``code``.

    Raises ``RuleViolation``: ``run.closed`` outside the run's dates, ``code.invalid`` for a code
    that is unknown, of another run or already used (one message for all three), or the errors
    of :func:`clean_answers`. The response keeps no reference to the code or the household.
    """
    today = today or timezone.localdate()
    if not run.is_open(today):
        raise _violation("run", "run.closed", "Khảo sát không mở vào hôm nay.", "The survey is not open today.")
    cleaned = clean_answers(run.definition, answers)
    code = normalise_code(code)
    with transaction.atomic():
        spent = SurveyCode.objects.filter(run=run, code=code, used=False).update(used=True)
        if spent != 1:
            raise _violation("code", "code.invalid", "Mã không đúng hoặc đã được dùng.",
                             "The code is wrong or has already been used.")
        response = Response.objects.create(run=run, commune_id=run.commune_id, submitted_on=today)
        Answer.objects.bulk_create([
            Answer(response=response, run=run, commune_id=run.commune_id, submitted_on=today, **item)
            for item in cleaned
        ])
        # No code, no household, no address: the audit log must not undo the anonymity.
        record(None, "participation.response_received", target_type="participation.SurveyRun",
               target_id=str(run.pk), unit=run.commune)
    return response


def code_run(code: str, today: dt.date | None = None) -> SurveyRun | None:
    """The open run an unused ``code`` belongs to, or ``None`` (read-only; nothing is spent)."""
    today = today or timezone.localdate()
    row = (SurveyCode.objects.filter(code=normalise_code(code), used=False, run__opens_on__lte=today,
                                     run__closes_on__gte=today).select_related("run").first())
    return row.run if row else None


# --- feedback -------------------------------------------------------------------------------------

FEEDBACK_MAX = 4000


def _tracking_code() -> str:
    return "PA" + new_code(8)


def submit_feedback(commune: Any, *, category: str, description: str, photo: bytes | None = None,
                    latitude: float | None = None, longitude: float | None = None, contact_name: str = "",
                    contact_phone: str = "", now: dt.datetime | None = None) -> Feedback:
    """Receive a resident's report without an account; returns it with its ``tracking_code``.

    The deadline comes from :mod:`.deadlines`. The photo is cleaned by
    :func:`~langso.participation.photos.clean_photo` (metadata removed). Raises ``RuleViolation``:
    category, empty or too long description, half a location or one outside Vietnam's box, a
    phone that is not 9–11 digits, or the photo errors.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    if category not in FeedbackCategory.values:
        raise _violation("category", "feedback.category", "Chủ đề không hợp lệ.", "Unknown category.")
    description = nfc(description).strip()
    if len(description) < 10:
        raise _violation("description", "feedback.description", "Hãy mô tả vấn đề (ít nhất 10 ký tự).",
                         "Please describe the issue (at least 10 characters).")
    if len(description) > FEEDBACK_MAX:
        raise _violation("description", "feedback.description_length", f"Tối đa {FEEDBACK_MAX} ký tự.",
                         f"At most {FEEDBACK_MAX} characters.")
    if (latitude is None) != (longitude is None):
        raise _violation("latitude", "feedback.location", "Vị trí cần cả vĩ độ và kinh độ.",
                         "A location needs both latitude and longitude.")
    if latitude is not None and not (8.0 <= latitude <= 23.5 and 102.0 <= longitude <= 117.5):
        raise _violation("latitude", "feedback.location_box", "Vị trí nằm ngoài Việt Nam.",
                         "The location is outside Vietnam.")
    phone = "".join(ch for ch in contact_phone or "" if ch.isdigit())
    if phone and not 9 <= len(phone) <= 11:
        raise _violation("contact_phone", "feedback.phone", "Số điện thoại gồm 9–11 chữ số.",
                         "A phone number has 9–11 digits.")
    cleaned_photo = clean_photo(photo) if photo else None
    deadline, rule = deadlines.deadline_for(category, today)
    for attempt in range(5):
        try:
            with transaction.atomic():
                item = Feedback.objects.create(
                    commune=commune, tracking_code=_tracking_code(), category=category, description=description,
                    latitude=latitude, longitude=longitude, photo=cleaned_photo,
                    contact_name=nfc(contact_name).strip()[:100], contact_phone=phone,
                    received_at=now, received_on=today, deadline_on=deadline, deadline_rule=rule.id,
                )
                record(None, "participation.feedback_received", item, unit=commune,
                       data={"category": category, "deadline": deadline.isoformat()})
            return item
        except IntegrityError:  # the rare tracking-code collision
            if attempt == 4:
                raise
    raise AssertionError("unreachable")


def assign_feedback(actor: Any, item: Feedback, assignee: Any) -> Feedback:
    """Give an item to an officer of its commune (``assignee``); status becomes in progress.

    Raises ``RuleViolation`` if the item is closed or the assignee is not an officer of the commune.
    """
    from langso.accounts.access import scope_for

    if item.status == FeedbackStatus.CLOSED:
        raise _violation("status", "feedback.closed", "Phản ánh đã đóng.", "The item is closed.")
    if assignee is None or not scope_for(assignee).can_write_commune(item.commune_id):
        raise _violation("assignee", "feedback.assignee", "Người nhận phải là cán bộ của xã.",
                         "The assignee must be an officer of the commune.")
    with transaction.atomic():
        status = item.status if item.status == FeedbackStatus.ANSWERED else FeedbackStatus.IN_PROGRESS
        Feedback.objects.filter(pk=item.pk).update(assignee=assignee, status=status)
        item.assignee, item.status = assignee, status
        record(actor, "participation.feedback_assigned", item, unit=item.commune, data={"assignee": assignee.pk})
    return item


def answer_feedback(actor: Any, item: Feedback, answer: str, today: dt.date | None = None) -> Feedback:
    """Publish the commune's answer (public on the tracking page); the first answer's day counts
    for the on-time indicator, a later edit keeps it. Raises ``RuleViolation`` if closed or empty."""
    today = today or timezone.localdate()
    answer = nfc(answer).strip()
    if item.status == FeedbackStatus.CLOSED:
        raise _violation("status", "feedback.closed", "Phản ánh đã đóng.", "The item is closed.")
    if len(answer) < 5:
        raise _violation("answer", "feedback.answer", "Cần nội dung trả lời.", "The answer needs some text.")
    if len(answer) > FEEDBACK_MAX:
        raise _violation("answer", "feedback.answer_length", f"Tối đa {FEEDBACK_MAX} ký tự.",
                         f"At most {FEEDBACK_MAX} characters.")
    answered_on = item.answered_on or max(today, item.received_on)
    with transaction.atomic():
        Feedback.objects.filter(pk=item.pk).update(answer=answer, answered_on=answered_on,
                                                   status=FeedbackStatus.ANSWERED)
        item.answer, item.answered_on, item.status = answer, answered_on, FeedbackStatus.ANSWERED
        record(actor, "participation.feedback_answered", item, unit=item.commune,
               data={"on": answered_on.isoformat(), "on_time": answered_on <= item.deadline_on})
    return item


def close_feedback(actor: Any, item: Feedback, today: dt.date | None = None) -> Feedback:
    """Close an answered item. Raises ``RuleViolation`` if it has no answer yet or is closed."""
    today = today or timezone.localdate()
    if item.status == FeedbackStatus.CLOSED:
        raise _violation("status", "feedback.closed", "Phản ánh đã đóng.", "The item is closed.")
    if item.answered_on is None:
        raise _violation("status", "feedback.unanswered", "Cần trả lời trước khi đóng.", "Answer before closing.")
    with transaction.atomic():
        Feedback.objects.filter(pk=item.pk).update(status=FeedbackStatus.CLOSED, closed_on=today)
        item.status, item.closed_on = FeedbackStatus.CLOSED, today
        record(actor, "participation.feedback_closed", item, unit=item.commune)
    return item
