"""Criteria sets, programme targets and the DHIS2 mapping: data files, validated and loaded.

Shipped files live in ``criteria/data`` (``sets/*.yaml``, ``programme_targets.yaml``, ``dhis2.yaml``);
a province may load its own set file (``langso load_criteria --file …``). A new decree is a new
data file, not new code. :func:`parse_set` validates one set file without touching the database
and raises :class:`~langso.lib.errors.RuleViolation` naming the file and the entry
(``ntm-xa-2026-2030.yaml: criteria[6].indicators[1].threshold.comparison``); :func:`sync_sets`
writes sets idempotently, all-or-nothing.

Set file shape (see the shipped files for complete examples)::

    code, version, name_vi, name_en, level, requires_level?, period: [from, to], scope: commune|village,
    classification: region-2021-2025|group-2026-2030|"", classes: [{key, name_vi, name_en, description_*}]
    | classes_from: <set code>, owner_province?: "25", source, amended_by?, declared_indicators: N,
    allocation_verified: bool, note_vi?, note_en?,
    criteria: [{number, name_vi, name_en, verified, indicators: [
        {code, name_vi, name_en, verified?, placeholder?, metric?: <indicator catalogue code>,
         supporting?: [codes], source?, note_vi?, note_en?,
         threshold: {kind: boolean}
                  | {kind: numeric, unit, comparison, values: {all|<class>: number|null} | by_class: true
                     | derived: {set, indicator, factor}, verified?, basis_vi?, basis_en?}}]}]

The file must hold exactly ``declared_indicators`` slots (57, 75, 47 …): the structure is complete
even where the content is not (``placeholder: true``).
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from langso.audit.log import record
from langso.lib.errors import RuleViolation
from langso.lib.vietnamese import nfc
from langso.territory.models import AdministrativeUnit

from .models import Criterion, CriteriaSet, CriterionIndicator, IndicatorKind, Level, Scheme, Scope

COMPARISONS = {">=", ">", "<=", "<"}
UNITS = {"percent", "count", "million_vnd", ""}
SCHEMES = {"", *Scheme.values}


@dataclass(frozen=True)
class SetFile:
    """A set file read from disk or the package: its name (for messages), text and SHA-256."""

    name: str
    text: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def shipped_set_files() -> list[SetFile]:
    """The criteria set files shipped in ``criteria/data/sets``, by file name."""
    folder = resources.files("langso.criteria").joinpath("data/sets")
    files = sorted((item for item in folder.iterdir() if item.name.endswith(".yaml")), key=lambda i: i.name)
    return [SetFile(item.name, item.read_text("utf-8")) for item in files]


def read_set_file(path: str | Path) -> SetFile:
    path = Path(path)
    return SetFile(path.name, path.read_text("utf-8"))


def _fail(where: str, rule: str, vi: str, en: str) -> RuleViolation:
    return RuleViolation(where, f"criteria.{rule}", vi, en)


def _required(entry: dict[str, Any], key: str, where: str) -> Any:
    value = entry.get(key)
    if value in (None, ""):
        raise _fail(f"{where}.{key}", "required", f"Thiếu trường '{key}'.", f"Field '{key}' is missing.")
    return value


@functools.cache
def catalogue_codes() -> frozenset[str]:
    """Codes of the indicator catalogue (``indicators/data/indicators.yaml``) that ``metric`` may name."""
    text = resources.files("langso.indicators").joinpath("data/indicators.yaml").read_text("utf-8")
    return frozenset(item["code"] for item in yaml.safe_load(text)["indicators"])


def _threshold(raw: Any, class_keys: list[str], where: str) -> dict[str, Any]:
    if not isinstance(raw, dict) or raw.get("kind") not in IndicatorKind.values:
        raise _fail(f"{where}.kind", "threshold_kind", "Ngưỡng phải có kind: numeric hoặc boolean.",
                    "A threshold needs kind: numeric or boolean.")
    out: dict[str, Any] = {"kind": raw["kind"], "unit": "", "comparison": "", "values": {}, "derived": None,
                           "verified": bool(raw.get("verified", False)),
                           "basis_vi": nfc(raw.get("basis_vi", "")), "basis_en": raw.get("basis_en", "")}
    if raw["kind"] == IndicatorKind.BOOLEAN:
        out["verified"] = bool(raw.get("verified", True))  # met / not met states no figure
        return out
    unit = raw.get("unit", "")
    if unit not in UNITS:
        raise _fail(f"{where}.unit", "threshold_unit", f"Đơn vị '{unit}' không hợp lệ.", f"Unknown unit '{unit}'.")
    comparison = raw.get("comparison")
    if comparison not in COMPARISONS:
        raise _fail(f"{where}.comparison", "threshold_comparison", "Phép so sánh phải là >=, >, <= hoặc <.",
                    "The comparison must be >=, >, <= or <.")
    out.update(unit=unit, comparison=comparison)
    chosen = [key for key in ("values", "by_class", "derived") if raw.get(key) not in (None, False)]
    if len(chosen) != 1:
        raise _fail(where, "threshold_values", "Ngưỡng số cần đúng một trong: values, by_class, derived.",
                    "A numeric threshold needs exactly one of: values, by_class, derived.")
    if "derived" in chosen:
        derived = raw["derived"]
        for key in ("set", "indicator", "factor"):
            _required(derived, key, f"{where}.derived")
        out["derived"] = {"set": str(derived["set"]), "indicator": str(derived["indicator"]),
                          "factor": float(derived["factor"])}
    elif "by_class" in chosen:
        if not class_keys:
            raise _fail(f"{where}.by_class", "threshold_by_class", "Bộ tiêu chí không phân vùng/nhóm.",
                        "The set has no regions or groups.")
        out["values"] = {key: None for key in class_keys}
        out["verified"] = False
    else:
        values = raw["values"]
        if not isinstance(values, dict) or not values:
            raise _fail(f"{where}.values", "threshold_values", "values phải là bảng {vùng/nhóm: số}.",
                        "values must map regions/groups (or 'all') to numbers.")
        for key, value in values.items():
            if key != "all" and key not in class_keys:
                raise _fail(f"{where}.values.{key}", "threshold_class", f"Không có vùng/nhóm '{key}'.",
                            f"No region or group '{key}'.")
            if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
                raise _fail(f"{where}.values.{key}", "threshold_number", "Ngưỡng phải là số hoặc để trống (null).",
                            "A threshold is a number or null.")
        out["values"] = {str(k): (None if v is None else float(v)) for k, v in values.items()}
    return out


@functools.lru_cache(maxsize=32)
def _load_yaml(text: str) -> Any:
    """YAML → Python, cached by text (the C loader when PyYAML has it). Callers must not mutate."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader)  # noqa: S506 — a safe loader


