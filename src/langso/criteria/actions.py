"""Every write of the criteria app: classifications, assessments, values and evidence, the review
workflow and certification records.

Each action takes the acting user (``None`` for a system job: a command, the demo) and plain values,
checks who may act through :mod:`langso.accounts.access` (outsiders get ``Http404``, the same answer
as for a missing record), normalises text to NFC, runs in one transaction, writes an audit entry and,
for the review, a :class:`~langso.criteria.models.ReviewStep`. Broken rules raise
:class:`~langso.lib.errors.RuleViolation` (Vietnamese, then English, naming the field).

Who does what:
- the commune officer of a commune starts its assessments, refreshes the automatic values, enters
  values with evidence files and submits;
- a province officer of the commune's province classifies communes (region / group), comments,
  returns, approves, reopens single indicators of an approved assessment and records certifications;
- an approved assessment is locked: only an indicator the province reopened can change, and that
  change is recorded as a step.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import PurePath
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from langso.accounts.access import require_write, scope_for
from langso.audit.log import record
from langso.lib.errors import RuleViolation
from langso.lib.vietnamese import nfc
from langso.territory.models import AdministrativeUnit, Level as UnitLevel, UnitType, Village
from langso.territory.queries import current_successors

from . import standing
from .evaluation import judge, threshold_for
from .models import (
    LADDER,
    Assessment,
    AssessmentResult,
    AssessmentStatus,
    CertificationRecord,
    CommuneClassification,
    CriteriaSet,
    Evidence,
    IndicatorKind,
    Level,
    ResultSource,
    ReviewStep,
    Scheme,
    Scope,
    StepKind,
)

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
# Extension → (content type, accepted leading bytes). Office files are ZIP containers.
EVIDENCE_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
    ".odt": ("application/vnd.oasis.opendocument.text", (b"PK\x03\x04",)),
    ".ods": ("application/vnd.oasis.opendocument.spreadsheet", (b"PK\x03\x04",)),
}
EDITABLE = {AssessmentStatus.DRAFT, AssessmentStatus.RETURNED}
SCHEME_PERIOD = {Scheme.REGION_2021: (2021, 2025), Scheme.GROUP_2026: (2026, 2030)}


# --- who may act ---------------------------------------------------------------------------------

def _authorise_commune(actor: Any, commune_id: int) -> None:
    if actor is None:
        return
    require_write(scope_for(actor), commune_id)


def deciding_provinces(unit: AdministrativeUnit) -> set[int]:
    """The current province(s) that decide on ``unit``: its own province, or for a legacy commune
    the provinces of the current communes it became (legacy Ngũ Kiên, Vĩnh Phúc → Phú Thọ)."""
    if unit.valid_to is None:
        return {unit.province_id} if unit.province_id else set()
    return {link.unit.province_id for link in current_successors(unit) if link.unit.province_id}


def can_decide(scope: Any, unit: AdministrativeUnit) -> bool:
    """Whether ``scope`` may take the province's decisions on ``unit`` (for showing the buttons)."""
    return scope.everything or bool(deciding_provinces(unit) & scope.provinces)


def _authorise_province(actor: Any, unit: AdministrativeUnit) -> None:
    """Province officers of the unit's province (and superusers) decide; anyone else gets 404."""
    if actor is None:
        return
    if not can_decide(scope_for(actor), unit):
        raise Http404("Không tìm thấy / Not found")


def _actor_name(actor: Any) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return "Hệ thống / System"
    return actor.get_full_name() or actor.get_username()


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _step(assessment: Assessment, kind: str, actor: Any, comment: str = "", indicator: Any = None,
          data: dict[str, Any] | None = None) -> ReviewStep:
    return ReviewStep.objects.create(assessment=assessment, commune_id=assessment.commune_id, kind=kind,
                                     actor=_user(actor), actor_name=_actor_name(actor), at=timezone.now(),
                                     comment=comment, indicator=indicator, data=data or {})


