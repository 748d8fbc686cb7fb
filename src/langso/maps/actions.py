"""Every write of the maps app: a commune's points of interest (create, change, close).

Actions take the acting user (``None`` for a system job), check that the actor may write the
commune (``Http404`` otherwise), normalise text to NFC, validate, write in one transaction and
record an audit entry. Broken rules raise :class:`~langso.lib.errors.RuleViolation` naming the
field. Nothing is deleted: a place that closes keeps its row with ``closed_on``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import shapely
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction

from langso.accounts.access import require_write, scope_for
from langso.addressing.coordinates import parse_coordinates
from langso.addressing.quality import commune_boundary
from langso.audit.log import record
from langso.lib.errors import RuleViolation
from langso.lib.vietnamese import fold, nfc
from langso.territory.models import AdministrativeUnit

from .models import Place, PlaceCategory

PLACE_FIELDS = {"category", "name", "description", "address", "contact", "website", "latitude", "longitude",
                "public", "closed_on"}


def _authorise(actor: Any, commune: AdministrativeUnit) -> None:
    if actor is not None:
        require_write(scope_for(actor), commune.pk)


def _category(value: Any) -> PlaceCategory:
    if isinstance(value, PlaceCategory):
        return value
    category = PlaceCategory.objects.filter(key=str(value or "")).first()
    if category is None:
        raise RuleViolation("category", "place.category", f"Loại địa điểm '{value}' không có trong danh mục.",
                            f"Place category '{value}' is not in the catalogue.")
    return category


def _clean(values: dict[str, Any], commune: AdministrativeUnit, allow_outside: bool) -> dict[str, Any]:
    out = dict(values)
    if "coordinates" in out:
        text = out.pop("coordinates")
        if text:
            out["latitude"], out["longitude"] = parse_coordinates(nfc(text))
    for name in ("name", "description", "address", "contact", "website"):
        if name in out:
            out[name] = nfc(out[name]) if name != "description" else (out[name] or "").strip()
    if "name" in out and not out["name"]:
        raise RuleViolation("name", "place.name", "Tên địa điểm không được để trống.", "The place name is required.")
    if "category" in out:
        out["category"] = _category(out["category"])
    if out.get("website"):
        try:
            URLValidator(schemes=["http", "https"])(out["website"])
        except ValidationError as exc:
            raise RuleViolation("website", "place.website", "Địa chỉ web phải bắt đầu bằng http:// hoặc https://.",
                                "The website must start with http:// or https://.") from exc
    if "latitude" in out or "longitude" in out:
        lat, lon = out.get("latitude"), out.get("longitude")
        if lat is None or lon is None:
            raise RuleViolation("coordinates", "coordinates.empty", "Cần vị trí (vĩ độ, kinh độ) của địa điểm.",
                                "The place needs a location (latitude, longitude).")
        lat, lon = float(lat), float(lon)
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise RuleViolation("coordinates", "coordinates.range", "Toạ độ ngoài phạm vi WGS84.",
                                "Coordinates outside the WGS84 range.")
        geom = commune_boundary(commune, dt.date.today())
        if geom is not None and not allow_outside:
            if not geom.contains(shapely.Point(lon, lat)):
                raise RuleViolation(
                    "coordinates", "location.outside_commune",
                    f"Điểm ({lat}, {lon}) nằm ngoài ranh giới {commune.full_name}.",
                    f"Point ({lat}, {lon}) is outside the boundary of {commune.full_name}.",
                )
        out["latitude"], out["longitude"] = round(lat, 7), round(lon, 7)
    return out


def _duplicate(name: str) -> RuleViolation:
    return RuleViolation("name", "place.unique", f"Xã đã có địa điểm '{name}' cùng loại.",
                         f"The commune already has a place '{name}' of this category.")


def create_place(actor: Any, commune: AdministrativeUnit, *, category: Any, name: str, latitude: float | None = None,
                 longitude: float | None = None, coordinates: str = "", description: str = "", address: str = "",
                 contact: str = "", website: str = "", public: bool = True, allow_outside: bool = False) -> Place:
    """Create a point of interest of ``commune``. Location from ``latitude``/``longitude`` (WGS84
    degrees) or typed ``coordinates`` (any form of :func:`parse_coordinates`); it must lie inside the
    commune unless ``allow_outside``. Raises :class:`RuleViolation`; ``Http404`` outside the actor's scope."""
    _authorise(actor, commune)
    if commune.level != "commune" or commune.valid_to is not None:
        raise RuleViolation("commune", "commune.current", "Chỉ ghi vào đơn vị cấp xã đang có hiệu lực.",
                            "Records belong to a current commune-level unit.")
    values = _clean({"category": category, "name": name, "latitude": latitude, "longitude": longitude,
                     **({"coordinates": coordinates} if coordinates else {}), "description": description,
                     "address": address, "contact": contact, "website": website}, commune, allow_outside)
    try:
        with transaction.atomic():
            place = Place.objects.create(commune=commune, public=bool(public), search_name=fold(values["name"]),
                                         **values)
            record(actor, "place.create", place, unit=commune,
                   data={"name": place.name, "category": place.category.key})
    except IntegrityError as exc:
        raise _duplicate(values["name"]) from exc
    return place


def update_place(actor: Any, place: Place, *, allow_outside: bool = False, **changes: Any) -> Place:
    """Change fields of a place (``category``, ``name``, ``description``, ``address``, ``contact``,
    ``website``, ``latitude``, ``longitude`` or ``coordinates``, ``public``, ``closed_on``).
    Unknown fields raise ``TypeError``."""
    unknown = set(changes) - PLACE_FIELDS - {"coordinates"}
    if unknown:
        raise TypeError(f"unknown place fields: {sorted(unknown)}")
    commune = place.commune
    _authorise(actor, commune)
    values = _clean(changes, commune, allow_outside)
    try:
        with transaction.atomic():
            place = Place.objects.select_for_update().get(pk=place.pk)
            diff = {}
            for name, value in values.items():
                old = getattr(place, name)
                if old != value:
                    diff[name] = [getattr(old, "key", old if not isinstance(old, dt.date) else old.isoformat()),
                                  getattr(value, "key", value if not isinstance(value, dt.date) else value.isoformat())]
                setattr(place, name, value)
            if "name" in values:
                place.search_name = fold(place.name)
            place.save()
            record(actor, "place.update", place, unit=commune, data=diff)
    except IntegrityError as exc:
        raise _duplicate(values.get("name", place.name)) from exc
    return place


def close_place(actor: Any, place: Place, closed_on: dt.date | None = None) -> Place:
    """Mark a place closed (it leaves the public maps, its row stays)."""
    return update_place(actor, place, closed_on=closed_on or dt.date.today())