def parse_set(file: SetFile, known_classes: dict[str, list[dict[str, Any]]] | None = None) -> dict[str, Any]:
    """Validate one set file and return it normalised (no database access).

    ``known_classes`` maps set codes to their classes, for ``classes_from``. Raises
    :class:`RuleViolation` whose field is ``<file>: <path>``.
    """
    try:
        data = _load_yaml(file.text)
    except yaml.YAMLError as exc:
        raise _fail(file.name, "yaml", f"Tệp YAML không đọc được: {exc}", f"Unreadable YAML: {exc}") from exc
    where = f"{file.name}:"
    if not isinstance(data, dict):
        raise _fail(where, "shape", "Tệp phải là một bảng.", "The file must be a mapping.")
    for key in ("code", "version", "name_vi", "name_en", "level", "period", "source", "declared_indicators"):
        _required(data, key, where)
    if data["level"] not in Level.values or data.get("requires_level", "") not in ("", *Level.values):
        raise _fail(f"{where} level", "level", "Cấp công nhận không hợp lệ.", "Unknown level.")
    period = data["period"]
    if not (isinstance(period, list) and len(period) == 2 and all(isinstance(y, int) for y in period)
            and 2000 <= period[0] <= period[1] <= 2100):
        raise _fail(f"{where} period", "period", "period phải là [năm đầu, năm cuối].", "period must be [first, last] years.")
    scope = data.get("scope", Scope.COMMUNE)
    if scope not in Scope.values:
        raise _fail(f"{where} scope", "scope", "scope phải là commune hoặc village.", "scope must be commune or village.")
    scheme = data.get("classification", "") or ""
    if scheme not in SCHEMES:
        raise _fail(f"{where} classification", "scheme", f"Cách phân loại '{scheme}' không hợp lệ.",
                    f"Unknown classification '{scheme}'.")
    classes = data.get("classes")
    if classes is None and data.get("classes_from"):
        classes = (known_classes or {}).get(data["classes_from"])
        if classes is None:
            raise _fail(f"{where} classes_from", "classes_from", f"Chưa có bộ tiêu chí '{data['classes_from']}'.",
                        f"No set '{data['classes_from']}' loaded to take the classes from.")
    classes = classes or []
    if scheme and not classes:
        raise _fail(f"{where} classes", "classes", "Bộ tiêu chí phân loại nhưng không liệt kê vùng/nhóm.",
                    "A classified set must list its classes.")
    class_keys = [str(_required(c, "key", f"{where} classes")) for c in classes]
    criteria_out = []
    codes: set[str] = set()
    count = 0
    for ci, criterion in enumerate(data.get("criteria") or []):
        cwhere = f"{where} criteria[{ci}]"
        number = str(_required(criterion, "number", cwhere))
        indicators = []
        for ii, item in enumerate(criterion.get("indicators") or []):
            iwhere = f"{cwhere}.indicators[{ii}]"
            code = str(_required(item, "code", iwhere))
            if code in codes:
                raise _fail(f"{iwhere}.code", "duplicate", f"Mã chỉ tiêu {code} bị lặp.", f"Indicator code {code} repeats.")
            codes.add(code)
            count += 1
            placeholder = bool(item.get("placeholder", False))
            if placeholder:
                threshold = {"kind": IndicatorKind.BOOLEAN, "unit": "", "comparison": "", "values": {}, "derived": None,
                             "verified": False, "basis_vi": "", "basis_en": ""}
                name_vi = nfc(item.get("name_vi") or f"Chỉ tiêu {code} (chưa nhập nội dung)")
                name_en = item.get("name_en") or f"Indicator {code} (content not encoded)"
            else:
                threshold = _threshold(item.get("threshold"), class_keys, f"{iwhere}.threshold")
                name_vi = nfc(_required(item, "name_vi", iwhere))
                name_en = _required(item, "name_en", iwhere)
            metric = item.get("metric", "") or ""
            for ref, key in [(metric, "metric"), *((s, "supporting") for s in item.get("supporting") or [])]:
                if ref and ref not in catalogue_codes():
                    raise _fail(f"{iwhere}.{key}", "metric", f"Danh mục chỉ tiêu không có mã '{ref}'.",
                                f"The indicator catalogue has no code '{ref}'.")
            awaited = item.get("metric_when_available", "") or ""
            if awaited and (metric or threshold["kind"] != IndicatorKind.NUMERIC):
                raise _fail(f"{iwhere}.metric_when_available", "metric_awaited",
                            "metric_when_available chỉ dành cho chỉ tiêu số chưa có metric.",
                            "metric_when_available is for numeric indicators without a metric.")
            if metric and threshold["kind"] != IndicatorKind.NUMERIC:
                raise _fail(f"{iwhere}.metric", "metric_kind", "Chỉ tiêu tính tự động phải có ngưỡng số.",
                            "An automatic indicator needs a numeric threshold.")
            indicators.append({
                "code": code, "name_vi": name_vi, "name_en": name_en, "placeholder": placeholder,
                "verified": bool(item.get("verified", False)) and not placeholder, "threshold": threshold,
                "metric": metric, "awaited_metric": awaited, "supporting": list(item.get("supporting") or []),
                "source": nfc(item.get("source") or f"{data['source']}, tiêu chí {number}"),
                "note_vi": nfc(item.get("note_vi", "")), "note_en": item.get("note_en", ""),
            })
        criteria_out.append({"number": number, "name_vi": nfc(_required(criterion, "name_vi", cwhere)),
                             "name_en": _required(criterion, "name_en", cwhere),
                             "verified": bool(criterion.get("verified", False)), "indicators": indicators})
    if count != int(data["declared_indicators"]):
        raise _fail(f"{where} declared_indicators", "count",
                    f"Tệp có {count} chỉ tiêu nhưng văn bản quy định {data['declared_indicators']}.",
                    f"The file holds {count} indicators but the text states {data['declared_indicators']}.")
    return {
        "code": str(data["code"]), "version": str(data["version"]), "name_vi": nfc(data["name_vi"]),
        "name_en": data["name_en"], "level": data["level"], "requires_level": data.get("requires_level", "") or "",
        "period_start": period[0], "period_end": period[1], "scope": scope, "classification": scheme,
        "classes": [{"key": str(c["key"]), "name_vi": nfc(c.get("name_vi", c["key"])), "name_en": c.get("name_en", c["key"]),
                     "description_vi": nfc(c.get("description_vi", "")), "description_en": c.get("description_en", "")}
                    for c in classes],
        "owner_province": str(data.get("owner_province") or ""), "source": nfc(data["source"]),
        "amended_by": nfc(data.get("amended_by", "") or ""), "declared_indicators": int(data["declared_indicators"]),
        "allocation_verified": bool(data.get("allocation_verified", False)),
        "note_vi": nfc(data.get("note_vi", "") or ""), "note_en": data.get("note_en", "") or "",
        "criteria": criteria_out, "sha256": file.sha256,
    }