def _text(value: str, field: str, *, required: bool, limit: int = 2000) -> str:
    text = nfc((value or "").strip())
    if required and not text:
        raise RuleViolation(field, f"criteria.{field}_required", "Cần ghi nội dung.", "Text is required.")
    if len(text) > limit:
        raise RuleViolation(field, f"criteria.{field}_length", f"Tối đa {limit} ký tự.", f"At most {limit} characters.")
    return text


# --- classifications -------------------------------------------------------------------------------

def classification_of(unit: AdministrativeUnit, scheme: str, year: int) -> CommuneClassification | None:
    """The classification of ``unit`` in ``scheme`` in force on 31 December of ``year`` (the latest
    starting by then), or ``None``."""
    day = dt.date(year, 12, 31)
    return (CommuneClassification.objects.filter(unit=unit, scheme=scheme, valid_from__lte=day)
            .exclude(valid_to__lt=dt.date(year, 1, 1)).order_by("-valid_from").first())


def classify_commune(actor: Any, unit: AdministrativeUnit, scheme: str, value: str, *, source: str,
                     valid_from: dt.date | None = None, valid_to: dt.date | None = None) -> CommuneClassification:
    """Record ``unit``'s region (``region-2021-2025``) or group (``group-2026-2030``) from
    ``valid_from`` (default: the scheme's first 1 January, or the unit's own start if later).

    ``value`` must be a class key of the scheme's sets (e.g. ``dbsh``, ``group2``); ``source`` names
    the decision (required). A row starting the same day is replaced (a correction); an open row
    that started earlier is closed the day before. Province officers only.
    """
    if scheme not in Scheme.values:
        raise RuleViolation("scheme", "criteria.scheme", "Cách phân loại không hợp lệ.", "Unknown classification scheme.")
    if unit.level != UnitLevel.COMMUNE:
        raise RuleViolation("unit", "criteria.classify_level", "Chỉ phân loại đơn vị cấp xã.",
                            "Only commune-level units are classified.")
    _authorise_province(actor, unit)
    keys = {c["key"] for s in CriteriaSet.objects.filter(classification=scheme, is_latest=True) for c in s.classes}
    if value not in keys:
        raise RuleViolation("value", "criteria.class_value", f"'{value}' không phải vùng/nhóm của {scheme}.",
                            f"'{value}' is not a class of {scheme}.")
    source = _text(source, "source", required=True, limit=500)
    first_year, _ = SCHEME_PERIOD[Scheme(scheme)]
    start = valid_from or max(dt.date(first_year, 1, 1), unit.valid_from or dt.date(first_year, 1, 1))
    if valid_to is not None and valid_to < start:
        raise RuleViolation("valid_to", "criteria.classification_period", "Ngày kết thúc trước ngày bắt đầu.",
                            "The end is before the start.")
    with transaction.atomic():
        (CommuneClassification.objects.filter(unit=unit, scheme=scheme, valid_from__lt=start, valid_to__isnull=True)
         .update(valid_to=start - dt.timedelta(days=1)))
        row, _ = CommuneClassification.objects.update_or_create(
            unit=unit, scheme=scheme, valid_from=start,
            defaults={"value": value, "valid_to": valid_to, "source": source, "recorded_by": _user(actor)})
        record(actor, "criteria.classify", row, unit=unit,
               data={"scheme": scheme, "value": value, "valid_from": start.isoformat(), "source": source})
    return row


# --- assessments ---------------------------------------------------------------------------------

def _evaluate(result: AssessmentResult, class_key: str, lookup: Any) -> None:
    indicator = result.indicator
    threshold = threshold_for(indicator, class_key, lookup)
    computed = result.source != ResultSource.AUTOMATIC or bool(result.period)
    result.comparison = threshold.comparison
    result.threshold = threshold.value
    result.threshold_verified = threshold.verified
    result.status, result.reason = judge(indicator, threshold, value=result.value, met_declared=result.met_declared,
                                         computed=computed)


