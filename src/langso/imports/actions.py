"""Every write of the import app: saving a column mapping, creating a job, running an import.

:func:`import_rows` is the engine shared by the web UI, the background task and the
``import_households`` command. Its transaction story: the whole import is ONE transaction. New
households go through :mod:`langso.registry.bulk` (``prepare_population`` + ``write_population``
in chunks of ``CHUNK`` households, each chunk a savepoint inside the outer transaction, so any
failure rolls the whole file back); changed persons of households already in the register go
through :func:`langso.registry.actions.update_resident` / ``update_household`` / ``add_resident``
(one audit entry each — there are few on a re-import). CMND numbers (``Resident.old_id_number``) of
new households go in with the bulk rows; those of persons already registered (which
``update_resident`` does not set) with one set-based UPDATE per 2,000 and one audit entry for the
batch. Matching a file person to the register: CCCD, else CMND, else folded name + date of
birth within the household found by the others; a household is found through any of its matched
members. Re-importing the same file therefore finds everyone and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Case, CharField, Value, When
from django.utils import timezone

from langso.accounts.access import require_write, scope_for
from langso.audit.log import record
from langso.lib.errors import RuleViolation
from langso.lib.vietnamese import fold
from langso.registry import actions as registry_actions
from langso.registry import bulk
from langso.registry.models import Household, Relation, Resident
from langso.territory.models import AdministrativeUnit, Village

from .models import ColumnMapping, ImportJob, Status
from .parsing import FIELDS
from .planning import HouseholdGroup, Person, Plan, RowError, _error

CHUNK = 20_000  # households per bulk write


def _authorise(actor: Any, commune: AdministrativeUnit) -> None:
    if actor is not None:
        require_write(scope_for(actor), commune.pk)


def save_mapping(actor: Any, commune: AdministrativeUnit, mapping: dict[str, str]) -> ColumnMapping:
    """Save the commune's ``{field: header text}`` mapping (unknown fields dropped). ``Http404`` outside scope."""
    _authorise(actor, commune)
    clean = {name: str(title) for name, title in mapping.items() if name in FIELDS}
    with transaction.atomic():
        saved, _ = ColumnMapping.objects.update_or_create(commune=commune,
                                                          defaults={"mapping": clean, "updated_by": actor})
        record(actor, "imports.mapping_save", saved, unit=commune, data={"fields": sorted(clean)})
    return saved


def create_job(actor: Any, commune: AdministrativeUnit, upload: Any, name: str) -> ImportJob:
    """Store an uploaded file as a new job of ``commune``. ``Http404`` outside scope."""
    _authorise(actor, commune)
    with transaction.atomic():
        job = ImportJob(commune=commune, created_by=actor, original_name=name[:255])
        job.file.save(name, upload, save=False)
        job.save()
        record(actor, "imports.upload", job, unit=commune, data={"file": name[:255]})
    return job


@dataclass
class Outcome:
    """What an import did: counts, the rejected rows and the notes for the report."""

    total_rows: int = 0
    households_created: int = 0
    residents_created: int = 0
    residents_updated: int = 0
    residents_unchanged: int = 0
    villages_created: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    approximate_rows: list[int] = field(default_factory=list)
    restored_ids: list[int] = field(default_factory=list)
    written: bool = False

    def as_report(self) -> dict[str, Any]:
        return {
            "total_rows": self.total_rows, "households_created": self.households_created,
            "residents_created": self.residents_created, "residents_updated": self.residents_updated,
            "residents_unchanged": self.residents_unchanged, "villages_created": self.villages_created,
            "rejected": len(self.errors), "errors": [e.as_dict() for e in self.errors],
            "approximate_rows": self.approximate_rows, "restored_ids": self.restored_ids, "written": self.written,
        }


_FIELDS_COMPARED = ("full_name", "date_of_birth", "sex", "relation_to_head", "phone")


def _reject_group(plan: Plan, group: HouseholdGroup, cells_of: dict[int, list], exc: RuleViolation,
                  at: Person) -> None:
    """Move a household's rows into the errors (the head's reason on its row; members name the head)."""
    plan.errors.append(_error(at.row, cells_of.get(at.row, []), exc))
    reason = RuleViolation("relation", "import.household_rejected",
                           f"Dòng {at.row} của hộ này bị từ chối nên cả hộ không được nhập.",
                           f"Row {at.row} of this household was rejected, so the household is not imported.")
    for person in group.members:
        if person is not at:
            plan.errors.append(_error(person.row, cells_of.get(person.row, []), reason))
    group.members.clear()


