"""Bulk registration: many villages, households, residents and business households at once.

The per-row actions of :mod:`langso.registry.actions` write a few hundred rows a second, which is
right for a commune officer and far too slow for an import of a commune's whole register or for
the demo generator (a province has about a million households). The functions here apply the
same rules to a whole batch and then insert it with a few statements:

- every row is validated first (text normalised to NFC, CCCD structure against the birth year
  and sex, old CMND numbers of 9 digits, coordinates in WGS84 range, exactly one head per
  household, sectors and relations from their choice lists); the first broken rule raises :class:`~langso.lib.errors.RuleViolation`
  whose ``field`` names the row and the field (``"resident row 12, field cccd"``) and nothing of
  the batch is written;
- rows get pre-assigned primary keys, so residents can point at their household and businesses
  at their owner without a round trip per row: on PostgreSQL drawn from the tables' own id
  sequences (``nextval``, so per-row writers and other batches may run at the same time, with no
  table lock and no sequence to reset), on SQLite the keys after the largest (SQLite lets one
  writer at a time in, and ``BEGIN IMMEDIATE`` takes that lock before the keys are read);
- PostgreSQL receives the rows through binary ``COPY … FROM STDIN`` (psycopg 3 ``cursor.copy``)
  inside the Django connection's transaction, SQLite through one ``executemany`` per table;
- one batch is one transaction and writes ONE audit entry with the counts, not one per row.

The invariants kept by :mod:`langso.registry.actions` hold here too: ``commune`` is stored on
every resident and business (copied from the household), ``Resident.search_name`` and
``BusinessHousehold.search_name`` are the folded names, ``Household.head_search_name`` is the
folded name of the head and ``Village.search_name`` the folded village name.

Callers: ``generate_population`` (demo data, :mod:`langso.registry.demo`) and the Excel importer.
A caller with more rows than fit comfortably in memory calls :func:`register_population` once per
chunk (10,000–50,000 households is a good size).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, transaction
from django.utils import timezone

from langso.accounts.access import require_write, scope_for
from langso.audit.log import record
from langso.lib.errors import RuleViolation
from langso.lib.vietnamese import fold, nfc
from langso.territory.models import AdministrativeUnit, Level, Village, VillageType

from .identifiers import rules as cccd_rules
from .identifiers import validate_cccd
from .models import BusinessHousehold, BusinessSector, Household, Relation, Resident, Sex

_PHONE = re.compile(r"^(\+84|0)\d{9,10}$")
_PHONE_NOISE = re.compile(r"[\s.\-]")
_SEXES = frozenset(Sex.values)
_RELATIONS = frozenset(Relation.values)
_SECTORS = frozenset(BusinessSector.values)
_VILLAGE_TYPES = frozenset(VillageType.values)
_NAME_MAX = 150

# Columns written, in order. ``test_bulk_writes_every_column`` fails if a model gains a column
# that these lists do not fill, so a new NOT NULL field cannot silently break imports.
# Prepared rows hold these columns with keys relative to the batch (0-based positions); the
# write puts the batch's real keys in their place (see ``_KEY_COLUMNS``).
HOUSEHOLD_COLUMNS = ("id", "commune_id", "village_id", "address", "latitude", "longitude", "registered_on",
                     "dissolved_on", "head_search_name")
RESIDENT_COLUMNS = ("id", "household_id", "commune_id", "full_name", "search_name", "date_of_birth", "sex", "cccd",
                    "relation_to_head", "phone", "has_online_payment_account", "moved_out_on", "died_on",
                    "old_id_number")
BUSINESS_COLUMNS = ("id", "commune_id", "household_id", "owner_id", "registration_number", "trade_name",
                    "search_name", "sector", "address", "latitude", "longitude", "registered_on", "closed_on")
# column position → which table's keys it holds ("h" households, "r" residents, "b" businesses)
_KEY_COLUMNS = {
    "household": {0: "h"},
    "resident": {0: "r", 1: "h"},
    "business": {0: "b", 2: "h", 3: "r"},
}


# --- input rows ---------------------------------------------------------------------------------

@dataclass(slots=True)
class VillageRow:
    """A village to create. Centre in WGS84 decimal degrees (both or neither)."""

    commune_id: int
    name: str
    village_type: str = VillageType.THON
    centre_lat: float | None = None
    centre_lon: float | None = None
    row: Any = None  # label for error messages (e.g. the spreadsheet row); default: 1-based position


@dataclass(slots=True)
class HouseholdRow:
    """A new household. ``village_id`` must be a village of ``commune_id``; location in WGS84 degrees."""

    commune_id: int
    village_id: int | None = None
    address: str = ""
    latitude: float | None = None
    longitude: float | None = None
    registered_on: dt.date | None = None
    row: Any = None


@dataclass(slots=True)
class ResidentRow:
    """A new resident of the household at index ``household`` of the same batch (0-based)."""

    household: int
    full_name: str
    date_of_birth: dt.date
    sex: str
    relation_to_head: str
    cccd: str | None = None
    phone: str = ""
    has_online_payment_account: bool = False
    row: Any = None
    old_id_number: str | None = None  # the old 9-digit identity card number (CMND), where a list has it


@dataclass(slots=True)
class BusinessRow:
    """A new household business owned by the resident at index ``owner`` of the same batch (0-based).

    It belongs to the owner's commune and household (Decree 01/2021/NĐ-CP art. 79–92).
    """

    owner: int
    registration_number: str
    trade_name: str
    sector: str
    address: str = ""
    latitude: float | None = None
    longitude: float | None = None
    registered_on: dt.date | None = None
    row: Any = None


@dataclass(frozen=True)
class Keys:
    """Primary keys of a batch, one per row in input order (ranges when contiguous)."""

    households: Sequence[int]
    residents: Sequence[int]
    businesses: Sequence[int]


@dataclass(frozen=True)
class BulkResult:
    """What one batch wrote: the primary keys given to each kind of row (in input order)."""

    households: Sequence[int]
    residents: Sequence[int]
    businesses: Sequence[int]
    audit_entry_id: int | None


# --- helpers ------------------------------------------------------------------------------------

def _at(kind: str, label: Any, exc: RuleViolation) -> RuleViolation:
    """The same violation, its field prefixed with the row: ``"resident row 12, field cccd"``."""
    return RuleViolation(f"{kind} row {label}, field {exc.field}", exc.rule, f"Dòng {label}: {exc.vi}",
                         f"Row {label}: {exc.en}", exc.source)


def _label(row: Any, index: int) -> Any:
    return row.row if row.row is not None else index + 1


@functools.lru_cache(maxsize=65536)
def _fold_word(word: str) -> str:
    return fold(word)


_FOLDED: dict[str, str] = {}
_FOLDED_MAX = 500_000


def fold_name(name: str) -> str:
    """``fold(name)`` for an already-NFC, single-spaced name, folding each word once (cached).

    Equal to :func:`langso.lib.vietnamese.fold` on such names and about ten times faster, since a
    population has few distinct names and fewer distinct words. The cache is bounded.
    """
    folded = _FOLDED.get(name)
    if folded is None:
        folded = " ".join([_fold_word(word) for word in name.split(" ")])
        if len(_FOLDED) >= _FOLDED_MAX:
            _FOLDED.clear()
        _FOLDED[name] = folded
    return folded


def _check_coordinates(latitude: Any, longitude: Any) -> None:
    if latitude is None and longitude is None:
        return
    if latitude is None or longitude is None:
        raise RuleViolation("latitude", "location.pair", "Cần nhập cả vĩ độ và kinh độ.",
                            "Latitude and longitude go together.")
    if not isinstance(latitude, (int, float)) or not (-90 <= latitude <= 90):
        raise RuleViolation("latitude", "location.range", "Vĩ độ phải nằm trong khoảng -90..90 (WGS84).",
                            "Latitude must be within -90..90 (WGS84).")
    if not isinstance(longitude, (int, float)) or not (-180 <= longitude <= 180):
        raise RuleViolation("longitude", "location.range", "Kinh độ phải nằm trong khoảng -180..180 (WGS84).",
                            "Longitude must be within -180..180 (WGS84).")


def _check_date(value: Any, field: str, today: dt.date) -> None:
    if value is None:
        return
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise RuleViolation(field, "date.invalid", "Ngày không hợp lệ.", "The date is invalid.")
    if value > today:
        raise RuleViolation(field, "date.future", "Ngày không được ở tương lai.", "The date cannot be in the future.")


def _communes(actor: Any, commune_ids: set[int]) -> dict[int, AdministrativeUnit]:
    """The current communes of the batch, after checking the actor may write each of them.

    Raises ``Http404`` for a commune outside the actor's scope (as every action does) and
    :class:`RuleViolation` for a unit that is not a current commune.
    """
    found = {unit.pk: unit for unit in AdministrativeUnit.objects.filter(pk__in=commune_ids)}
    scope = scope_for(actor) if actor is not None else None
    for pk in sorted(commune_ids):
        unit = found.get(pk)
        if scope is not None:
            require_write(scope, pk)
        if unit is None or unit.level != Level.COMMUNE or unit.valid_to is not None:
            raise RuleViolation("commune", "commune.current", "Chỉ ghi vào đơn vị cấp xã đang có hiệu lực.",
                                "Records belong to a current commune-level unit.")
    return found


def _audit_unit(communes: dict[int, AdministrativeUnit]) -> AdministrativeUnit | None:
    """The unit an audit entry of the batch belongs to: its commune, else their common province."""
    if len(communes) == 1:
        return next(iter(communes.values()))
    provinces = {unit.province_id for unit in communes.values()}
    if len(provinces) == 1 and None not in provinces:
        return AdministrativeUnit.objects.get(pk=provinces.pop())
    return None


# --- villages -----------------------------------------------------------------------------------

def register_villages(actor: Any, rows: Sequence[VillageRow], *, using: str = DEFAULT_DB_ALIAS) -> list[Village]:
    """Create villages in one transaction with one audit entry; return them with primary keys.

    Rules as :func:`langso.registry.actions.create_village`: name required (NFC), known type,
    coordinates paired and in range, name unique within its commune (Circular 04/2012/TT-BNV:
    a village is named within its commune). Raises :class:`RuleViolation` naming the row, or
    ``Http404`` for a commune the actor may not write.
    """
    if not rows:
        return []
    communes = _communes(actor, {row.commune_id for row in rows})
    seen: dict[tuple[int, str], Any] = {}
    villages = []
    for index, row in enumerate(rows):
        label = _label(row, index)
        try:
            name = nfc(row.name)
            if not name:
                raise RuleViolation("name", "village.name", "Tên thôn không được để trống.",
                                    "The village name is required.")
            if row.village_type not in _VILLAGE_TYPES:
                raise RuleViolation("village_type", "village.type", "Loại thôn không hợp lệ.", "Unknown village type.")
            _check_coordinates(row.centre_lat, row.centre_lon)
            if (row.commune_id, name) in seen:
                raise _village_duplicate(name)
        except RuleViolation as exc:
            raise _at("village", label, exc) from None
        seen[(row.commune_id, name)] = label
        villages.append(Village(commune_id=row.commune_id, name=name, village_type=row.village_type,
                                centre_lat=row.centre_lat, centre_lon=row.centre_lon, search_name=fold(name)))
    existing = (Village.objects.using(using)
                .filter(commune_id__in=communes, name__in={name for _, name in seen})
                .values_list("commune_id", "name"))
    for key in existing:
        if key in seen:
            raise _at("village", seen[key], _village_duplicate(key[1]))
    with transaction.atomic(using=using):
        created = Village.objects.using(using).bulk_create(villages)
        record(actor, "village.bulk_create", target_type="territory.Village",
               target_id=f"{created[0].pk}-{created[-1].pk}", unit=_audit_unit(communes),
               data={"villages": len(created)})
    return created


def _village_duplicate(name: str) -> RuleViolation:
    return RuleViolation("name", "village.unique", f"Xã đã có thôn tên '{name}'.",
                         f"The commune already has a village named '{name}'.")


# --- households, residents, businesses ---------------------------------------------------------

@dataclass(frozen=True)
class PreparedPopulation:
    """A batch that passed every rule not needing the database (:func:`prepare_population`).

    Holds the input rows (for error messages) and the normalised tuples to write, in the order
    of ``HOUSEHOLD_COLUMNS``, ``RESIDENT_COLUMNS`` and ``BUSINESS_COLUMNS`` with keys relative
    to the batch.
    """

    households: Sequence[HouseholdRow]
    residents: Sequence[ResidentRow]
    businesses: Sequence[BusinessRow]
    household_rows: list[tuple]
    resident_rows: list[tuple]
    business_rows: list[tuple]
    village_ids: frozenset[int]
    today: dt.date

    def label(self, kind: str, index: int) -> Any:
        """The label of row ``index`` of ``kind`` for messages (its ``row``, else its 1-based position)."""
        rows = {"household": self.households, "resident": self.residents, "business": self.businesses}[kind]
        return _label(rows[index], index) if index < len(rows) else index + 1

    def without_input_rows(self) -> PreparedPopulation:
        """The same batch without the input rows (half the size to send to another process);
        messages then name rows by position."""
        return dataclasses.replace(self, households=(), residents=(), businesses=())


def register_population(
    actor: Any,
    households: Sequence[HouseholdRow],
    residents: Sequence[ResidentRow],
    businesses: Sequence[BusinessRow] = (),
    *,
    today: dt.date | None = None,
    source: str = "",
    using: str = DEFAULT_DB_ALIAS,
) -> BulkResult:
    """Validate and insert one batch of new households with their residents and businesses.

    Shapes: ``residents[i].household`` indexes ``households``; ``businesses[j].owner`` indexes
    ``residents``. Every household needs exactly one head (``Relation.HEAD``). Dates are
    ``datetime.date``; ``today`` (default: the local date) bounds dates of birth and
    registration. ``source`` (e.g. a file name) goes into the audit entry.

    Raises :class:`RuleViolation` naming the row and field (``"resident row 12, field cccd"``)
    for: a unit that is not a current commune, a village of another commune, unpaired or
    out-of-range coordinates, an empty name, a date of birth in the future, unknown sex,
    relation or sector, a CCCD that breaks Circular 07/2016/TT-BCA art. 7 or does not match the
    birth year and sex, a CCCD twice in the batch or already held by a living resident, a
    household without a head or with two, a business registration number used twice in its
    commune. ``Http404`` for a commune the actor may not write. On any error nothing of the
    batch is written. Returns the primary keys given, as ranges.

    Equivalent to :func:`write_population` of :func:`prepare_population`; a caller that produces
    rows in another thread (the demo generator) prepares there and writes here.
    """
    if households:  # an outsider learns nothing from validating their rows: answer 404 first
        _communes(actor, {row.commune_id for row in households})
    prepared = prepare_population(households, residents, businesses, today=today)
    return write_population(actor, prepared, source=source, using=using)


def prepare_population(
    households: Sequence[HouseholdRow],
    residents: Sequence[ResidentRow],
    businesses: Sequence[BusinessRow] = (),
    *,
    today: dt.date | None = None,
) -> PreparedPopulation:
    """Apply every rule of :func:`register_population` that needs no database; no query is made,
    so this may run in another thread. Raises :class:`RuleViolation` naming the row and field."""
    today = today or timezone.localdate()
    checked, village_ids = _validate_households(households, today)
    commune_of = [row[0] for row in checked]
    resident_rows, heads = _validate_residents(residents, commune_of, today)
    household_rows = []
    for index, (row, head) in enumerate(zip(checked, heads)):
        if head is None:
            raise _at("household", _label(households[index], index),
                      RuleViolation("relation_to_head", "household.no_head", "Hộ chưa có chủ hộ.",
                                    "The household has no head."))
        household_rows.append((index, *row, head))
    business_rows = _validate_businesses(businesses, resident_rows, today)
    return PreparedPopulation(households, residents, businesses, household_rows, resident_rows, business_rows,
                              frozenset(village_ids), today)


def write_population(
    actor: Any, prepared: PreparedPopulation, *, keys: Keys | None = None, source: str = "",
    using: str = DEFAULT_DB_ALIAS,
) -> BulkResult:
    """Check what needs the database (the actor may write each commune, each is current,
    villages belong to their commune, CCCDs and registration numbers are free) and insert the
    batch in one transaction with one audit entry. Raises as :func:`register_population`.

    ``keys`` (PostgreSQL only) are keys reserved earlier with :func:`reserve_keys`, so that
    batches written concurrently on several connections get keys in a known order.
    """
    household_rows, resident_rows, business_rows = (
        prepared.household_rows, prepared.resident_rows, prepared.business_rows)
    n_households = len(household_rows)
    if not household_rows:
        return BulkResult(range(0), range(0), range(0), None)
    communes = _communes(actor, {row[1] for row in household_rows})
    _check_villages(prepared, using)
    connection = connections[using]
    if connection.vendor == "postgresql":
        keys = keys or reserve_keys(prepared, using=using)
    elif keys is not None:
        raise ValueError("keys are reserved in advance on PostgreSQL only")
    try:
        # wrap_database_errors: COPY goes to the psycopg cursor directly, so its errors need
        # Django's translation to IntegrityError like those of cursor.execute.
        with connection.wrap_database_errors, transaction.atomic(using=using):
            with connection.cursor() as cursor:
                if keys is None:  # SQLite: the transaction holds the write lock (BEGIN IMMEDIATE)
                    keys = Keys(*(range(first, first + len(rows)) for first, rows in [
                        (_next_id(cursor, connection, Household), household_rows),
                        (_next_id(cursor, connection, Resident), resident_rows),
                        (_next_id(cursor, connection, BusinessHousehold), business_rows)]))
                _write(cursor, connection, Household, HOUSEHOLD_COLUMNS, household_rows, "household", keys)
                _write(cursor, connection, Resident, RESIDENT_COLUMNS, resident_rows, "resident", keys)
                _write(cursor, connection, BusinessHousehold, BUSINESS_COLUMNS, business_rows, "business", keys)
            entry = record(
                actor, "registry.bulk_register", target_type="registry.Household",
                target_id=f"{keys.households[0]}-{keys.households[-1]}", unit=_audit_unit(communes),
                data={"households": n_households, "residents": len(resident_rows), "businesses": len(business_rows),
                      "communes": _counts_by_commune(communes, household_rows, resident_rows), "source": source},
            )
    except IntegrityError as exc:
        raise _diagnose(exc, prepared, using) from exc
    return BulkResult(keys.households, keys.residents, keys.businesses, entry.pk)


def reserve_keys(prepared: PreparedPopulation, *, using: str = DEFAULT_DB_ALIAS) -> Keys:
    """Draw primary keys for every row of ``prepared`` from the PostgreSQL id sequences.

    ``nextval`` never hands a number out twice, whoever else inserts meanwhile, and is not rolled
    back: a failed batch leaves a gap in the ids, as a failed single insert does. Keys come back
    as ranges when contiguous (the usual case). Raises ``ValueError`` on another database.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        raise ValueError("key reservation needs PostgreSQL sequences")
    drawn = []
    with connection.cursor() as cursor:
        for model, rows in [(Household, prepared.household_rows), (Resident, prepared.resident_rows),
                            (BusinessHousehold, prepared.business_rows)]:
            if not rows:
                drawn.append(range(0))
                continue
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                           [model._meta.db_table, model._meta.pk.column, len(rows)])
            ids = [row[0] for row in cursor.fetchall()]
            contiguous = ids[-1] - ids[0] == len(ids) - 1 and all(b > a for a, b in zip(ids, ids[1:]))
            drawn.append(range(ids[0], ids[-1] + 1) if contiguous else ids)
    return Keys(*drawn)