def _fill_automatic(assessment: Assessment, results: list[AssessmentResult]) -> list[AssessmentResult]:
    period, as_of, values = standing.automatic_values(assessment.commune, assessment.year)
    available = standing.catalogue_in_database()
    assessment.indicator_period = period or ""
    assessment.indicator_as_of = as_of
    changed = []
    for result in results:
        if result.source != ResultSource.AUTOMATIC:
            continue
        item = values.get(result.indicator.effective_metric(available))
        computed = bool(item and item.get("computed"))
        result.period = (period or "") if computed else ""
        result.value = item["value"] if computed else None
        result.numerator = item["numerator"] if computed else None
        result.denominator = item["denominator"] if computed else None
        changed.append(result)
    return changed


def _source_for(indicator: Any, criteria_set: CriteriaSet, village: Village | None, available: set[str]) -> str:
    # A village-scope set assessed for one village cannot use commune-wide counts: the commune enters them.
    automatic = (bool(indicator.effective_metric(available))
                 and not (criteria_set.scope == Scope.VILLAGE and village is not None))
    return ResultSource.AUTOMATIC if automatic else ResultSource.ENTERED


def start_assessment(actor: Any, commune: AdministrativeUnit, criteria_set: CriteriaSet, year: int, *,
                     village: Village | None = None) -> Assessment:
    """Start ``commune``'s assessment against ``criteria_set`` for ``year``: one result per indicator,
    the automatic ones filled from the latest stored indicator values of that year.

    Rules: a current commune; ``year`` within the set's period and not in the future; a set owned by
    a province applies only to that province's communes; a classified set needs the commune's region
    or group for the year (the province records it first); a village only for village-scope sets and
    of this commune; one assessment per commune, set, year (and village). Commune officers only.
    """
    _authorise_commune(actor, commune.pk)
    if commune.level != UnitLevel.COMMUNE or commune.valid_to is not None:
        raise RuleViolation("commune", "criteria.commune_current", "Chỉ xã đang có hiệu lực mới tự đánh giá.",
                            "Only a current commune is assessed (merged communes are assessed afresh).")
    if commune.unit_type == UnitType.WARD:
        raise RuleViolation("commune", "criteria.rural_only", "Phường không xét theo bộ tiêu chí xã nông thôn mới.",
                            "Wards are not assessed against the new-rural commune criteria.",
                            "Bộ tiêu chí quốc gia về xã nông thôn mới (QĐ 318/QĐ-TTg; QĐ 51/2025/QĐ-TTg)")
    if not criteria_set.covers(year) or year > timezone.localdate().year:
        raise RuleViolation("year", "criteria.year", f"Năm {year} ngoài giai đoạn {criteria_set.period_start}–"
                            f"{criteria_set.period_end} của bộ tiêu chí (hoặc ở tương lai).",
                            f"Year {year} is outside the set's period {criteria_set.period_start}–"
                            f"{criteria_set.period_end} (or in the future).")
    if criteria_set.owner_province_id and criteria_set.owner_province_id != commune.province_id:
        raise RuleViolation("criteria_set", "criteria.set_province", "Bộ tiêu chí này của tỉnh khác.",
                            "This set belongs to another province.")
    if village is not None and (criteria_set.scope != Scope.VILLAGE or village.commune_id != commune.pk):
        raise RuleViolation("village", "criteria.village", "Thôn không thuộc xã hoặc bộ tiêu chí không xét theo thôn.",
                            "The village is not of this commune, or the set is not assessed per village.")
    class_key = ""
    if criteria_set.classification:
        row = classification_of(commune, criteria_set.classification, year)
        if row is None:
            raise RuleViolation("classification", "criteria.unclassified",
                                f"{commune.full_name} chưa được phân {Scheme(criteria_set.classification).label} "
                                f"cho năm {year}: tỉnh cần phân loại trước.",
                                f"{commune.full_name} has no {criteria_set.classification} for {year}: the province "
                                "classifies it first.")
        class_key = row.value
    with transaction.atomic():
        if Assessment.objects.filter(commune=commune, criteria_set__code=criteria_set.code, year=year,
                                     village=village).exists():
            raise RuleViolation("year", "criteria.duplicate", "Xã đã có bản đánh giá bộ tiêu chí này cho năm này.",
                                "The commune already has an assessment of this set for this year.")
        assessment = Assessment.objects.create(commune=commune, criteria_set=criteria_set, year=year, village=village,
                                               class_key=class_key, created_by=_user(actor))
        available = standing.catalogue_in_database()
        results = [AssessmentResult(assessment=assessment, indicator=indicator, commune=commune,
                                    source=_source_for(indicator, criteria_set, village, available))
                   for indicator in criteria_set.indicators.select_related("criterion").order_by("position")]
        _fill_automatic(assessment, results)
        lookup = standing.threshold_lookup()
        for result in results:
            _evaluate(result, class_key, lookup)
        AssessmentResult.objects.bulk_create(results)
        assessment.save(update_fields=["indicator_period", "indicator_as_of"])
        _step(assessment, StepKind.CREATED, actor, data={"period": assessment.indicator_period})
        record(actor, "criteria.assessment_start", assessment, unit=commune,
               data={"set": criteria_set.code, "version": criteria_set.version, "year": year,
                     "class": class_key, "period": assessment.indicator_period})
    return assessment