def _write(parsed: dict[str, Any]) -> tuple[CriteriaSet, str]:
    owner = None
    if parsed["owner_province"]:
        owner = AdministrativeUnit.objects.current().provinces().filter(code=parsed["owner_province"]).first()
    fields = {k: parsed[k] for k in ("name_vi", "name_en", "level", "requires_level", "period_start", "period_end",
                                     "scope", "classification", "classes", "source", "amended_by",
                                     "declared_indicators", "allocation_verified", "note_vi", "note_en")}
    existing = CriteriaSet.objects.filter(code=parsed["code"], version=parsed["version"]).first()
    if existing is not None and existing.file_sha256 == parsed["sha256"]:
        return existing, "unchanged"
    if existing is None:
        criteria_set = CriteriaSet.objects.create(code=parsed["code"], version=parsed["version"], owner_province=owner,
                                                  file_sha256=parsed["sha256"], **fields)
        outcome = "created"
    else:
        criteria_set = existing
        for key, value in fields.items():
            setattr(criteria_set, key, value)
        criteria_set.owner_province = owner
        criteria_set.file_sha256 = parsed["sha256"]
        criteria_set.save()
        outcome = "updated"
    kept_indicators: set[str] = set()
    position = 0
    fresh = outcome == "created"
    new_indicators: list[CriterionIndicator] = []
    for cpos, item in enumerate(parsed["criteria"]):
        criterion_fields = {"name_vi": item["name_vi"], "name_en": item["name_en"], "verified": item["verified"],
                            "position": cpos}
        if fresh:
            criterion = Criterion.objects.create(criteria_set=criteria_set, number=item["number"], **criterion_fields)
        else:
            criterion, _ = Criterion.objects.update_or_create(criteria_set=criteria_set, number=item["number"],
                                                              defaults=criterion_fields)
        for ind in item["indicators"]:
            threshold = ind["threshold"]
            fields = {
                "criterion": criterion, "name_vi": ind["name_vi"], "name_en": ind["name_en"],
                "verified": ind["verified"], "placeholder": ind["placeholder"], "kind": threshold["kind"],
                "unit": threshold["unit"], "comparison": threshold["comparison"], "thresholds": threshold["values"],
                "threshold_verified": threshold["verified"], "threshold_basis_vi": threshold["basis_vi"],
                "threshold_basis_en": threshold["basis_en"], "metric": ind["metric"],
                "awaited_metric": ind["awaited_metric"],
                "supporting": ind["supporting"], "derived": threshold["derived"], "source": ind["source"],
                "note_vi": ind["note_vi"], "note_en": ind["note_en"], "position": position,
            }
            if fresh:
                new_indicators.append(CriterionIndicator(criteria_set=criteria_set, code=ind["code"], **fields))
            else:
                CriterionIndicator.objects.update_or_create(criteria_set=criteria_set, code=ind["code"], defaults=fields)
            kept_indicators.add(ind["code"])
            position += 1
    if fresh:
        CriterionIndicator.objects.bulk_create(new_indicators)
        CriteriaSet.objects.filter(code=criteria_set.code).exclude(pk=criteria_set.pk).update(is_latest=False)
        return criteria_set, outcome
    stale = CriterionIndicator.objects.filter(criteria_set=criteria_set).exclude(code__in=kept_indicators)
    if stale.filter(pk__in=_used_indicator_ids(criteria_set)).exists():
        raise _fail(f"{parsed['code']}.yaml: version", "version_in_use",
                    "Bộ tiêu chí đã có bản đánh giá dùng chỉ tiêu bị bỏ: hãy tăng số phiên bản (version).",
                    "Assessments use an indicator this file drops: bump the version instead.")
    stale.delete()
    Criterion.objects.filter(criteria_set=criteria_set, indicators__isnull=True).delete()
    CriteriaSet.objects.filter(code=criteria_set.code).exclude(pk=criteria_set.pk).update(is_latest=False)
    CriteriaSet.objects.filter(pk=criteria_set.pk).update(is_latest=True)
    return criteria_set, outcome