def _validate_households(rows: Sequence[HouseholdRow], today: dt.date) -> tuple[list[tuple], set[int]]:
    out = []
    village_ids: set[int] = set()
    for index, row in enumerate(rows):
        try:
            _check_coordinates(row.latitude, row.longitude)
            _check_date(row.registered_on, "registered_on", today)
        except RuleViolation as exc:
            raise _at("household", _label(row, index), exc) from None
        if row.village_id is not None:
            village_ids.add(row.village_id)
        out.append((row.commune_id, row.village_id, _nfc(row.address), row.latitude, row.longitude,
                    row.registered_on or today, None))  # dissolved_on
    return out, village_ids


def _check_villages(prepared: PreparedPopulation, using: str) -> None:
    if not prepared.village_ids:
        return
    commune_of = dict(Village.objects.using(using).filter(pk__in=prepared.village_ids)
                      .values_list("pk", "commune_id"))
    for row in prepared.household_rows:
        if row[2] is not None and commune_of.get(row[2]) != row[1]:
            raise _at("household", prepared.label("household", row[0]),
                      RuleViolation("village", "village.commune", "Thôn/tổ dân phố không thuộc xã này.",
                                    "The village does not belong to this commune."))


def _nfc(text: Any) -> str:
    """:func:`langso.lib.vietnamese.nfc`, skipping the work for text that is already clean
    (NFC, printable, single spaces, no outer space) — nearly every name of a batch."""
    if (type(text) is str and text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " "
            and unicodedata.is_normalized("NFC", text)):
        return text
    return nfc(text)