def _lock(assessment: Assessment) -> Assessment:
    return Assessment.objects.select_for_update().select_related("criteria_set", "commune").get(pk=assessment.pk)


def refresh_automatic(actor: Any, assessment: Assessment) -> Assessment:
    """Re-read the automatic values (latest computed period of the year) and re-judge every result
    against the set's current thresholds. Only while the commune may edit (draft or returned)."""
    _authorise_commune(actor, assessment.commune_id)
    with transaction.atomic():
        assessment = _lock(assessment)
        if assessment.status not in EDITABLE:
            raise RuleViolation("status", "criteria.locked", "Bản đánh giá đã gửi hoặc đã duyệt, không cập nhật được.",
                                "The assessment was submitted or approved; it cannot be refreshed.")
        results = list(assessment.results.select_related("indicator"))
        available = standing.catalogue_in_database()
        for result in results:
            # An awaited catalogue code that has arrived computes what nobody entered yet.
            if (result.source == ResultSource.ENTERED and result.indicator.effective_metric(available)
                    and result.value is None and not result.evidence.exists()
                    and not (assessment.criteria_set.scope == Scope.VILLAGE and assessment.village_id)):
                result.source = ResultSource.AUTOMATIC
        _fill_automatic(assessment, results)
        lookup = standing.threshold_lookup()
        for result in results:
            _evaluate(result, assessment.class_key, lookup)
        AssessmentResult.objects.bulk_update(results, ["source", "period", "value", "numerator", "denominator", "comparison",
                                                       "threshold", "threshold_verified", "status", "reason"])
        assessment.save(update_fields=["indicator_period", "indicator_as_of", "updated_at"])
        record(actor, "criteria.assessment_refresh", assessment, unit=assessment.commune,
               data={"period": assessment.indicator_period})
    return assessment


def editable_result(assessment: Assessment, result: AssessmentResult) -> bool:
    if assessment.status in EDITABLE:
        return True
    return assessment.status == AssessmentStatus.REOPENED and result.reopened