def import_rows(
    actor: Any, commune: AdministrativeUnit, plan: Plan, *, skip_bad_rows: bool = False,
    cells_of: dict[int, list] | None = None, source: str = "", today: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Outcome:
    """Write a :class:`~langso.imports.planning.Plan` into ``commune`` (see the module notes).

    All-or-nothing unless ``skip_bad_rows``: with any rejected row nothing is written and the
    outcome lists the rejected rows; with ``skip_bad_rows`` the other rows are written and the
    skipped rows are exactly ``Outcome.errors``. ``progress(done, total)`` counts households.
    Raises ``Http404`` for an actor who may not write ``commune``; :class:`RuleViolation` only for
    a failure of the whole file (e.g. a database constraint the checks did not foresee).
    """
    _authorise(actor, commune)
    today = today or timezone.localdate()
    cells_of = cells_of or {}
    outcome = Outcome(total_rows=plan.total_rows, approximate_rows=plan.approximate_rows,
                      restored_ids=plan.restored_ids)
    groups = [g for g in plan.households if g.members]

    # --- what the register already holds (one query each) ------------------------------------
    people = [p for g in groups for p in g.members]
    cccds = [p.cccd for p in people if p.cccd]
    by_cccd: dict[str, tuple] = {}
    columns = ("id", "household_id", "commune_id", "cccd", "old_id_number", "search_name", "date_of_birth",
               "full_name", "sex", "relation_to_head", "phone")
    for start in range(0, len(cccds), 5000):
        for row in (Resident.objects.filter(cccd__in=cccds[start:start + 5000], died_on__isnull=True)
                    .values_list(*columns)):
            by_cccd[row[3]] = row
    existing = list(Resident.objects.filter(commune=commune).values_list(*columns))
    by_cmnd = {row[4]: row for row in existing if row[4]}
    by_name = {(row[1], row[5], row[6]): row for row in existing}
    # A household whose members carry no identifier is found by its head's name and date of birth
    # (only when exactly one living head of the commune has them).
    by_head: dict[tuple, tuple | None] = {}
    for row in existing:
        if row[9] == Relation.HEAD:
            key = (row[5], row[6])
            by_head[key] = None if key in by_head else row
    households = {row[0]: row for row in Household.objects.filter(commune=commune)
                  .values_list("id", "village_id", "address")}
    villages = {v.search_name or fold(v.name): v.pk for v in Village.objects.filter(commune=commune)}

    new_groups: list[HouseholdGroup] = []
    updates: list[tuple[Person, tuple]] = []
    additions: list[tuple[Person, int]] = []
    household_changes: dict[int, dict[str, Any]] = {}
    cmnd_sets: list[tuple[int, str]] = []
    for group in groups:
        matched: list[tuple[Person, tuple | None]] = []
        household_id = None
        problem = None
        for person in group.members:
            row = by_cccd.get(person.cccd) if person.cccd else None
            if row is None and person.cmnd:
                row = by_cmnd.get(person.cmnd)
            if row is not None and row[2] != commune.pk:
                problem = (person, RuleViolation(
                    "id_number", "import.other_commune",
                    "Số CCCD này thuộc một cư dân của xã khác: chuyển hộ khẩu trước khi nhập.",
                    "This CCCD belongs to a resident of another commune: transfer the residence first."))
                break
            if row is not None:
                if household_id is not None and row[1] != household_id:
                    problem = (person, RuleViolation(
                        "id_number", "import.other_household",
                        "Người này đang thuộc một hộ khác trong sổ hộ.",
                        "This person belongs to another household in the register."))
                    break
                household_id = row[1]
            matched.append((person, row))
        if problem:
            _reject_group(plan, group, cells_of, problem[1], problem[0])
            continue
        if household_id is None:
            head = group.members[0]
            row = by_head.get((head.search_name, head.date_of_birth))
            if row is not None and not (head.cccd and row[3]) and not (head.cmnd and row[4]):
                household_id = row[1]
        if household_id is None:
            new_groups.append(group)
            continue
        for person, row in matched:
            row = row or by_name.get((household_id, person.search_name, person.date_of_birth))
            if row is None:
                additions.append((person, household_id))
                continue
            if person.cmnd and row[4] != person.cmnd:
                cmnd_sets.append((row[0], person.cmnd))
            current = dict(zip(columns, row))
            if (any(getattr(person, "relation" if f == "relation_to_head" else f) != current[f]
                    for f in _FIELDS_COMPARED) or (person.cccd and current["cccd"] != person.cccd)):
                updates.append((person, row))
            else:
                outcome.residents_unchanged += 1
        head = group.members[0]
        village_id = villages.get(fold(head.village)) if head.village else None
        old = households[household_id]
        change = {}
        if head.address and head.address != old[2]:
            change["address"] = head.address
        if head.village and village_id != old[1]:
            change["village"] = head.village
        if change:
            household_changes[household_id] = change
    outcome.errors = sorted(plan.errors, key=lambda e: e.row)
    if outcome.errors and not skip_bad_rows:
        return outcome

    # --- write: one transaction -----------------------------------------------------------------
    total = len(new_groups) + len(updates) + len(additions)
    done = 0
    with transaction.atomic():
        wanted = {fold(g.members[0].village): g.members[0].village for g in groups if g.members
                  and g.members[0].village}
        missing = [name for key, name in wanted.items() if key not in villages]
        if missing:
            created = bulk.register_villages(actor, [bulk.VillageRow(commune.pk, name) for name in missing])
            villages.update({v.search_name: v.pk for v in created})
            outcome.villages_created = [v.name for v in created]
        for start in range(0, len(new_groups), CHUNK):
            chunk = new_groups[start:start + CHUNK]
            hh_rows, res_rows = [], []
            for index, group in enumerate(chunk):
                head = group.members[0]
                hh_rows.append(bulk.HouseholdRow(commune.pk, villages.get(fold(head.village)) if head.village
                                                 else None, head.address, row=head.row))
                for person in group.members:
                    res_rows.append(bulk.ResidentRow(index, person.full_name, person.date_of_birth, person.sex,
                                                     person.relation, person.cccd, person.phone, row=person.row,
                                                     old_id_number=person.cmnd))
            prepared = bulk.prepare_population(hh_rows, res_rows, today=today)
            bulk.write_population(actor, prepared, source=source)
            outcome.households_created += len(hh_rows)
            outcome.residents_created += len(res_rows)
            done += len(chunk)
            if progress:
                progress(done, total)
        by_id = {}
        if updates or household_changes:
            ids = [row[0] for _, row in updates]
            by_id = Resident.objects.in_bulk(ids)
        for person, row in updates:
            resident = by_id[row[0]]
            changes = {"full_name": person.full_name, "date_of_birth": person.date_of_birth, "sex": person.sex,
                       "relation_to_head": person.relation, "phone": person.phone}
            if person.cccd:
                changes["cccd"] = person.cccd
            registry_actions.update_resident(actor, resident, today=today, **changes)
            outcome.residents_updated += 1
        for household_id, change in household_changes.items():
            if "village" in change:
                change["village"] = Village.objects.get(pk=villages[fold(change["village"])])
            registry_actions.update_household(actor, Household.objects.get(pk=household_id), **change)
        for person, household_id in additions:
            resident = registry_actions.add_resident(
                actor, Household.objects.get(pk=household_id), full_name=person.full_name,
                date_of_birth=person.date_of_birth, sex=person.sex, relation_to_head=person.relation,
                cccd=person.cccd, phone=person.phone, today=today)
            if person.cmnd:
                cmnd_sets.append((resident.pk, person.cmnd))
            outcome.residents_created += 1
        _set_cmnd(actor, commune, cmnd_sets, source)
        if progress:
            progress(total, total)
        outcome.written = True
    return outcome


def _set_cmnd(actor: Any, commune: AdministrativeUnit, pairs: list[tuple[int, str]], source: str) -> None:
    """Set ``old_id_number`` of residents in set-based UPDATEs (2,000 per statement), one audit entry."""
    if not pairs:
        return
    for start in range(0, len(pairs), 2000):
        part = pairs[start:start + 2000]
        Resident.objects.filter(pk__in=[pk for pk, _ in part], commune=commune).update(
            old_id_number=Case(*[When(pk=pk, then=Value(number)) for pk, number in part], output_field=CharField()))
    record(actor, "imports.set_old_id_numbers", target_type="registry.Resident", target_id=f"{len(pairs)} rows",
           unit=commune, data={"residents": len(pairs), "source": source})


def finish_job(job: ImportJob, outcome: Outcome | None, failure: RuleViolation | None = None) -> None:
    """Record a job's end (status, report, progress) — bookkeeping of the job row itself."""
    if failure is not None:
        job.status = Status.FAILED
        job.report = {"failure": failure.as_dict()}
    else:
        job.report = outcome.as_report()
        job.status = Status.DONE if outcome.written else Status.FAILED
    job.progress = 100
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "report", "progress", "finished_at"])
    record(job.created_by, "imports.finish", job, unit=job.commune,
           data={key: value for key, value in job.report.items() if key not in {"errors", "cells"}})


