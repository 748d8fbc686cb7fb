"""Survey definitions as data: the YAML files of ``participation/surveys/``.

Shape of a definition (see ``surveys/ntm-satisfaction.yaml``, the shipped default)::

    code: str (letters, digits, "-")      version: int ≥ 1       kind: satisfaction | other
    title: {vi, en}    intro: {vi, en}    source: str (why the survey exists)
    scales: {name: {points: [{value: int, vi, en}, …] (2–11 points, distinct values),
                    satisfied: [values that count as satisfied], dont_know: {vi, en} (optional)}}
    questions: [{code, type: scale, scale: name, text: {vi, en}}
                | {code, type: text, max_length: int ≤ 4000, text: {vi, en}}]

:func:`validate` raises :class:`~langso.lib.errors.RuleViolation` naming the key path of the first
broken rule (``questions[3].scale``). A run stores a snapshot of the validated mapping.
"""

from __future__ import annotations

import functools
import re
from importlib import resources
from typing import Any

import yaml

from langso.lib.errors import RuleViolation
from langso.lib.vietnamese import nfc

DEFAULT_SURVEY = "ntm-satisfaction"
CODE_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,59}$")
QUESTION_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MAX_TEXT = 4000


def _bad(where: str, rule: str, vi: str, en: str) -> RuleViolation:
    return RuleViolation(where, f"survey.{rule}", vi, en, source="docs/participation.md")


def _bilingual(value: Any, where: str) -> dict[str, str]:
    if not isinstance(value, dict) or not value.get("vi") or not value.get("en"):
        raise _bad(where, "bilingual", "Cần cả tiếng Việt (vi) và tiếng Anh (en).", "Needs both vi and en text.")
    return {"vi": nfc(str(value["vi"]).strip()), "en": str(value["en"]).strip()}