def enter_value(actor: Any, result: AssessmentResult, *, value: float | None = None, met: bool | None = None,
                note: str = "") -> AssessmentResult:
    """Enter the value of an indicator the commune reports: a number for numeric indicators
    (percentages 0–100, counts and money ≥ 0), met / not met for the others; ``None`` clears it.

    Automatic indicators come from the records and placeholders have no content: both refuse. Once
    submitted the assessment is read-only, except an indicator the province reopened (that change is
    recorded as a review step with the old and new value).
    """
    _authorise_commune(actor, result.commune_id)
    note = _text(note, "note", required=False)
    with transaction.atomic():
        assessment = _lock(result.assessment)
        result = AssessmentResult.objects.select_for_update().select_related("indicator").get(pk=result.pk)
        indicator = result.indicator
        if result.source == ResultSource.AUTOMATIC:
            raise RuleViolation("value", "criteria.automatic", "Chỉ tiêu này tính tự động từ dữ liệu của xã.",
                                "This indicator is computed from the commune's records.")
        if indicator.placeholder:
            raise RuleViolation("value", "criteria.placeholder", "Chỉ tiêu chưa có nội dung, chưa nhập được.",
                                "This slot has no content yet; nothing can be entered.")
        if not editable_result(assessment, result):
            raise RuleViolation("status", "criteria.locked", "Bản đánh giá đã gửi hoặc đã duyệt: không sửa được.",
                                "The assessment is submitted or approved: it cannot be changed.")
        old = {"value": result.value, "met": result.met_declared, "note": result.note}
        if indicator.kind == IndicatorKind.BOOLEAN:
            if value is not None:
                raise RuleViolation("value", "criteria.boolean", "Chỉ tiêu này chỉ ghi đạt hoặc không đạt.",
                                    "This indicator is met or not met, not a number.")
            result.met_declared = met
        else:
            if met is not None:
                raise RuleViolation("met", "criteria.numeric", "Chỉ tiêu này cần nhập số.", "This indicator needs a number.")
            if value is not None:
                if value < 0 or (indicator.unit == "percent" and value > 100):
                    raise RuleViolation("value", "criteria.range",
                                        "Giá trị phải từ 0 (tỷ lệ: 0–100).", "The value must be ≥ 0 (percentages 0–100).")
            result.value = value
        result.note = note
        result.updated_by = _user(actor)
        _evaluate(result, assessment.class_key, standing.threshold_lookup())
        result.save()
        new = {"value": result.value, "met": result.met_declared, "note": result.note}
        if assessment.status == AssessmentStatus.REOPENED and old != new:
            _step(assessment, StepKind.CHANGED, actor, indicator=indicator, data={"old": old, "new": new})
        record(actor, "criteria.value_enter", result, unit=assessment.commune,
               data={"indicator": indicator.code, "old": old, "new": new})
    return result


def _sniff(upload: UploadedFile) -> tuple[str, str]:
    name = nfc(PurePath(upload.name or "").name)[:200]
    ext = PurePath(name).suffix.lower()
    if ext not in EVIDENCE_TYPES:
        raise RuleViolation("file", "criteria.evidence_type",
                            "Chỉ nhận tệp PDF, ảnh PNG/JPEG hoặc văn bản Word/Excel/ODF.",
                            "Only PDF, PNG/JPEG images or Word/Excel/ODF documents are accepted.")
    if upload.size is None or upload.size == 0:
        raise RuleViolation("file", "criteria.evidence_empty", "Tệp rỗng.", "The file is empty.")
    if upload.size > MAX_EVIDENCE_BYTES:
        raise RuleViolation("file", "criteria.evidence_size", "Tệp minh chứng tối đa 10 MB.",
                            "Evidence files are at most 10 MB.")
    content_type, magics = EVIDENCE_TYPES[ext]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(magic) for magic in magics):
        raise RuleViolation("file", "criteria.evidence_content",
                            f"Nội dung tệp không phải {ext[1:].upper()} như tên tệp.",
                            f"The file's content is not {ext[1:].upper()} as its name says.")
    return name, content_type