def file_mapping(commune: AdministrativeUnit, titles: list[str]) -> dict[str, int]:
    """The mapping for a file's header: the commune's saved mapping over the detected one."""
    from .parsing import apply_saved_mapping, guess_mapping

    saved = ColumnMapping.objects.filter(commune=commune).values_list("mapping", flat=True).first()
    return apply_saved_mapping(titles, saved) if saved else guess_mapping(titles)


def relation_label(value: str) -> str:
    return Relation(value).label.split(" / ")[0]


@dataclass
class FileImport:
    """A file read and planned: the sheet's header titles, the mapping used and the outcome."""

    titles: list[str]
    mapping: dict[str, int]
    encoding: str
    header_row: int
    outcome: Outcome


def import_file(
    actor: Any, commune: AdministrativeUnit, path: Any, *, name: str | None = None, skip_bad_rows: bool = False,
    mapping: dict[str, int] | None = None, dry_run: bool = False, today: dt.date | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> FileImport:
    """Read ``path`` (.xlsx/.xls/.csv), detect the header and mapping (``mapping`` overrides:
    field → column index), validate every row and import (:func:`import_rows`).

    ``dry_run`` validates and matches but writes nothing. ``progress(stage, done, total)`` with
    stage ``"read"``, ``"check"`` (rows) or ``"write"`` (households). Raises :class:`RuleViolation`
    for a file that cannot be read at all (format, encoding, no header), ``Http404`` outside scope.
    """
    from .parsing import data_rows, detect_header, read_file
    from .planning import plan_rows

    _authorise(actor, commune)
    today = today or timezone.localdate()
    if progress:
        progress("read", 0, 1)
    sheet = read_file(path, name)
    if progress:
        progress("read", 1, 1)
    try:
        header = detect_header(sheet)
    except RuleViolation:
        if not mapping:
            raise
        # Headers nobody recognises, but the officer named the columns: the header is the first
        # non-empty row.
        from .parsing import Header

        first = next((i for i, row in enumerate(sheet.rows) if any(c not in (None, "") for c in row)), 0)
        header = Header(first, [str(c or "") for c in (sheet.rows[first] if sheet.rows else [])])
    used = dict(mapping) if mapping else file_mapping(commune, header.titles)
    if "full_name" not in used:
        raise RuleViolation("mapping", "import.mapping_name", "Chưa chọn cột Họ và tên.",
                            "No column is mapped to the full name.")
    rows = list(data_rows(sheet, header))
    cells_of = {number: cells for number, cells in rows}
    total = len(rows)
    plan = plan_rows(rows, used, today, progress=(lambda done: progress("check", done, total)) if progress else None)
    if progress:
        progress("check", total, total)
    if dry_run:
        outcome = Outcome(total_rows=plan.total_rows, errors=sorted(plan.errors, key=lambda e: e.row),
                          approximate_rows=plan.approximate_rows, restored_ids=plan.restored_ids)
    else:
        outcome = import_rows(actor, commune, plan, skip_bad_rows=skip_bad_rows, cells_of=cells_of,
                              source=name or str(path), today=today,
                              progress=(lambda d, t: progress("write", d, t)) if progress else None)
    return FileImport(header.titles, used, sheet.encoding, sheet.first_row + header.row_index, outcome)


def run_job(job: ImportJob, progress_every: int = 5) -> ImportJob:
    """Run a queued job (web upload or background task), updating ``progress`` as it goes."""
    job.status = Status.RUNNING
    job.save(update_fields=["status"])
    last = [-progress_every]

    def progress(stage: str, done: int, total: int) -> None:
        share = {"read": (0, 10), "check": (10, 40), "write": (40, 99)}[stage]
        value = share[0] + (share[1] - share[0]) * done // max(total, 1)
        if value - last[0] >= progress_every:
            last[0] = value
            ImportJob.objects.filter(pk=job.pk).update(progress=value)

    try:
        result = import_file(job.created_by, job.commune, job.file.path, name=job.original_name,
                             skip_bad_rows=job.skip_bad_rows, mapping={k: int(v) for k, v in job.mapping.items()},
                             progress=progress)
    except RuleViolation as exc:
        finish_job(job, None, exc)
        return job
    finish_job(job, result.outcome)
    return job


def confirm_job(actor: Any, job: ImportJob, mapping: dict[str, int], skip_bad_rows: bool) -> ImportJob:
    """Queue ``job`` with the officer's mapping; the background task starts after commit."""
    _authorise(actor, job.commune)
    from .tasks import run_import_job

    with transaction.atomic():
        job.mapping = {k: int(v) for k, v in mapping.items() if k in FIELDS}
        job.skip_bad_rows = skip_bad_rows
        job.status = Status.QUEUED
        job.progress = 0
        job.save(update_fields=["mapping", "skip_bad_rows", "status", "progress"])
        record(actor, "imports.confirm", job, unit=job.commune, data={"skip_bad_rows": skip_bad_rows})
        transaction.on_commit(lambda: run_import_job.enqueue(job.pk))
    return job