def _used_indicator_ids(criteria_set: CriteriaSet) -> Any:
    from .models import AssessmentResult

    return AssessmentResult.objects.filter(assessment__criteria_set=criteria_set).values("indicator_id")


@transaction.atomic
def sync_sets(files: list[SetFile] | None = None, actor: Any = None) -> list[tuple[CriteriaSet, str]]:
    """Load set files (default: the shipped ones) into the database; return ``[(set, outcome)]``
    with outcome ``created``/``updated``/``unchanged``.

    Idempotent by (code, version) and file hash; a changed file of the same version updates that
    version in place (approved assessments keep the thresholds they were judged against). All or
    nothing: a bad file raises :class:`RuleViolation` and nothing is written. ``derived``
    thresholds must name a set and indicator that exist once every file is read.
    """
    files = shipped_set_files() if files is None else files
    known: dict[str, list[dict[str, Any]]] = {
        cs.code: cs.classes for cs in CriteriaSet.objects.filter(is_latest=True)
    }
    parsed_all = []
    pending = list(files)
    # classes_from may point at a set later in the list: parse in rounds.
    for _ in range(len(pending) + 1):
        retry = []
        for file in pending:
            try:
                parsed = parse_set(file, known)
            except RuleViolation as exc:
                if exc.rule == "criteria.classes_from":
                    retry.append((file, exc))
                    continue
                raise
            known[parsed["code"]] = parsed["classes"]
            parsed_all.append(parsed)
        if not retry:
            break
        if len(retry) == len(pending):
            raise retry[0][1]
        pending = [file for file, _ in retry]
    codes = {(p["code"], ind["code"]) for p in parsed_all for c in p["criteria"] for ind in c["indicators"]}
    codes |= set(CriterionIndicator.objects.filter(criteria_set__is_latest=True)
                 .values_list("criteria_set__code", "code"))
    for parsed in parsed_all:
        for c in parsed["criteria"]:
            for ind in c["indicators"]:
                derived = ind["threshold"]["derived"]
                if derived and (derived["set"], derived["indicator"]) not in codes:
                    raise _fail(f"{parsed['code']}: {ind['code']}.threshold.derived", "derived",
                                f"Không có chỉ tiêu {derived['indicator']} trong bộ '{derived['set']}'.",
                                f"No indicator {derived['indicator']} in set '{derived['set']}'.")
    results = [_write(parsed) for parsed in parsed_all]
    for criteria_set, outcome in results:
        if outcome != "unchanged":
            record(actor, f"criteria.set_{outcome}", criteria_set,
                   data={"code": criteria_set.code, "version": criteria_set.version,
                         "sha256": criteria_set.file_sha256})
    return results