def _validate_residents(
    rows: Sequence[ResidentRow], commune_of: list[int], today: dt.date
) -> tuple[list[tuple], list[str | None]]:
    """Validated resident tuples in ``RESIDENT_COLUMNS`` order (relative keys) and the folded
    head name of each household (``None`` where it has no head)."""
    cccd = cccd_rules()
    provinces = cccd.provinces
    century_sex = cccd.century_sex
    n_households = len(commune_of)
    heads: list[str | None] = [None] * n_households
    seen_cccd: dict[str, int] = {}
    out = []
    append = out.append
    head = Relation.HEAD.value
    folded = _FOLDED.get
    is_nfc = unicodedata.is_normalized
    # The loop runs for every resident of a province: the common case is kept inline and cheap.
    for index, row in enumerate(rows):
        try:
            h = row.household
            if type(h) is not int or not 0 <= h < n_households:
                raise RuleViolation("household", "resident.household", "Cư dân không thuộc hộ nào của lô này.",
                                    "The resident refers to no household of this batch.")
            name = row.full_name
            if not (type(name) is str and name.isprintable() and "  " not in name and name[:1] != " "
                    and name[-1:] != " " and is_nfc("NFC", name)):
                name = nfc(name)
            if not name:
                raise RuleViolation("full_name", "resident.name", "Họ và tên không được để trống.",
                                    "The full name is required.")
            if len(name) > _NAME_MAX:
                raise RuleViolation("full_name", "resident.name_length", f"Họ và tên dài quá {_NAME_MAX} ký tự.",
                                    f"The full name is longer than {_NAME_MAX} characters.")
            dob = row.date_of_birth
            if type(dob) is not dt.date:
                raise RuleViolation("date_of_birth", "resident.dob", "Ngày sinh không hợp lệ.",
                                    "The date of birth is invalid.")
            if dob > today:
                raise RuleViolation("date_of_birth", "resident.dob_future", "Ngày sinh không được ở tương lai.",
                                    "The date of birth cannot be in the future.")
            sex = row.sex
            if sex not in _SEXES:
                raise RuleViolation("sex", "resident.sex", "Giới tính phải là Nam hoặc Nữ.", "Sex must be M or F.")
            relation = row.relation_to_head
            if relation not in _RELATIONS:
                raise RuleViolation("relation_to_head", "resident.relation", "Quan hệ với chủ hộ không hợp lệ.",
                                    "Unknown relation to the head of household.")
            number = row.cccd
            if number:
                # Fast path for a well-formed number; anything else goes through the full validator,
                # which normalises separators or raises the precise rule.
                if not (len(number) == 12 and number.isdigit() and number[:3] in provinces
                        and century_sex[number[3]] == (dob.year - dob.year % 100, sex)
                        and int(number[4:6]) == dob.year % 100):
                    number = validate_cccd(number, date_of_birth=dob, sex=sex)
                if number in seen_cccd:
                    other = seen_cccd[number]
                    other = _label(rows[other], other)
                    raise RuleViolation("cccd", "resident.cccd_duplicate", f"Số CCCD trùng với dòng {other}.",
                                        f"The CCCD repeats row {other}.")
                seen_cccd[number] = index
            else:
                number = None
            phone = row.phone
            if phone:
                if not (len(phone) == 10 and phone[0] == "0" and phone.isdigit()):  # the usual form: fast path
                    phone = _PHONE_NOISE.sub("", phone)
                    if not _PHONE.match(phone):
                        raise RuleViolation("phone", "resident.phone",
                                            "Số điện thoại phải có dạng 0xxxxxxxxx hoặc +84xxxxxxxxx.",
                                            "The phone number must look like 0xxxxxxxxx or +84xxxxxxxxx.")
            else:
                phone = ""
            old_id = row.old_id_number
            if old_id:
                old_id = _PHONE_NOISE.sub("", str(old_id))
                if not (len(old_id) == 9 and old_id.isdigit()):
                    raise RuleViolation("old_id_number", "resident.old_id",
                                        "Số CMND cũ phải gồm đúng 9 chữ số.",
                                        "The old identity card number (CMND) must have exactly 9 digits.",
                                        "Nghị định 05/1999/NĐ-CP về Chứng minh nhân dân")
            else:
                old_id = None
            search = folded(name) or fold_name(name)
            if relation == head:
                if heads[h] is not None:
                    raise RuleViolation("relation_to_head", "resident.one_head", "Hộ này đã có chủ hộ.",
                                        "This household already has a head.")
                heads[h] = search
        except RuleViolation as exc:
            raise _at("resident", _label(row, index), exc) from None
        append((index, h, commune_of[h], name, search, dob, sex, number, relation, phone,
                bool(row.has_online_payment_account), None, None, old_id))
    return out, heads