def add_evidence(actor: Any, result: AssessmentResult, upload: UploadedFile, *, description: str = "") -> Evidence:
    """Attach an evidence file to an entered indicator: PDF, PNG, JPEG, DOCX, XLSX, ODT or ODS of at
    most 10 MB whose first bytes match its extension. Stored under MEDIA_ROOT
    (``criteria/evidence/<province>/<commune>/<assessment>/``) with its SHA-256; served only through
    the access-checked download view. Same editing rules as :func:`enter_value`."""
    _authorise_commune(actor, result.commune_id)
    name, content_type = _sniff(upload)
    description = _text(description, "description", required=False, limit=255)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    evidence: Evidence | None = None
    try:
        with transaction.atomic():
            assessment = _lock(result.assessment)
            result = AssessmentResult.objects.select_related("indicator").get(pk=result.pk)
            if result.source == ResultSource.AUTOMATIC or result.indicator.placeholder:
                raise RuleViolation("file", "criteria.evidence_automatic",
                                    "Minh chứng chỉ dành cho chỉ tiêu xã nhập.", "Evidence backs entered indicators only.")
            if not editable_result(assessment, result):
                raise RuleViolation("status", "criteria.locked", "Bản đánh giá đã gửi hoặc đã duyệt: không thêm được.",
                                    "The assessment is submitted or approved: nothing can be added.")
            evidence = Evidence(result=result, commune_id=result.commune_id, original_name=name,
                                content_type=content_type, size=upload.size, sha256=digest.hexdigest(),
                                description=description, uploaded_by=_user(actor))
            evidence.file.save(name, upload, save=False)
            evidence.save()
            if assessment.status == AssessmentStatus.REOPENED:
                _step(assessment, StepKind.CHANGED, actor, indicator=result.indicator,
                      data={"evidence": name, "sha256": evidence.sha256})
            record(actor, "criteria.evidence_add", evidence, unit=assessment.commune,
                   data={"indicator": result.indicator.code, "name": name, "size": evidence.size,
                         "sha256": evidence.sha256})
    except Exception:
        # The file is written before the row commits: nothing half-kept if the transaction fails.
        if evidence is not None and evidence.file.name:
            evidence.file.delete(save=False)
        raise
    return evidence


def submit_assessment(actor: Any, assessment: Assessment, comment: str = "") -> Assessment:
    """The commune sends its assessment to the province (from draft, returned or reopened).

    Every entered indicator that has a value or a met / not-met answer must carry at least one
    evidence file; the refusal lists the codes missing one.
    """
    _authorise_commune(actor, assessment.commune_id)
    comment = _text(comment, "comment", required=False)
    with transaction.atomic():
        assessment = _lock(assessment)
        if assessment.status not in EDITABLE | {AssessmentStatus.REOPENED}:
            raise RuleViolation("status", "criteria.submit_status", "Bản đánh giá đã gửi hoặc đã duyệt.",
                                "The assessment is already submitted or approved.")
        lacking = [
            r.indicator.code for r in assessment.results.select_related("indicator").order_by("indicator__position")
            if r.source == ResultSource.ENTERED and (r.value is not None or r.met_declared is not None)
            and not r.evidence.exists()
        ]
        if lacking:
            raise RuleViolation("evidence", "criteria.evidence_missing",
                                f"Chỉ tiêu chưa có minh chứng: {', '.join(lacking)}.",
                                f"Indicators without evidence: {', '.join(lacking)}.")
        resubmission = assessment.status != AssessmentStatus.DRAFT
        assessment.status = AssessmentStatus.SUBMITTED
        assessment.submitted_at = timezone.now()
        assessment.save(update_fields=["status", "submitted_at", "updated_at"])
        _step(assessment, StepKind.SUBMITTED, actor, comment, data={"resubmission": resubmission})
        record(actor, "criteria.assessment_submit", assessment, unit=assessment.commune,
               data={"resubmission": resubmission})
    return assessment


def comment_assessment(actor: Any, assessment: Assessment, comment: str) -> ReviewStep:
    """A province comment on a submitted (or later) assessment; the status does not change."""
    _authorise_province(actor, assessment.commune)
    comment = _text(comment, "comment", required=True)
    with transaction.atomic():
        assessment = _lock(assessment)
        if assessment.status == AssessmentStatus.DRAFT:
            raise RuleViolation("status", "criteria.comment_draft", "Xã chưa gửi bản đánh giá.",
                                "The commune has not submitted the assessment yet.")
        step = _step(assessment, StepKind.COMMENTED, actor, comment)
        record(actor, "criteria.assessment_comment", assessment, unit=assessment.commune)
    return step


