"""Every write of the addressing app: issuing address codes (one household, a commune, a
province), setting a household's location, checking locations and importing official codes.

Each action takes the acting user (``None`` for a system job: a command, the demo), checks that
the actor may write the commune (``Http404`` otherwise, as everywhere), runs in one transaction
and writes an audit entry. Broken rules raise :class:`~langso.lib.errors.RuleViolation`.

Concurrency (no check-then-act): issuing takes a row lock on the commune
(``SELECT … FOR UPDATE``), so two requests assigning the same commune run one after the other
and the second finds nothing left to do; serials come from :class:`~.models.CodeCell` rows
locked in cell order (no deadlock between workers of neighbouring communes sharing a cell) and
bumped under the lock; and the unique constraints on the household, the code and
(cell, serial) are the last guard — an ``IntegrityError`` rolls the batch back and it is retried.
On SQLite the whole transaction holds the database write lock (``BEGIN IMMEDIATE``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction

from langso.accounts.access import require_write, scope_for
from langso.audit.log import record
from langso.lib.errors import RuleViolation
from langso.lib.vietnamese import nfc
from langso.registry import actions as registry_actions
from langso.registry.models import Household
from langso.territory.models import AdministrativeUnit, Level

from . import codes, quality
from .coordinates import parse_coordinates
from .models import AddressCode, CodeCell, IdentifierScheme, OfficialIdentifier
from .official import validate_identifier

RETRIES = 5
BATCH = 5000


def _authorise(actor: Any, commune: AdministrativeUnit) -> None:
    if actor is None:
        return
    require_write(scope_for(actor), commune.pk)


def _lock_commune(commune: AdministrativeUnit) -> None:
    AdministrativeUnit.objects.select_for_update().filter(pk=commune.pk).values_list("pk", flat=True).first()


def _reserve(cells: Counter) -> dict[str, int]:
    """Reserve ``cells[c]`` serials in each cell; return the first serial reserved per cell.

    Must run inside a transaction. Counter rows are created if missing (``ON CONFLICT DO
    NOTHING``), locked in cell order, bumped and saved before the transaction ends.
    """
    names = sorted(cells)
    CodeCell.objects.bulk_create([CodeCell(cell=c) for c in names], ignore_conflicts=True, batch_size=500)
    first: dict[str, int] = {}
    rows: list[CodeCell] = []
    for start in range(0, len(names), 500):
        chunk = names[start:start + 500]
        rows += list(CodeCell.objects.select_for_update().filter(cell__in=chunk).order_by("cell"))
    for row in rows:
        needed = cells[row.cell]
        if row.last_serial + needed > codes.MAX_SERIAL:
            raise RuleViolation(
                "address_code", "address_code.cell_full",
                f"Ô lưới {row.cell} đã hết số thứ tự ({codes.MAX_SERIAL}).",
                f"Grid cell {row.cell} has no serials left ({codes.MAX_SERIAL}).", codes.SOURCE,
            )
        first[row.cell] = row.last_serial + 1
        row.last_serial += needed
    CodeCell.objects.bulk_update(rows, ["last_serial"], batch_size=500)
    return first


def _new_codes(commune: AdministrativeUnit, located: list[tuple[int, float, float]]) -> list[AddressCode]:
    cells = [(pk, codes.cell_of(lat, lon), lat, lon) for pk, lat, lon in located]
    first = _reserve(Counter(cell for _, cell, _, _ in cells))
    out = []
    for pk, cell, lat, lon in cells:
        serial = first[cell]
        first[cell] += 1
        out.append(AddressCode(household_id=pk, commune_id=commune.pk, code=codes.make_code(cell, serial),
                               cell=cell, serial=serial, anchor_lat=lat, anchor_lon=lon))
    return out


@dataclass
class AssignmentReport:
    """What one assignment did. ``unlocated``: households without GPS (no code can be derived);
    ``outside_grid``: households whose point is outside the national grid (a wrong point)."""

    issued: int = 0
    already: int = 0
    unlocated: int = 0
    outside_grid: list[int] = field(default_factory=list)
    communes: int = 0

    def add(self, other: AssignmentReport) -> None:
        self.issued += other.issued
        self.already += other.already
        self.unlocated += other.unlocated
        self.outside_grid += other.outside_grid
        self.communes += other.communes


def issue_address_code(actor: Any, household: Household) -> AddressCode:
    """The household's code: the existing one, or a new one derived from its point.

    Idempotent. Raises :class:`RuleViolation` ``address_code.no_location`` when the household has
    no GPS point, ``address_code.outside_grid`` when the point is outside the national grid,
    ``address_code.dissolved`` for a dissolved household; ``Http404`` for an actor outside the commune.
    """
    commune = household.commune
    _authorise(actor, commune)
    for attempt in range(RETRIES):
        try:
            with transaction.atomic():
                _lock_commune(commune)
                existing = AddressCode.objects.filter(household_id=household.pk).first()
                if existing is not None:
                    return existing
                current = Household.objects.get(pk=household.pk)
                if current.dissolved_on is not None:
                    raise RuleViolation("household", "address_code.dissolved",
                                        "Hộ đã giải thể: không cấp mã địa chỉ.",
                                        "The household is dissolved: no address code is issued.")
                if not current.has_location:
                    raise RuleViolation("latitude", "address_code.no_location",
                                        "Hộ chưa có toạ độ GPS: cần vị trí để cấp mã địa chỉ số.",
                                        "The household has no GPS point: a location is needed to issue a code.",
                                        codes.SOURCE)
                (code,) = _new_codes(commune, [(current.pk, current.latitude, current.longitude)])
                code.save()
                record(actor, "address_code.issue", code, unit=commune,
                       data={"household": current.pk, "code": code.code})
                return code
        except IntegrityError:
            if attempt == RETRIES - 1:
                raise
    raise AssertionError("unreachable")


def assign_codes(actor: Any, commune: AdministrativeUnit) -> AssignmentReport:
    """Issue a code to every active, located household of ``commune`` that has none.

    Idempotent (a second run issues nothing) and safe to run concurrently with itself and with
    :func:`issue_address_code` (see the module docstring). Households are taken in batches of
    :data:`BATCH`, one transaction and one audit entry each. Households without a point, or with a
    point outside the grid, are counted and skipped.
    """
    _authorise(actor, commune)
    if commune.level != Level.COMMUNE:
        raise RuleViolation("commune", "commune.level", "Chỉ cấp mã cho đơn vị cấp xã.",
                            "Codes are assigned per commune-level unit.")
    report = AssignmentReport(communes=1)
    base = Household.objects.filter(commune=commune, dissolved_on__isnull=True)
    report.unlocated = base.filter(latitude__isnull=True).count()
    report.already = AddressCode.objects.filter(household__in=base).count()
    skipped: set[int] = set()
    while True:
        done = False
        for attempt in range(RETRIES):
            try:
                with transaction.atomic():
                    _lock_commune(commune)
                    rows = list(
                        base.filter(latitude__isnull=False, address_code__isnull=True)
                        .exclude(pk__in=skipped).order_by("pk").values_list("pk", "latitude", "longitude")[:BATCH]
                    )
                    if not rows:
                        done = True
                        break
                    inside = [r for r in rows if codes.in_grid(r[1], r[2])]
                    for r in rows:
                        if not codes.in_grid(r[1], r[2]):
                            skipped.add(r[0])
                            report.outside_grid.append(r[0])
                    new = _new_codes(commune, inside)
                    AddressCode.objects.bulk_create(new, batch_size=1000)
                    record(actor, "address_code.assign", commune, unit=commune,
                           data={"issued": len(new), "outside_grid": len(rows) - len(inside)})
                    report.issued += len(new)
                break
            except IntegrityError:
                if attempt == RETRIES - 1:
                    raise
        if done:
            break
    return report


def assign_codes_for_province(actor: Any, province: AdministrativeUnit,
                              on_commune: Any = None) -> AssignmentReport:
    """:func:`assign_codes` for every current commune of ``province`` the actor may write (a
    system job or a superuser: all of them). ``on_commune(commune, report)`` is called after each."""
    if province.level != Level.PROVINCE:
        raise RuleViolation("province", "province.level", "Cần một đơn vị cấp tỉnh.", "A province is needed.")
    total = AssignmentReport()
    communes = AdministrativeUnit.objects.current().communes().filter(province=province).order_by("code")
    scope = scope_for(actor) if actor is not None else None
    for commune in communes:
        if scope is not None and not scope.can_write_commune(commune.pk):
            continue
        report = assign_codes(actor, commune)
        total.add(report)
        if on_commune:
            on_commune(commune, report)
    return total


def check_locations(actor: Any, commune: AdministrativeUnit, on: dt.date | None = None) -> quality.CheckSummary:
    """Check every located household of ``commune`` (see :mod:`langso.addressing.quality`) and
    store the results; one audit entry with the counts."""
    _authorise(actor, commune)
    with transaction.atomic():
        summary = quality.check_commune(commune, on)
        record(actor, "address.location_check", commune, unit=commune, data=summary.__dict__)
    return summary


@dataclass(frozen=True)
class LocationOutcome:
    """The result of setting a location: the saved household, the verdict of its point and the
    household's code (existing, newly issued, or ``None``)."""

    household: Household
    verdict: quality.PointVerdict
    code: AddressCode | None