def _validate_businesses(rows: Sequence[BusinessRow], residents: list[tuple], today: dt.date) -> list[tuple]:
    """Validated business tuples in ``BUSINESS_COLUMNS`` order (relative keys)."""
    out = []
    seen: dict[tuple[int, str], Any] = {}
    for index, row in enumerate(rows):
        label = _label(row, index)
        try:
            if type(row.owner) is not int or not 0 <= row.owner < len(residents):
                raise RuleViolation("owner", "business.owner", "Chủ hộ kinh doanh phải là cư dân của xã.",
                                    "The owner must be a resident of the commune.")
            trade_name = nfc(row.trade_name)
            number = nfc(row.registration_number).upper()
            if not trade_name:
                raise RuleViolation("trade_name", "business.name", "Tên hộ kinh doanh không được để trống.",
                                    "The trade name is required.")
            if not number:
                raise RuleViolation("registration_number", "business.number",
                                    "Số giấy chứng nhận đăng ký không được để trống.",
                                    "The registration number is required.")
            if row.sector not in _SECTORS:
                raise RuleViolation("sector", "business.sector", "Ngành nghề không hợp lệ.", "Unknown sector.")
            _check_coordinates(row.latitude, row.longitude)
            _check_date(row.registered_on, "registered_on", today)
            owner = residents[row.owner]
            commune_id, household = owner[2], owner[1]
            if (commune_id, number) in seen:
                raise _business_duplicate(number)
        except RuleViolation as exc:
            raise _at("business", label, exc) from None
        seen[(commune_id, number)] = label
        out.append((index, commune_id, household, row.owner, number, trade_name, fold_name(trade_name), row.sector,
                    nfc(row.address), row.latitude, row.longitude, row.registered_on, None))
    return out