def return_assessment(actor: Any, assessment: Assessment, comment: str) -> Assessment:
    """The province returns a submitted assessment to the commune, saying why (required)."""
    _authorise_province(actor, assessment.commune)
    comment = _text(comment, "comment", required=True)
    with transaction.atomic():
        assessment = _lock(assessment)
        if assessment.status != AssessmentStatus.SUBMITTED:
            raise RuleViolation("status", "criteria.return_status", "Chỉ trả lại bản đánh giá đang chờ duyệt.",
                                "Only a submitted assessment can be returned.")
        assessment.status = AssessmentStatus.RETURNED
        assessment.save(update_fields=["status", "updated_at"])
        _step(assessment, StepKind.RETURNED, actor, comment)
        record(actor, "criteria.assessment_return", assessment, unit=assessment.commune)
    return assessment


def approve_assessment(actor: Any, assessment: Assessment, comment: str = "") -> Assessment:
    """The province approves a submitted assessment: it is locked (reopened flags are cleared)."""
    _authorise_province(actor, assessment.commune)
    comment = _text(comment, "comment", required=False)
    with transaction.atomic():
        assessment = _lock(assessment)
        if assessment.status != AssessmentStatus.SUBMITTED:
            raise RuleViolation("status", "criteria.approve_status", "Chỉ duyệt bản đánh giá đang chờ duyệt.",
                                "Only a submitted assessment can be approved.")
        assessment.status = AssessmentStatus.APPROVED
        assessment.decided_at = timezone.now()
        assessment.decided_by = _user(actor)
        assessment.save(update_fields=["status", "decided_at", "decided_by", "updated_at"])
        assessment.results.filter(reopened=True).update(reopened=False)
        summary = standing.set_status_by_assessment([assessment.pk])[assessment.pk]
        _step(assessment, StepKind.APPROVED, actor, comment, data=summary)
        record(actor, "criteria.assessment_approve", assessment, unit=assessment.commune, data=summary)
    return assessment


def reopen_indicator(actor: Any, assessment: Assessment, indicator_code: str, reason: str) -> AssessmentResult:
    """The province reopens one indicator of an approved assessment (reason required): the
    assessment becomes ``reopened``, only that indicator (and any other reopened) can change, and
    the commune resubmits. Recorded as a review step naming the indicator."""
    _authorise_province(actor, assessment.commune)
    reason = _text(reason, "reason", required=True)
    with transaction.atomic():
        assessment = _lock(assessment)
        if assessment.status not in {AssessmentStatus.APPROVED, AssessmentStatus.REOPENED}:
            raise RuleViolation("status", "criteria.reopen_status", "Chỉ mở lại chỉ tiêu của bản đánh giá đã duyệt.",
                                "Only an approved assessment has indicators to reopen.")
        result = (assessment.results.select_for_update().select_related("indicator")
                  .filter(indicator__code=indicator_code).first())
        if result is None:
            raise RuleViolation("indicator", "criteria.reopen_code", f"Không có chỉ tiêu {indicator_code}.",
                                f"No indicator {indicator_code}.")
        if result.source == ResultSource.AUTOMATIC or result.indicator.placeholder:
            raise RuleViolation("indicator", "criteria.reopen_entered",
                                "Chỉ mở lại chỉ tiêu xã nhập (chỉ tiêu tự động cập nhật từ dữ liệu).",
                                "Only entered indicators are reopened (automatic ones follow the records).")
        result.reopened = True
        result.save(update_fields=["reopened", "updated_at"])
        assessment.status = AssessmentStatus.REOPENED
        assessment.save(update_fields=["status", "updated_at"])
        _step(assessment, StepKind.REOPENED, actor, reason, indicator=result.indicator)
        record(actor, "criteria.indicator_reopen", assessment, unit=assessment.commune,
               data={"indicator": indicator_code})
    return result