def ensure_sets() -> None:
    """Load the shipped sets if none is loaded yet (demo, first use)."""
    if not CriteriaSet.objects.exists():
        sync_sets()


def _package_yaml(name: str) -> dict[str, Any]:
    return yaml.safe_load(resources.files("langso.criteria").joinpath(f"data/{name}").read_text("utf-8"))


@functools.cache
def programme_targets() -> dict[str, Any]:
    """The Decision 924/QĐ-TTg targets (``data/programme_targets.yaml``): ``{version, source,
    horizon, targets: [{code, group, name_vi, name_en, verified, measures: [...]}]}``."""
    data = _package_yaml("programme_targets.yaml")
    for target in data["targets"]:
        for measure in target["measures"]:
            if measure["source"] not in {"assessment", "certification", "indicator", "legacy_indicator", "none"}:
                raise ValueError(f"{target['code']}.{measure['key']}: unknown source {measure['source']!r}")
            if measure["comparison"] not in COMPARISONS:
                raise ValueError(f"{target['code']}.{measure['key']}: unknown comparison")
    return data


@functools.cache
def dhis2_mapping() -> dict[str, Any]:
    """The DHIS2 code mapping (``data/dhis2.yaml``), see docs/criteria.md."""
    return _package_yaml("dhis2.yaml")