def set_household_location(
    actor: Any, household: Household, *, text: str | None = None, latitude: float | None = None,
    longitude: float | None = None, allow_outside: bool = False, issue_code: bool = False, source: str = "typed",
) -> LocationOutcome:
    """Set or correct a household's point from typed ``text`` (decimal, DMS, ``geo:``, Plus Code:
    :func:`~langso.addressing.coordinates.parse_coordinates`) or from ``latitude``/``longitude``
    (a click on the map). WGS84 degrees.

    A point outside the commune's boundary is refused (``location.outside_commune``, naming the
    distance) unless ``allow_outside``; the household's code, if any, is kept (codes never change).
    Writes through :func:`langso.registry.actions.update_household`, then stores the new check and,
    with ``issue_code``, issues a code if the household has none.
    """
    commune = household.commune
    _authorise(actor, commune)
    if text is not None and text.strip():
        centre = (commune.centroid_lat, commune.centroid_lon) if commune.centroid_lat is not None else None
        latitude, longitude = parse_coordinates(nfc(text), near=centre)
    if latitude is None or longitude is None:
        raise RuleViolation("coordinates", "coordinates.empty", "Chưa nhập toạ độ.", "No coordinates were given.")
    try:
        latitude, longitude = round(float(latitude), 7), round(float(longitude), 7)
    except (TypeError, ValueError) as exc:
        raise RuleViolation("coordinates", "coordinates.format", "Toạ độ phải là số.",
                            "Coordinates must be numbers.") from exc
    verdict = quality.verdict_for_point(commune, household.village_id, latitude, longitude)
    if verdict.inside_commune is False and not allow_outside:
        raise RuleViolation(
            "coordinates", "location.outside_commune",
            f"Điểm ({latitude}, {longitude}) nằm ngoài ranh giới {commune.full_name} khoảng "
            f"{verdict.outside_by_m or 0:,.0f} m. Kiểm tra lại, hoặc chọn 'Vẫn lưu' nếu đúng là vậy.",
            f"Point ({latitude}, {longitude}) is about {verdict.outside_by_m or 0:,.0f} m outside the boundary of "
            f"{commune.full_name}. Check it, or tick 'Save anyway' if it is right.",
        )
    with transaction.atomic():
        household = registry_actions.update_household(actor, household, latitude=latitude, longitude=longitude)
        quality.check_commune(commune, household_ids=[household.pk])
        record(actor, "address.location_set", household, unit=commune,
               data={"source": source, "inside_commune": verdict.inside_commune, "near_village": verdict.near_village})
    code = AddressCode.objects.filter(household=household).first()
    if code is None and issue_code and codes.in_grid(latitude, longitude):
        code = issue_address_code(actor, household)
    return LocationOutcome(household, verdict, code)