# --- certification -------------------------------------------------------------------------------

def record_certification(actor: Any, unit: AdministrativeUnit, *, level: str, year: int, decision_number: str,
                         decided_on: dt.date, issuing_body: str, assessment: Assessment | None = None,
                         note: str = "") -> CertificationRecord:
    """Record a recognition decision on a commune-level unit (province officers).

    Rules: the decision number names its document (``123/QĐ-UBND``); ``decided_on`` is not in the
    future and falls in ``year`` or the year after. A legacy commune's record is history and must
    be dated while the commune existed (until 2025-06-30). A current commune (merged communes are
    assessed afresh) is recognised on the ladder only with an approved assessment of its own, for
    that year, of a set certifying that level, that qualifies for it.
    """
    if unit.level != UnitLevel.COMMUNE:
        raise RuleViolation("unit", "criteria.certify_level", "Chỉ công nhận đơn vị cấp xã.",
                            "Only commune-level units are recognised here.")
    _authorise_province(actor, unit)
    if level not in Level.values:
        raise RuleViolation("level", "criteria.certify_level_value", "Mức công nhận không hợp lệ.", "Unknown level.")
    decision_number = _text(decision_number, "decision_number", required=True, limit=64)
    issuing_body = _text(issuing_body, "issuing_body", required=True, limit=255)
    note = _text(note, "note", required=False)
    if "/" not in decision_number:
        raise RuleViolation("decision_number", "criteria.decision_number",
                            "Số quyết định ghi theo dạng số/ký hiệu, ví dụ 123/QĐ-UBND.",
                            "Write the decision number as number/symbol, e.g. 123/QĐ-UBND.")
    if decided_on > timezone.localdate() or decided_on.year not in (year, year + 1):
        raise RuleViolation("decided_on", "criteria.decided_on",
                            "Ngày quyết định không được ở tương lai và phải trong năm công nhận hoặc năm sau.",
                            "The decision date is not in the future and falls in the year recognised or the next.")
    if unit.valid_to is not None and decided_on > unit.valid_to:
        raise RuleViolation("decided_on", "criteria.legacy_date",
                            f"{unit.full_name} chỉ tồn tại đến {unit.valid_to:%d/%m/%Y}: quyết định phải trước đó.",
                            f"{unit.full_name} existed until {unit.valid_to}: the decision must be dated before.")
    if unit.valid_to is None and unit.valid_from and decided_on < unit.valid_from:
        raise RuleViolation("decided_on", "criteria.current_date",
                            "Quyết định trước ngày thành lập xã: ghi cho xã cũ (trước sáp nhập).",
                            "The decision predates the commune: record it on the legacy commune.")
    if unit.valid_to is None and level in LADDER:
        if assessment is None or assessment.commune_id != unit.pk or assessment.year != year:
            raise RuleViolation("assessment", "criteria.certify_assessment",
                                "Cần bản đánh giá đã duyệt của chính xã này cho năm công nhận.",
                                "An approved assessment of this commune for that year is required.")
        levels = {item["level"]: item for item in standing.qualification(unit, year)}
        item = levels.get(level)
        if (assessment.status != AssessmentStatus.APPROVED or item is None or not item["qualifies"]
                or item["assessment"] is None or item["assessment"].pk != assessment.pk):
            raise RuleViolation("assessment", "criteria.certify_not_qualified",
                                "Bản đánh giá chưa được duyệt hoặc xã chưa đạt mức này.",
                                "The assessment is not approved or does not reach this level.")
    with transaction.atomic():
        certification = CertificationRecord.objects.create(
            unit=unit, level=level, year=year, decision_number=decision_number, decided_on=decided_on,
            issuing_body=issuing_body, assessment=assessment, note=note, recorded_by=_user(actor))
        record(actor, "criteria.certify", certification, unit=unit,
               data={"level": level, "year": year, "decision": decision_number})
    return certification