def validate(data: Any) -> dict[str, Any]:
    """Check a definition mapping and return it normalised (NFC text, ints). Raises ``RuleViolation``."""
    if not isinstance(data, dict):
        raise _bad("survey", "mapping", "Định nghĩa khảo sát phải là một bảng khóa–giá trị.",
                   "A survey definition must be a mapping.")
    code = str(data.get("code", ""))
    if not CODE_RE.match(code):
        raise _bad("code", "code", "Mã khảo sát chỉ gồm chữ thường, số và '-'.",
                   "Survey code: lowercase letters, digits and '-'.")
    version = data.get("version", 1)
    if not isinstance(version, int) or version < 1:
        raise _bad("version", "version", "Phiên bản phải là số nguyên ≥ 1.", "Version must be an integer ≥ 1.")
    kind = data.get("kind", "other")
    if kind not in ("satisfaction", "other"):
        raise _bad("kind", "kind", "Loại khảo sát là 'satisfaction' hoặc 'other'.", "Kind is 'satisfaction' or 'other'.")
    title = _bilingual(data.get("title"), "title")
    intro = _bilingual(data.get("intro"), "intro") if data.get("intro") else {"vi": "", "en": ""}
    scales: dict[str, Any] = {}
    for name, scale in (data.get("scales") or {}).items():
        where = f"scales.{name}"
        points = scale.get("points") if isinstance(scale, dict) else None
        if not isinstance(points, list) or not 2 <= len(points) <= 11:
            raise _bad(f"{where}.points", "points", "Thang đo cần từ 2 đến 11 mức.", "A scale needs 2 to 11 points.")
        clean_points = []
        for i, point in enumerate(points):
            if not isinstance(point, dict) or not isinstance(point.get("value"), int):
                raise _bad(f"{where}.points[{i}].value", "point", "Mỗi mức cần một giá trị số nguyên.",
                           "Each point needs an integer value.")
            label = _bilingual(point, f"{where}.points[{i}]")
            clean_points.append({"value": point["value"], **label})
        values = [p["value"] for p in clean_points]
        if len(set(values)) != len(values):
            raise _bad(f"{where}.points", "distinct", "Các mức của thang đo phải khác nhau.", "Scale values must be distinct.")
        satisfied = scale.get("satisfied") or []
        if not satisfied or any(v not in values for v in satisfied):
            raise _bad(f"{where}.satisfied", "satisfied", "'satisfied' phải liệt kê các mức có trong thang đo.",
                       "'satisfied' must list values of the scale.")
        clean = {"points": clean_points, "satisfied": sorted(satisfied)}
        if scale.get("dont_know"):
            clean["dont_know"] = _bilingual(scale["dont_know"], f"{where}.dont_know")
        scales[name] = clean
    questions = []
    seen = set()
    for i, question in enumerate(data.get("questions") or []):
        where = f"questions[{i}]"
        qcode = str(question.get("code", "")) if isinstance(question, dict) else ""
        if not QUESTION_RE.match(qcode) or qcode in seen:
            raise _bad(f"{where}.code", "question_code", "Mã câu hỏi trống, sai dạng hoặc trùng.",
                       "Question code empty, malformed or repeated.")
        seen.add(qcode)
        text = _bilingual(question.get("text"), f"{where}.text")
        qtype = question.get("type")
        if qtype == "scale":
            if question.get("scale") not in scales:
                raise _bad(f"{where}.scale", "scale", "Câu hỏi dùng thang đo không có.", "The question names no known scale.")
            questions.append({"code": qcode, "type": "scale", "scale": question["scale"], "text": text})
        elif qtype == "text":
            max_length = question.get("max_length", 1000)
            if not isinstance(max_length, int) or not 1 <= max_length <= MAX_TEXT:
                raise _bad(f"{where}.max_length", "max_length", f"Độ dài tối đa từ 1 đến {MAX_TEXT}.",
                           f"max_length from 1 to {MAX_TEXT}.")
            questions.append({"code": qcode, "type": "text", "max_length": max_length, "text": text})
        else:
            raise _bad(f"{where}.type", "type", "Loại câu hỏi là 'scale' hoặc 'text'.", "Question type is 'scale' or 'text'.")
    if not any(q["type"] == "scale" for q in questions):
        raise _bad("questions", "no_scale", "Khảo sát cần ít nhất một câu hỏi theo thang đo.",
                   "A survey needs at least one scale question.")
    return {
        "code": code, "version": version, "kind": kind,
        "title": title, "intro": intro,
        "source": nfc(str(data.get("source", "")).strip()),
        "scales": scales, "questions": questions,
    }


def parse(text: str) -> dict[str, Any]:
    """Parse and validate YAML text. Raises ``RuleViolation`` (bad YAML is rule ``survey.yaml``)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise _bad("survey", "yaml", f"YAML không đọc được: {exc}", f"Unreadable YAML: {exc}") from exc
    return validate(data)


@functools.cache
def shipped() -> dict[str, dict[str, Any]]:
    """The validated definitions shipped in ``surveys/*.yaml``, by code (default first)."""
    found: dict[str, dict[str, Any]] = {}
    folder = resources.files("langso.participation").joinpath("surveys")
    for entry in sorted(folder.iterdir(), key=lambda e: (e.name != f"{DEFAULT_SURVEY}.yaml", e.name)):
        if entry.name.endswith((".yaml", ".yml")):
            definition = parse(entry.read_text("utf-8"))
            found[definition["code"]] = definition
    return found


def get(code: str) -> dict[str, Any]:
    """One shipped definition; ``RuleViolation`` for an unknown code."""
    try:
        return shipped()[code]
    except KeyError:
        raise _bad("survey_code", "unknown", f"Không có khảo sát '{code}'.", f"No survey named '{code}'.") from None


def text(value: dict[str, str], language: str) -> str:
    """The ``en`` text for English, the ``vi`` text otherwise."""
    return value.get("en") if language.startswith("en") else value.get("vi", "")
