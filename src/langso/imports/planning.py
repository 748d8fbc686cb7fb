"""From spreadsheet rows to households of persons, with every row-level rule checked (no database).

Households: when a household-number column is mapped, rows with the same number form one
household and its first row must be the head; otherwise a household starts at each "Chủ hộ" row
and takes the rows below it up to the next head. A member row above any head, or in a household
whose head row was rejected, is rejected too (its reason names the head's row), so that a
household is never written without its head. Duplicates inside the file (same CCCD, same CMND, or
same name and date of birth within one household) reject the later row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from langso.lib.errors import RuleViolation
from langso.registry.bulk import fold_name
from langso.registry.models import Relation

from . import values
from .parsing import FIELD_LABELS

HEAD = Relation.HEAD.value


@dataclass(slots=True)
class Person:
    row: int
    full_name: str
    search_name: str
    date_of_birth: dt.date
    sex: str
    relation: str
    cccd: str | None
    cmnd: str | None
    phone: str
    village: str
    address: str
    approximate_dob: bool = False


@dataclass
class HouseholdGroup:
    """One household of the file: ``members[0]`` is the head."""

    key: str
    members: list[Person] = field(default_factory=list)


@dataclass(slots=True)
class RowError:
    """A rejected row: spreadsheet ``row``, the ``field`` and rule broken, the message in vi and en,
    and the row's cells as text (for the error report)."""

    row: int
    field: str
    rule: str
    vi: str
    en: str
    cells: list[str]

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "field": self.field, "rule": self.rule, "vi": self.vi, "en": self.en,
                "cells": self.cells}


@dataclass
class Plan:
    households: list[HouseholdGroup]
    errors: list[RowError]
    total_rows: int
    approximate_rows: list[int]
    restored_ids: list[int]


def _cell(row: list[Any], mapping: dict[str, int], name: str) -> Any:
    index = mapping.get(name)
    if index is None or index >= len(row):
        return None
    value = row[index]
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.date, dt.datetime)):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _error(number: int, cells: list[Any], exc: RuleViolation) -> RowError:
    label = FIELD_LABELS.get(exc.field, exc.field).split(" / ")
    vi_field, en_field = label[0], label[-1]
    return RowError(number, exc.field, exc.rule, f"Dòng {number}, cột {vi_field}: {exc.vi}",
                    f"Row {number}, field {en_field}: {exc.en}", [_as_text(c) for c in cells])


def parse_person(number: int, row: list[Any], mapping: dict[str, int], today: dt.date) -> tuple[Person, bool]:
    """One row → (:class:`Person`, id restored?). Raises :class:`RuleViolation` naming the field."""
    name = values.text(_cell(row, mapping, "full_name"))
    if not name:
        raise RuleViolation("full_name", "import.name", "Họ và tên không được để trống.", "The full name is required.")
    if len(name) > 150:
        raise RuleViolation("full_name", "import.name_length", "Họ và tên dài quá 150 ký tự.",
                            "The full name is longer than 150 characters.")
    raw_dob = _cell(row, mapping, "date_of_birth")
    if raw_dob is None:
        raise RuleViolation("date_of_birth", "import.dob_missing", "Thiếu ngày sinh.", "The date of birth is missing.")
    dob = values.parse_date(raw_dob, today)
    if dob.value > today:
        raise RuleViolation("date_of_birth", "import.dob_future", "Ngày sinh ở tương lai.",
                            "The date of birth is in the future.")
    if dob.value.year < 1890:
        raise RuleViolation("date_of_birth", "import.dob_old", "Ngày sinh trước năm 1890.",
                            "The date of birth is before 1890.")
    sex = values.parse_sex(_cell(row, mapping, "sex"))
    relation = values.parse_relation(_cell(row, mapping, "relation"))
    cccd = cmnd = None
    restored = False
    for column in ("id_number", "cccd", "cmnd"):
        raw = _cell(row, mapping, column)
        if raw is None:
            continue
        ident = values.parse_identifier(raw, dob.value, sex, field=column)
        if column == "cmnd" and ident.cccd:
            raise RuleViolation("cmnd", "import.cmnd_length", "Cột CMND chứa số 12 chữ số (CCCD).",
                                "The CMND column holds a 12-digit number (a CCCD).")
        cccd = ident.cccd or cccd
        cmnd = ident.cmnd or cmnd
        restored = restored or ident.restored
    phone = values.parse_phone(_cell(row, mapping, "phone"))
    person = Person(number, name, fold_name(name), dob.value, sex, relation, cccd, cmnd, phone,
                    values.text(_cell(row, mapping, "village")), values.text(_cell(row, mapping, "address")),
                    dob.approximate)
    return person, restored


