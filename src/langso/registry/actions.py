"""Every write to the registry. HTML views, the API, the admin, importers and the demo
generator call these functions; nothing else saves registry rows.

Each action takes the acting user (``None`` for a system job such as a command), checks that
the actor may write the commune (:mod:`langso.accounts.access`), normalises text to NFC,
validates, writes in one transaction and records an audit entry. Broken rules raise
:class:`~langso.lib.errors.RuleViolation` (Vietnamese and English, naming the field); nothing is
half-written. An actor outside the commune gets ``Http404`` as everywhere else.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from langso.accounts.access import require_write, scope_for
from langso.audit.log import record
from langso.lib.errors import RuleViolation
from langso.lib.vietnamese import fold, nfc
from langso.territory.models import AdministrativeUnit, Level, Village, VillageType

from .identifiers import validate_cccd
from .models import BusinessHousehold, BusinessSector, Household, Relation, Resident, Sex

_PHONE = re.compile(r"^(\+84|0)\d{9,10}$")
HOUSEHOLD_FIELDS = {"village", "address", "latitude", "longitude", "registered_on", "dissolved_on"}
RESIDENT_FIELDS = {
    "full_name", "date_of_birth", "sex", "cccd", "relation_to_head", "phone",
    "has_online_payment_account", "moved_out_on", "died_on",
}


def _authorise(actor: Any, commune: AdministrativeUnit) -> None:
    if actor is None:  # system job (management command, demo generator)
        return
    require_write(scope_for(actor), commune.pk)


def _check_commune(commune: AdministrativeUnit) -> None:
    if commune.level != Level.COMMUNE or commune.valid_to is not None:
        raise RuleViolation("commune", "commune.current",
                            "Chỉ ghi vào đơn vị cấp xã đang có hiệu lực.",
                            "Records belong to a current commune-level unit.")


def _check_coordinates(latitude: float | None, longitude: float | None) -> None:
    if (latitude is None) != (longitude is None):
        raise RuleViolation("latitude", "location.pair", "Cần nhập cả vĩ độ và kinh độ.",
                            "Latitude and longitude go together.")
    if latitude is None:
        return
    if not (-90 <= latitude <= 90):
        raise RuleViolation("latitude", "location.range", "Vĩ độ phải nằm trong khoảng -90..90 (WGS84).",
                            "Latitude must be within -90..90 (WGS84).")
    if not (-180 <= longitude <= 180):
        raise RuleViolation("longitude", "location.range", "Kinh độ phải nằm trong khoảng -180..180 (WGS84).",
                            "Longitude must be within -180..180 (WGS84).")


def _check_village(village: Village | None, commune: AdministrativeUnit) -> None:
    if village is not None and village.commune_id != commune.pk:
        raise RuleViolation("village", "village.commune", "Thôn/tổ dân phố không thuộc xã này.",
                            "The village does not belong to this commune.")


def _diff(obj: Any, changes: dict[str, Any]) -> dict[str, list[Any]]:
    out = {}
    for name, new in changes.items():
        old = getattr(obj, name)
        if old != new:
            out[name] = [_jsonable(old), _jsonable(new)]
    return out


def _jsonable(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.pk
    return value


# --- villages -------------------------------------------------------------------------------

def create_village(
    actor: Any, commune: AdministrativeUnit, name: str, village_type: str = VillageType.THON,
    centre_lat: float | None = None, centre_lon: float | None = None,
) -> Village:
    """Create a village of ``commune``. Raises :class:`RuleViolation` on an empty or duplicate name."""
    _authorise(actor, commune)
    _check_commune(commune)
    name = nfc(name)
    if not name:
        raise RuleViolation("name", "village.name", "Tên thôn không được để trống.", "The village name is required.")
    if village_type not in VillageType.values:
        raise RuleViolation("village_type", "village.type", "Loại thôn không hợp lệ.", "Unknown village type.")
    _check_coordinates(centre_lat, centre_lon)
    try:
        with transaction.atomic():
            village = Village.objects.create(
                commune=commune, name=name, village_type=village_type, centre_lat=centre_lat,
                centre_lon=centre_lon, search_name=fold(name),
            )
            record(actor, "village.create", village, unit=commune, data={"name": name})
    except IntegrityError as exc:
        raise RuleViolation("name", "village.unique", f"Xã đã có thôn tên '{name}'.",
                            f"The commune already has a village named '{name}'.") from exc
    return village


def set_village_origin(actor: Any, village: Village, legacy_commune: AdministrativeUnit | None) -> Village:
    """Record the commune ``village`` belonged to before 1 July 2025 (``None`` clears it).

    The legacy commune must be one of those that formed the village's commune (a lineage edge
    of the 2025 reform, Resolution 202/2025/QH15; wholly or in part): otherwise
    :class:`RuleViolation` ``village.legacy_commune`` naming the field. Audited as
    ``village.origin``. Used to place the village's records in their former district for the
    history of district-based targets (Decision 924/QĐ-TTg; ``langso.indicators.legacy``).
    """
    from langso.territory.models import UnitLineage

    commune = village.commune
    _authorise(actor, commune)
    if legacy_commune is not None and not UnitLineage.objects.filter(
        predecessor=legacy_commune, successor=commune, predecessor__level=Level.COMMUNE,
    ).exists():
        raise RuleViolation(
            "legacy_commune", "village.legacy_commune",
            f"{legacy_commune.full_name} ({legacy_commune.code}) không phải là xã cũ đã hợp thành "
            f"{commune.full_name}.",
            f"{legacy_commune.full_name} ({legacy_commune.code}) is not one of the former communes that formed "
            f"{commune.full_name}.",
            "Nghị quyết 202/2025/QH15; Nghị quyết của UBTVQH về sắp xếp đơn vị hành chính cấp xã năm 2025",
        )
    old = village.legacy_commune_id
    new = legacy_commune.pk if legacy_commune is not None else None
    if old == new:
        return village
    with transaction.atomic():
        village.legacy_commune = legacy_commune
        village.save(update_fields=["legacy_commune"])
        record(actor, "village.origin", village, unit=commune, data={"legacy_commune": [old, new]})
    return village


# --- households -------------------------------------------------------------------------------

def create_household(
    actor: Any, commune: AdministrativeUnit, *, village: Village | None = None, address: str = "",
    latitude: float | None = None, longitude: float | None = None, registered_on: dt.date | None = None,
) -> Household:
    """Create a household of ``commune`` (no members yet; add the head with :func:`add_resident`).

    Coordinates are WGS84 decimal degrees. Raises :class:`RuleViolation` (village of another
    commune, coordinates out of range or unpaired) and ``Http404`` for an actor outside the commune.
    """
    _authorise(actor, commune)
    _check_commune(commune)
    _check_village(village, commune)
    _check_coordinates(latitude, longitude)
    with transaction.atomic():
        household = Household.objects.create(
            commune=commune, village=village, address=nfc(address), latitude=latitude,
            longitude=longitude, registered_on=registered_on or timezone.localdate(),
        )
        record(actor, "household.create", household, unit=commune,
               data={"village": village.pk if village else None, "located": latitude is not None})
    return household


def update_household(actor: Any, household: Household, **changes: Any) -> Household:
    """Change fields of a household (``village``, ``address``, ``latitude``, ``longitude``,
    ``registered_on``, ``dissolved_on``). Unknown fields raise ``TypeError``."""
    unknown = set(changes) - HOUSEHOLD_FIELDS
    if unknown:
        raise TypeError(f"unknown household fields: {sorted(unknown)}")
    _authorise(actor, household.commune)
    if "address" in changes:
        changes["address"] = nfc(changes["address"])
    _check_village(changes.get("village", household.village), household.commune)
    _check_coordinates(changes.get("latitude", household.latitude), changes.get("longitude", household.longitude))
    with transaction.atomic():
        household = Household.objects.select_for_update().get(pk=household.pk)
        diff = _diff(household, changes)
        for name, value in changes.items():
            setattr(household, name, value)
        household.save(update_fields=list(changes) or None)
        record(actor, "household.update", household, unit=household.commune, data=diff)
    return household


# --- residents -------------------------------------------------------------------------------

def _validate_resident(values: dict[str, Any], today: dt.date) -> dict[str, Any]:
    values = dict(values)
    values["full_name"] = nfc(values.get("full_name"))
    if not values["full_name"]:
        raise RuleViolation("full_name", "resident.name", "Họ và tên không được để trống.", "The full name is required.")
    dob = values.get("date_of_birth")
    if not isinstance(dob, dt.date):
        raise RuleViolation("date_of_birth", "resident.dob", "Ngày sinh không hợp lệ.", "The date of birth is invalid.")
    if dob > today:
        raise RuleViolation("date_of_birth", "resident.dob_future", "Ngày sinh không được ở tương lai.",
                            "The date of birth cannot be in the future.")
    if values.get("sex") not in Sex.values:
        raise RuleViolation("sex", "resident.sex", "Giới tính phải là Nam hoặc Nữ.", "Sex must be M or F.")
    if values.get("relation_to_head") not in Relation.values:
        raise RuleViolation("relation_to_head", "resident.relation", "Quan hệ với chủ hộ không hợp lệ.",
                            "Unknown relation to the head of household.")
    cccd = values.get("cccd")
    values["cccd"] = validate_cccd(cccd, date_of_birth=dob, sex=values["sex"]) if cccd not in (None, "") else None
    phone = re.sub(r"[\s.\-]", "", values.get("phone") or "")
    if phone and not _PHONE.match(phone):
        raise RuleViolation("phone", "resident.phone", "Số điện thoại phải có dạng 0xxxxxxxxx hoặc +84xxxxxxxxx.",
                            "The phone number must look like 0xxxxxxxxx or +84xxxxxxxxx.")
    values["phone"] = phone
    for name in ("moved_out_on", "died_on"):
        when = values.get(name)
        if when is not None and when < dob:
            raise RuleViolation(name, "resident.date_order", "Ngày này không được trước ngày sinh.",
                                "This date cannot be before the date of birth.")
    return values


def _integrity_to_rule(exc: IntegrityError) -> RuleViolation:
    text = str(exc)
    # PostgreSQL names the violated constraint; SQLite names the indexed column.
    if "resident_one_head_per_household" in text or text.endswith("registry_resident.household_id"):
        return RuleViolation("relation_to_head", "resident.one_head", "Hộ này đã có chủ hộ.",
                             "This household already has a head.")
    if "resident_cccd_unique_among_living" in text or text.endswith("registry_resident.cccd"):
        return RuleViolation("cccd", "resident.cccd_unique", "Số CCCD đã được dùng cho một người khác còn sống.",
                             "This CCCD already belongs to another living resident.")
    return RuleViolation("resident", "resident.integrity", "Dữ liệu vi phạm ràng buộc của sổ hộ.",
                         f"The record breaks a registry constraint ({text}).")


def add_resident(
    actor: Any, household: Household, *, full_name: str, date_of_birth: dt.date, sex: str,
    relation_to_head: str, cccd: str | None = None, phone: str = "",
    has_online_payment_account: bool = False, today: dt.date | None = None,
) -> Resident:
    """Add a resident to ``household``.

    Raises :class:`RuleViolation`: empty name, future date of birth, unknown sex or relation, a
    CCCD that breaks Circular 07/2016/TT-BCA art. 7 or does not match the birth year and sex, a
    CCCD already held by a living resident, or a second head (one head per household).
    """
    _authorise(actor, household.commune)
    values = _validate_resident(
        {"full_name": full_name, "date_of_birth": date_of_birth, "sex": sex, "relation_to_head": relation_to_head,
         "cccd": cccd, "phone": phone, "has_online_payment_account": has_online_payment_account},
        today or timezone.localdate(),
    )
    try:
        with transaction.atomic():
            resident = Resident.objects.create(
                household=household, commune_id=household.commune_id, search_name=fold(values["full_name"]), **values
            )
            if resident.relation_to_head == Relation.HEAD:
                Household.objects.filter(pk=household.pk).update(head_search_name=resident.search_name)
            record(actor, "resident.create", resident, unit=household.commune,
                   data={"household": household.pk, "relation": resident.relation_to_head})
    except IntegrityError as exc:
        raise _integrity_to_rule(exc) from exc
    return resident


def update_resident(actor: Any, resident: Resident, *, today: dt.date | None = None, **changes: Any) -> Resident:
    """Change a resident's fields (see ``RESIDENT_FIELDS``); the same rules as :func:`add_resident`.

    Moving out or dying is a change of ``moved_out_on`` / ``died_on``: the row is never deleted.
    """
    unknown = set(changes) - RESIDENT_FIELDS
    if unknown:
        raise TypeError(f"unknown resident fields: {sorted(unknown)}")
    _authorise(actor, resident.commune)
    current = {name: getattr(resident, name) for name in RESIDENT_FIELDS}
    values = _validate_resident({**current, **changes}, today or timezone.localdate())
    changed = {name: values[name] for name in RESIDENT_FIELDS if values[name] != current[name]}
    try:
        with transaction.atomic():
            locked = Resident.objects.select_for_update().get(pk=resident.pk)
            diff = _diff(locked, changed)
            for name, value in changed.items():
                setattr(locked, name, value)
            locked.search_name = fold(locked.full_name)
            locked.save()
            if locked.relation_to_head == Relation.HEAD and locked.is_living_here:
                Household.objects.filter(pk=locked.household_id).update(head_search_name=locked.search_name)
            elif current["relation_to_head"] == Relation.HEAD:
                Household.objects.filter(pk=locked.household_id).update(head_search_name="")
            if "cccd" in diff:  # never write an identifier into the log
                diff["cccd"] = ["…", "…"]
            record(actor, "resident.update", locked, unit=locked.commune, data=diff)
    except IntegrityError as exc:
        raise _integrity_to_rule(exc) from exc
    return locked


# --- business households -------------------------------------------------------------------

def create_business_household(
    actor: Any, commune: AdministrativeUnit, *, owner: Resident, registration_number: str, trade_name: str,
    sector: str, address: str = "", latitude: float | None = None, longitude: float | None = None,
    registered_on: dt.date | None = None,
) -> BusinessHousehold:
    """Register a household business (Decree 01/2021/NĐ-CP art. 79–92) owned by a resident of the commune.

    Raises :class:`RuleViolation`: owner of another commune, empty name or number, unknown sector,
    a registration number already used in the commune.
    """
    _authorise(actor, commune)
    _check_commune(commune)
    if owner.commune_id != commune.pk:
        raise RuleViolation("owner", "business.owner", "Chủ hộ kinh doanh phải là cư dân của xã.",
                            "The owner must be a resident of the commune.")
    trade_name, registration_number = nfc(trade_name), nfc(registration_number).upper()
    if not trade_name:
        raise RuleViolation("trade_name", "business.name", "Tên hộ kinh doanh không được để trống.",
                            "The trade name is required.")
    if not registration_number:
        raise RuleViolation("registration_number", "business.number", "Số giấy chứng nhận đăng ký không được để trống.",
                            "The registration number is required.")
    if sector not in BusinessSector.values:
        raise RuleViolation("sector", "business.sector", "Ngành nghề không hợp lệ.", "Unknown sector.")
    _check_coordinates(latitude, longitude)
    try:
        with transaction.atomic():
            business = BusinessHousehold.objects.create(
                commune=commune, household=owner.household, owner=owner, registration_number=registration_number,
                trade_name=trade_name, search_name=fold(trade_name), sector=sector, address=nfc(address),
                latitude=latitude, longitude=longitude, registered_on=registered_on,
            )
            record(actor, "business.create", business, unit=commune, data={"trade_name": trade_name})
    except IntegrityError as exc:
        raise RuleViolation("registration_number", "business.unique",
                            f"Số đăng ký '{registration_number}' đã có trong xã.",
                            f"Registration number '{registration_number}' already exists in the commune.") from exc
    return business