def _business_duplicate(number: str) -> RuleViolation:
    return RuleViolation("registration_number", "business.unique", f"Số đăng ký '{number}' đã có trong xã.",
                         f"Registration number '{number}' already exists in the commune.")


def _counts_by_commune(
    communes: dict[int, AdministrativeUnit], households: list[tuple], residents: list[tuple]
) -> dict[str, list[int]]:
    """``{commune code: [households, residents]}`` of the batch, for the audit entry."""
    counts = {pk: [0, 0] for pk in communes}
    for row in households:
        counts[row[1]][0] += 1
    for row in residents:
        counts[row[2]][1] += 1
    return {communes[pk].code: value for pk, value in counts.items()}


# --- writing ------------------------------------------------------------------------------------

def _next_id(cursor: Any, connection: Any, model: Any) -> int:
    qn = connection.ops.quote_name
    cursor.execute(f"SELECT COALESCE(MAX({qn(model._meta.pk.column)}), 0) FROM {qn(model._meta.db_table)}")
    return int(cursor.fetchone()[0]) + 1


def _write(cursor: Any, connection: Any, model: Any, columns: tuple[str, ...], rows: list[tuple], kind: str,
           keys: Keys) -> None:
    """Insert prepared ``rows`` (``columns`` order, keys relative to the batch) with their real
    keys: binary COPY on PostgreSQL; one ``executemany`` on SQLite, where the keys are ranges and
    SQL adds their start, so the prepared tuples go as they are."""
    if not rows:
        return
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    names = ", ".join(qn(column) for column in columns)
    by_letter = {"h": keys.households, "r": keys.residents, "b": keys.businesses}
    mapping = [(position, by_letter[letter]) for position, letter in _KEY_COLUMNS[kind].items()]
    if connection.vendor == "postgresql":
        # Binary COPY needs each column's exact type: ask the table rather than restate the models.
        cursor.execute(f"SELECT {names} FROM {table} LIMIT 0")
        types = [column.type_code for column in cursor.description]
        with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(types)
            write = copy.write_row
            for row in rows:
                values = list(row)
                for position, key_of in mapping:
                    values[position] = key_of[values[position]]
                write(values)
    else:
        offsets = {position: int(key_of.start) for position, key_of in mapping}
        values = ", ".join(f"%s + {offsets[i]}" if i in offsets else "%s" for i in range(len(columns)))
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({values})", rows)


def _diagnose(exc: IntegrityError, prepared: PreparedPopulation, using: str) -> RuleViolation:
    """Turn a constraint failure of the insert into a violation naming the row (after rollback)."""
    numbers = {row[7]: row[0] for row in prepared.resident_rows if row[7]}
    taken = set()
    items = list(numbers)
    for start in range(0, len(items), 500):
        taken.update(Resident.objects.using(using)
                     .filter(cccd__in=items[start:start + 500], died_on__isnull=True)
                     .values_list("cccd", flat=True))
    if taken:
        index = min(numbers[number] for number in taken)
        return _at("resident", prepared.label("resident", index),
                   RuleViolation("cccd", "resident.cccd_unique", "Số CCCD đã được dùng cho một người khác còn sống.",
                                 "This CCCD already belongs to another living resident."))
    for row in prepared.business_rows:
        if BusinessHousehold.objects.using(using).filter(commune_id=row[1], registration_number=row[4]).exists():
            index = row[0]
            return _at("business", prepared.label("business", index), _business_duplicate(row[4]))
    return RuleViolation("batch", "registry.integrity", "Dữ liệu vi phạm ràng buộc của sổ hộ.",
                         f"The batch breaks a registry constraint ({exc}).")