def plan_rows(
    rows: Iterable[tuple[int, list[Any]]], mapping: dict[str, int], today: dt.date,
    progress: Callable[[int], None] | None = None,
) -> Plan:
    """Parse, validate and group ``(row number, cells)`` into households. Never raises for a bad row:
    it goes into ``Plan.errors`` with its reason."""
    errors: list[RowError] = []
    groups: list[HouseholdGroup] = []
    by_key: dict[str, HouseholdGroup] = {}
    rejected_heads: dict[str, int] = {}  # household key → row of its rejected head
    approximate: list[int] = []
    restored_ids: list[int] = []
    seen_cccd: dict[str, int] = {}
    seen_cmnd: dict[str, int] = {}
    seen_person: dict[tuple, int] = {}
    has_numbers = "household_no" in mapping
    current: HouseholdGroup | None = None
    current_rejected: int | None = None  # head row of the current (rejected) household
    total = 0
    for number, cells in rows:
        total += 1
        if progress and total % 2000 == 0:
            progress(total)
        household_no = values.text(_cell(cells, mapping, "household_no")) if has_numbers else ""
        try:
            person, restored = parse_person(number, cells, mapping, today)
        except RuleViolation as exc:
            errors.append(_error(number, cells, exc))
            # A rejected head takes its household with it.
            try:
                is_head = values.parse_relation(_cell(cells, mapping, "relation")) == HEAD
            except RuleViolation:
                is_head = False
            if has_numbers:
                if household_no and (is_head or household_no not in by_key):
                    rejected_heads.setdefault(household_no, number)
            elif is_head:
                current, current_rejected = None, number
            continue
        try:
            if has_numbers:
                if not household_no:
                    raise RuleViolation("household_no", "import.household_no", "Thiếu số hộ.",
                                        "The household number is missing.")
                if household_no in rejected_heads:
                    raise _head_rejected(rejected_heads[household_no])
                group = by_key.get(household_no)
                if group is None:
                    if person.relation != HEAD:
                        rejected_heads[household_no] = number
                        raise RuleViolation("relation", "import.head_first",
                                            "Dòng đầu tiên của hộ phải là chủ hộ.",
                                            "The first row of a household must be its head.")
                    group = by_key[household_no] = HouseholdGroup(household_no)
                    groups.append(group)
                elif person.relation == HEAD:
                    raise RuleViolation("relation", "import.one_head",
                                        f"Hộ {household_no} đã có chủ hộ ở dòng {group.members[0].row}.",
                                        f"Household {household_no} already has a head on row {group.members[0].row}.")
            else:
                if person.relation == HEAD:
                    current, current_rejected = HouseholdGroup(f"row{number}"), None
                    groups.append(current)
                elif current is None:
                    if current_rejected is not None:
                        raise _head_rejected(current_rejected)
                    raise RuleViolation("relation", "import.no_head_above",
                                        "Dòng không thuộc hộ nào: chủ hộ phải ở dòng đầu tiên của hộ.",
                                        "The row belongs to no household: the head must come first.")
                group = current
            if person.cccd:
                if person.cccd in seen_cccd:
                    raise RuleViolation("id_number", "import.duplicate_cccd",
                                        f"Số CCCD trùng với dòng {seen_cccd[person.cccd]}.",
                                        f"The CCCD repeats row {seen_cccd[person.cccd]}.")
            if person.cmnd:
                if person.cmnd in seen_cmnd:
                    raise RuleViolation("id_number", "import.duplicate_cmnd",
                                        f"Số CMND trùng với dòng {seen_cmnd[person.cmnd]}.",
                                        f"The CMND repeats row {seen_cmnd[person.cmnd]}.")
            key = (group.key, person.search_name, person.date_of_birth)
            if key in seen_person:
                raise RuleViolation("full_name", "import.duplicate_person",
                                    f"Người này (cùng họ tên và ngày sinh) đã có ở dòng {seen_person[key]} của cùng hộ.",
                                    f"The same person (name and date of birth) is already on row {seen_person[key]} "
                                    "of this household.")
        except RuleViolation as exc:
            errors.append(_error(number, cells, exc))
            continue
        if person.cccd:
            seen_cccd[person.cccd] = number
        if person.cmnd:
            seen_cmnd[person.cmnd] = number
        seen_person[key] = number
        group.members.append(person)
        if person.approximate_dob:
            approximate.append(number)
        if restored:
            restored_ids.append(number)
    return Plan(groups, errors, total, approximate, restored_ids)


def _head_rejected(row: int) -> RuleViolation:
    return RuleViolation("relation", "import.head_rejected",
                         f"Dòng chủ hộ ({row}) của hộ này bị từ chối nên không nhập thành viên.",
                         f"The head's row ({row}) of this household was rejected, so its members are not imported.")