def record_survey_locations(actor: Any, commune: AdministrativeUnit,
                            points: dict[int, tuple[float, float]], source: str = "survey") -> int:
    """Store GPS points collected in a field survey (``{household id: (lat, lon)}``, WGS84) through
    :func:`langso.registry.actions.update_household`, points outside the commune included (the
    check then lists them as outliers), and check them in one pass. One transaction; returns the
    number stored. Used by the demo; a survey importer calls it too."""
    _authorise(actor, commune)
    stored = []
    with transaction.atomic():
        for household in Household.objects.filter(commune=commune, pk__in=list(points)).select_related("commune"):
            lat, lon = points[household.pk]
            registry_actions.update_household(actor, household, latitude=float(lat), longitude=float(lon))
            stored.append(household.pk)
        if stored:
            quality.check_commune(commune, household_ids=stored)
            record(actor, "address.survey_import", commune, unit=commune, data={"points": len(stored), "source": source})
    return len(stored)


# --- official identifiers ----------------------------------------------------------------------

def import_official_identifiers(actor: Any, commune: AdministrativeUnit, data: str | Iterable[dict[str, str]],
                                source: str = "") -> int:
    """Import official codes for households of ``commune``: CSV text or rows with columns
    ``household`` (household id) or ``address_code`` (our code), ``scheme`` (``vpostcode``,
    ``ndap``, ``location_id``) and ``value``.

    All or nothing: the first broken rule raises :class:`RuleViolation` naming the row
    (``row 3, field value``) and nothing is written. A household's code of a scheme is replaced
    by a new import; a value already held by another household is refused. Returns rows stored.
    """
    _authorise(actor, commune)
    rows = list(csv.DictReader(io.StringIO(data.lstrip("\ufeff")))) if isinstance(data, str) else list(data)
    households = dict(Household.objects.filter(commune=commune).values_list("pk", "pk"))
    by_code = dict(AddressCode.objects.filter(commune=commune).values_list("code", "household_id"))
    parsed: list[tuple[int, str, str]] = []
    seen: set[tuple[str, str]] = set()
    for number, row in enumerate(rows, start=2):
        row = {str(k or "").strip().lower(): nfc(str(v or "")) for k, v in row.items()}
        where = f"dòng {number} / row {number}"
        household_id = None
        if row.get("address_code"):
            try:
                household_id = by_code.get(codes.normalise(row["address_code"]))
            except RuleViolation as exc:
                raise RuleViolation(f"row {number}, field address_code", exc.rule, f"{where}: {exc.vi}",
                                    f"{where}: {exc.en}", exc.source) from exc
        elif row.get("household", "").isdigit():
            household_id = households.get(int(row["household"]))
        if household_id is None:
            raise RuleViolation(f"row {number}, field household", "identifier.household",
                                f"{where}: không tìm thấy hộ của {commune.full_name} (cột household hoặc address_code).",
                                f"{where}: no household of {commune.full_name} (column household or address_code).")
        scheme = row.get("scheme", "")
        if scheme not in IdentifierScheme.values:
            raise RuleViolation(f"row {number}, field scheme", "identifier.scheme",
                                f"{where}: loại mã '{scheme}' không hợp lệ ({', '.join(IdentifierScheme.values)}).",
                                f"{where}: unknown scheme '{scheme}' ({', '.join(IdentifierScheme.values)}).")
        try:
            value = validate_identifier(scheme, row.get("value", ""))
        except RuleViolation as exc:
            raise RuleViolation(f"row {number}, field value", exc.rule, f"{where}: {exc.vi}", f"{where}: {exc.en}",
                                exc.source) from exc
        if (scheme, value) in seen:
            raise RuleViolation(f"row {number}, field value", "identifier.duplicate",
                                f"{where}: mã {value} lặp lại trong tệp.", f"{where}: code {value} repeats in the file.")
        seen.add((scheme, value))
        parsed.append((household_id, scheme, value))
    try:
        with transaction.atomic():
            for household_id, scheme, value in parsed:
                OfficialIdentifier.objects.update_or_create(
                    household_id=household_id, scheme=scheme,
                    defaults={"value": value, "commune_id": commune.pk, "source": nfc(source)[:255]},
                )
            record(actor, "address.identifiers_import", commune, unit=commune,
                   data={"rows": len(parsed), "source": nfc(source)[:255]})
    except IntegrityError as exc:
        raise RuleViolation("value", "identifier.unique",
                            "Có mã đã thuộc về một hộ khác (mỗi mã chính thức chỉ của một hộ).",
                            "A code already belongs to another household (each official code names one household).") from exc
    return len(parsed)
