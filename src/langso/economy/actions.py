"""Every write of the economy app. Each function takes the acting user and plain values, checks
the rules, writes in one transaction with an audit entry (:func:`langso.audit.log.record`) and
raises :class:`~langso.lib.errors.RuleViolation` (Vietnamese, then English, naming the field and
the rule) on bad input; nothing is half-written. Each action first checks that the actor may write
the commune (``Http404`` otherwise, as everywhere: :func:`langso.accounts.access.require_write`;
``actor=None`` is a system job), and that every referenced row belongs to the same commune.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction

from langso.accounts.access import require_write, scope_for
from langso.audit.log import record
from langso.lib.errors import RuleViolation
from langso.lib.vietnamese import fold, nfc
from langso.registry.models import BusinessHousehold, Household
from langso.territory.models import Village

from . import geo, gs1, rules
from .models import (
    Cooperative,
    CooperativeKind,
    CooperativeMember,
    CooperativeStatus,
    EventKind,
    LinkageModel,
    Listing,
    Lot,
    Producer,
    ProducerKind,
    Product,
    RawMaterialArea,
    Sector,
    Store,
    TraceEvent,
    Unit,
)

OCOP_SOURCE = "Quyết định 148/QĐ-TTg (24/02/2023)"
TRACE_SOURCE = "Thông tư 02/2024/TT-BKHCN"
GS1_SOURCE = "GS1 General Specifications §7.9; GS1 Digital Link 1.4"


def _authorise(actor: Any, commune_or_row: Any) -> None:
    """``Http404`` unless ``actor`` may write the commune (a commune, or a row carrying
    ``commune_id``); ``None`` is a system job (command, demo)."""
    if actor is None:
        return
    commune_id = getattr(commune_or_row, "commune_id", None)
    if commune_id is None:
        commune_id = getattr(commune_or_row, "pk", commune_or_row)
    require_write(scope_for(actor), commune_id)


def _violation(field: str, rule: str, vi: str, en: str, source: str = "") -> RuleViolation:
    return RuleViolation(field, f"economy.{rule}", vi, en, source)


def _name(value: str, field: str = "name") -> str:
    value = nfc(value)
    if not value:
        raise _violation(field, f"{field}.required", "Không được để trống.", "Required.")
    if len(value) > 200:
        raise _violation(field, f"{field}.length", "Dài quá 200 ký tự.", "Longer than 200 characters.")
    return value


def _choice(value: str, choices: Iterable[str], field: str) -> str:
    if value not in set(choices):
        raise _violation(field, f"{field}.choice", f"Giá trị không hợp lệ: {value!r}.", f"Not a valid choice: {value!r}.")
    return value


def _same_commune(obj: Any, commune: Any, field: str) -> Any:
    if obj is not None and obj.commune_id != commune.pk:
        raise _violation(field, f"{field}.commune", "Bản ghi thuộc xã khác.", "The record belongs to another commune.")
    return obj


def _decimal(value: Any, field: str, *, positive: bool = True, required: bool = True) -> Decimal | None:
    if value in (None, ""):
        if required:
            raise _violation(field, f"{field}.required", "Không được để trống.", "Required.")
        return None
    try:
        number = Decimal(str(value).replace(",", "."))
    except InvalidOperation as exc:
        raise _violation(field, f"{field}.number", "Phải là một số.", "Must be a number.") from exc
    if not number.is_finite() or (positive and number <= 0):
        raise _violation(field, f"{field}.positive", "Phải lớn hơn 0.", "Must be greater than 0.")
    return number.quantize(Decimal("0.01"))


def _audit(actor: Any, action: str, obj: Any, data: dict[str, Any] | None = None) -> None:
    record(actor, f"economy.{action}", obj, unit=obj.commune, data=data or {})


# --- cooperatives -------------------------------------------------------------------------------

def create_cooperative(actor: Any, commune: Any, *, kind: str, name: str, registered_on: dt.date, sector: str,
                       registration_number: str = "", member_household_ids: Iterable[int] = ()) -> Cooperative:
    """Register a cooperative or cooperative group of ``commune`` with its member households.

    A cooperative needs its registration number (Law 17/2023/QH15 on Cooperatives, art. 24)
    and at least 5 members (art. 30); a group at least 2 members (art. 103). Raises
    ``RuleViolation`` for those, a household of another commune, or a duplicate number.
    """
    _authorise(actor, commune)
    _choice(kind, CooperativeKind.values, "kind")
    _choice(sector, Sector.values, "sector")
    name = _name(name)
    registration_number = nfc(registration_number).upper()
    ids = sorted(set(member_household_ids))
    if kind == CooperativeKind.COOPERATIVE and not registration_number:
        raise _violation("registration_number", "cooperative.registration", "Hợp tác xã phải có số đăng ký.",
                         "A cooperative needs its registration number.", "Luật Hợp tác xã 17/2023/QH15, Điều 24")
    minimum = 5 if kind == CooperativeKind.COOPERATIVE else 2
    if ids and len(ids) < minimum:
        raise _violation("members", "cooperative.members", f"Cần ít nhất {minimum} hộ thành viên.",
                         f"At least {minimum} member households are needed.", "Luật Hợp tác xã 17/2023/QH15")
    households = list(Household.objects.filter(pk__in=ids, commune=commune))
    if len(households) != len(ids):
        raise _violation("members", "cooperative.members_commune", "Có hộ không thuộc xã này.",
                         "Some households are not of this commune.")
    try:
        with transaction.atomic():
            coop = Cooperative.objects.create(commune=commune, kind=kind, name=name, search_name=fold(name),
                                              registration_number=registration_number, registered_on=registered_on,
                                              sector=sector)
            CooperativeMember.objects.bulk_create([
                CooperativeMember(cooperative=coop, household=h, commune=commune, joined_on=registered_on)
                for h in households
            ])
            _audit(actor, "cooperative.create", coop, {"kind": kind, "members": len(households)})
    except IntegrityError as exc:
        raise _violation("registration_number", "cooperative.unique", "Số đăng ký đã có trong xã.",
                         "This registration number is already recorded in the commune.") from exc
    return coop


def set_cooperative_status(actor: Any, coop: Cooperative, *, status: str, on: dt.date) -> Cooperative:
    """Suspend, reactivate or dissolve (``on`` is the dissolution date) a cooperative."""
    _authorise(actor, coop)
    _choice(status, CooperativeStatus.values, "status")
    with transaction.atomic():
        coop = Cooperative.objects.select_for_update().get(pk=coop.pk)
        coop.status = status
        coop.dissolved_on = on if status == CooperativeStatus.DISSOLVED else None
        coop.save(update_fields=["status", "dissolved_on"])
        _audit(actor, "cooperative.status", coop, {"status": status, "on": on.isoformat()})
    return coop


# --- producers ----------------------------------------------------------------------------------

def create_producer(actor: Any, commune: Any, *, kind: str, trade_name: str, registered_on: dt.date,
                    household: Household | None = None, business: BusinessHousehold | None = None,
                    cooperative: Cooperative | None = None, tax_code: str = "", village: Village | None = None,
                    declares_ecommerce: bool = False) -> Producer:
    """Record a producer of ``commune``. A farm household needs ``household``; a business
    household ``business`` (its household is copied); a cooperative ``cooperative``; an
    enterprise a 10- or 13-digit ``tax_code`` (Law 38/2019/QH14 on Tax Administration, art. 30).
    Raises ``RuleViolation`` when the link is missing or of another commune."""
    _authorise(actor, commune)
    _choice(kind, ProducerKind.values, "kind")
    trade_name = _name(trade_name, "trade_name")
    for obj, field in ((household, "household"), (business, "business"), (cooperative, "cooperative"),
                       (village, "village")):
        _same_commune(obj, commune, field)
    tax_code = (tax_code or "").replace("-", "").strip()
    if kind == ProducerKind.HOUSEHOLD and household is None:
        raise _violation("household", "producer.household", "Chọn hộ gia đình.", "Choose the household.")
    if kind == ProducerKind.BUSINESS:
        if business is None:
            raise _violation("business", "producer.business", "Chọn hộ kinh doanh.", "Choose the business household.")
        household = business.household
    if kind == ProducerKind.COOPERATIVE and cooperative is None:
        raise _violation("cooperative", "producer.cooperative", "Chọn hợp tác xã.", "Choose the cooperative.")
    if kind == ProducerKind.ENTERPRISE and not (tax_code.isdigit() and len(tax_code) in (10, 13)):
        raise _violation("tax_code", "producer.tax_code", "Mã số thuế doanh nghiệp gồm 10 hoặc 13 chữ số.",
                         "An enterprise's tax code has 10 or 13 digits.", "Luật Quản lý thuế 38/2019/QH14, Điều 30")
    with transaction.atomic():
        producer = Producer.objects.create(
            commune=commune, kind=kind, trade_name=trade_name, search_name=fold(trade_name),
            household=household if kind in (ProducerKind.HOUSEHOLD, ProducerKind.BUSINESS) else None,
            business=business if kind == ProducerKind.BUSINESS else None,
            cooperative=cooperative if kind == ProducerKind.COOPERATIVE else None,
            tax_code=tax_code if kind == ProducerKind.ENTERPRISE else "", village=village,
            declares_ecommerce=bool(declares_ecommerce), registered_on=registered_on,
        )
        _audit(actor, "producer.create", producer, {"kind": kind})
    return producer


def set_declares_ecommerce(actor: Any, producer: Producer, declares: bool) -> Producer:
    """Record that the producer says it sells online (or no longer does)."""
    _authorise(actor, producer)
    with transaction.atomic():
        Producer.objects.filter(pk=producer.pk).update(declares_ecommerce=bool(declares))
        producer.declares_ecommerce = bool(declares)
        _audit(actor, "producer.declares_ecommerce", producer, {"declares": bool(declares)})
    return producer


# --- raw-material areas -------------------------------------------------------------------------

def create_raw_material_area(actor: Any, commune: Any, *, name: str, crop: str, geometry: str | dict,
                             created_on: dt.date, growing_area_code: str = "", village: Village | None = None,
                             uses_traceability: bool = False, uses_farming_diary: bool = False,
                             uses_sensors: bool = False) -> RawMaterialArea:
    """Record a raw-material area from a GeoJSON Polygon/MultiPolygon (drawn or imported).

    The area in hectares is computed from the polygon (:func:`langso.economy.geo.area_hectares`,
    ellipsoidal, exact to well under 0.1 %). Raises ``RuleViolation`` (field ``geometry``) for a
    polygon :func:`~langso.economy.geo.parse_polygon` refuses, one larger than
    :data:`~langso.economy.geo.MAX_HECTARES`, or one whose centre lies outside the commune's
    boundary (when the boundary is known).
    """
    _authorise(actor, commune)
    name = _name(name)
    crop = _name(crop, "crop")
    _same_commune(village, commune, "village")
    try:
        geom = geo.parse_polygon(geometry)
    except geo.GeometryError as exc:
        raise _violation("geometry", "area.geometry", exc.vi, exc.en, "RFC 7946 (GeoJSON)") from exc
    hectares = geo.area_hectares(geom)
    if hectares > geo.MAX_HECTARES:
        raise _violation("geometry", "area.too_large", f"Vùng rộng {hectares:,.0f} ha, quá {geo.MAX_HECTARES:,.0f} ha.",
                         f"The area is {hectares:,.0f} ha, more than {geo.MAX_HECTARES:,.0f} ha.")
    centre = geom.representative_point()
    if commune.boundary:
        try:
            boundary = geo.parse_polygon(commune.boundary)
        except geo.GeometryError:
            boundary = None
        if boundary is not None and not boundary.buffer(0.001).contains(centre):
            raise _violation("geometry", "area.outside_commune", "Vùng nằm ngoài ranh giới xã.",
                             "The area lies outside the commune's boundary.")
    with transaction.atomic():
        area = RawMaterialArea.objects.create(
            commune=commune, village=village, name=name, crop=crop, geometry=geo.to_geojson(geom),
            area_ha=Decimal(hectares).quantize(Decimal("0.01")), centroid_lat=round(centre.y, 6),
            centroid_lon=round(centre.x, 6), growing_area_code=nfc(growing_area_code).upper(),
            uses_traceability=uses_traceability, uses_farming_diary=uses_farming_diary, uses_sensors=uses_sensors,
            created_on=created_on,
        )
        _audit(actor, "area.create", area, {"area_ha": str(area.area_ha)})
    return area


def set_area_technologies(actor: Any, area: RawMaterialArea, *, traceability: bool, farming_diary: bool,
                          sensors: bool) -> RawMaterialArea:
    """Record which digital technologies the area applies (ECO-3, Decision 924/QĐ-TTg)."""
    _authorise(actor, area)
    with transaction.atomic():
        RawMaterialArea.objects.filter(pk=area.pk).update(uses_traceability=traceability,
                                                          uses_farming_diary=farming_diary, uses_sensors=sensors)
        area.refresh_from_db()
        _audit(actor, "area.technologies", area,
               {"traceability": traceability, "farming_diary": farming_diary, "sensors": sensors})
    return area


# --- products -----------------------------------------------------------------------------------

def create_product(actor: Any, producer: Producer, *, name: str, group: str, created_on: dt.date, gtin: str = "",
                   is_key_product: bool = False, vietgap: bool = False, organic: bool = False,
                   description: str = "") -> Product:
    """Record a product of ``producer`` (same commune). ``gtin``: GTIN-8/12/13/14 with a valid
    check digit (GS1 General Specifications §7.9), stored as 14 digits; empty for none."""
    _authorise(actor, producer)
    name = _name(name)
    _choice(group, [c for c, _ in rules.group_choices()], "group")
    gtin14 = ""
    if (gtin or "").strip():
        try:
            gtin14 = gs1.normalise_gtin(gtin)
        except ValueError as exc:
            if str(exc) == "check_digit":
                raise _violation("gtin", "product.gtin_check_digit", "Số kiểm tra của GTIN sai.",
                                 "The GTIN's check digit is wrong.", GS1_SOURCE) from exc
            raise _violation("gtin", "product.gtin_length", "GTIN gồm 8, 12, 13 hoặc 14 chữ số.",
                             "A GTIN has 8, 12, 13 or 14 digits.", GS1_SOURCE) from exc
    with transaction.atomic():
        product = Product.objects.create(
            commune=producer.commune, producer=producer, name=name, search_name=fold(name), group=group,
            description=nfc(description), gtin=gtin14, is_key_product=is_key_product, vietgap=vietgap,
            organic=organic, created_on=created_on,
        )
        _audit(actor, "product.create", product, {"group": group})
    return product


def certify_ocop(actor: Any, product: Product, *, score: int, certificate_number: str,
                 certified_on: dt.date) -> Product:
    """Record an OCOP ranking: the score out of 100 gives the stars by the Decision 148/QĐ-TTg bands
    (``data/ocop.yaml``) and the certificate expires 36 months after ``certified_on``.

    Raises ``RuleViolation`` for a score outside 0–100, a score under the 3-star band (1★ and 2★
    are evaluation results, not certificates: the programme certifies 3★ and above), or no
    certificate number.
    """
    _authorise(actor, product)
    try:
        score = int(score)
        stars = rules.stars_for(score)
    except (TypeError, ValueError) as exc:
        raise _violation("ocop_score", "ocop.score_range", "Điểm OCOP phải từ 0 đến 100.",
                         "The OCOP score must be between 0 and 100.", OCOP_SOURCE) from exc
    if stars < 3:
        raise _violation("ocop_score", "ocop.score_too_low", "Dưới 50 điểm: sản phẩm không được công nhận OCOP.",
                         "Under 50 points: the product is not certified OCOP.", OCOP_SOURCE)
    certificate_number = nfc(certificate_number)
    if not certificate_number:
        raise _violation("ocop_certificate_number", "ocop.certificate_required", "Nhập số giấy chứng nhận.",
                         "Enter the certificate number.", OCOP_SOURCE)
    with transaction.atomic():
        product = Product.objects.select_for_update().get(pk=product.pk)
        product.ocop_score, product.ocop_stars = score, stars
        product.ocop_certificate_number = certificate_number
        product.ocop_certified_on = certified_on
        product.ocop_expires_on = rules.certificate_expiry(certified_on)
        product.save(update_fields=["ocop_score", "ocop_stars", "ocop_certificate_number", "ocop_certified_on",
                                    "ocop_expires_on"])
        _audit(actor, "product.ocop", product, {"score": score, "stars": stars,
                                                "expires_on": product.ocop_expires_on.isoformat()})
    return product


# --- linkage models -----------------------------------------------------------------------------

def create_linkage(actor: Any, commune: Any, *, name: str, lead: Producer, contract_signed_on: dt.date,
                   product: Product | None = None, raw_material_area: RawMaterialArea | None = None,
                   contract_ends_on: dt.date | None = None, volume_tonnes_per_year: Any = None,
                   household_ids: Iterable[int] = ()) -> LinkageModel:
    """Record a production-linkage model led by a cooperative or an enterprise (Decree
    98/2018/NĐ-CP, art. 3), with its participating households of the commune."""
    _authorise(actor, commune)
    name = _name(name)
    for obj, field in ((lead, "lead"), (product, "product"), (raw_material_area, "raw_material_area")):
        _same_commune(obj, commune, field)
    if lead.kind not in (ProducerKind.COOPERATIVE, ProducerKind.ENTERPRISE):
        raise _violation("lead", "linkage.lead_kind", "Chủ trì liên kết phải là hợp tác xã hoặc doanh nghiệp.",
                         "The lead must be a cooperative or an enterprise.", "Nghị định 98/2018/NĐ-CP, Điều 3")
    if contract_ends_on is not None and contract_ends_on < contract_signed_on:
        raise _violation("contract_ends_on", "linkage.dates", "Ngày kết thúc trước ngày ký hợp đồng.",
                         "The contract ends before it was signed.")
    volume = _decimal(volume_tonnes_per_year, "volume_tonnes_per_year", required=False)
    ids = sorted(set(household_ids))
    households = list(Household.objects.filter(pk__in=ids, commune=commune))
    if len(households) != len(ids):
        raise _violation("households", "linkage.households_commune", "Có hộ không thuộc xã này.",
                         "Some households are not of this commune.")
    with transaction.atomic():
        linkage = LinkageModel.objects.create(
            commune=commune, name=name, lead=lead, product=product, raw_material_area=raw_material_area,
            contract_signed_on=contract_signed_on, contract_ends_on=contract_ends_on, volume_tonnes_per_year=volume,
        )
        linkage.households.set(households)
        _audit(actor, "linkage.create", linkage, {"households": len(households)})
    return linkage


# --- stores and listings ------------------------------------------------------------------------

def open_store(actor: Any, producer: Producer, *, platform: str, name: str, url: str, opened_on: dt.date) -> Store:
    """Record a producer's store. ``url`` must be http(s) on the platform's host
    (``data/platforms.yaml``: e.g. a Shopee store on shopee.vn); any host for an own website."""
    _authorise(actor, producer)
    _choice(platform, rules.platforms(), "platform")
    name = _name(name)
    url = (url or "").strip()
    if len(url) > 500 or not rules.url_matches_platform(url, platform):
        hosts = ", ".join(rules.platforms()[platform]["hosts"]) or "http(s)://…"
        raise _violation("url", "store.url", f"Địa chỉ cửa hàng phải là liên kết tới {hosts}.",
                         f"The store URL must be a link on {hosts}.")
    try:
        with transaction.atomic():
            store = Store.objects.create(commune=producer.commune, producer=producer, platform=platform, name=name,
                                         url=url, opened_on=opened_on)
            _audit(actor, "store.open", store, {"platform": platform})
    except IntegrityError as exc:
        raise _violation("url", "store.unique", "Cửa hàng này đã được ghi nhận.",
                         "This store is already recorded.") from exc
    return store


def close_store(actor: Any, store: Store, on: dt.date) -> Store:
    """Close a store and withdraw its open listings on ``on``."""
    _authorise(actor, store)
    with transaction.atomic():
        Store.objects.filter(pk=store.pk).update(closed_on=on)
        Listing.objects.filter(store=store, withdrawn_on__isnull=True).update(withdrawn_on=on)
        store.closed_on = on
        _audit(actor, "store.close", store, {"on": on.isoformat()})
    return store


def list_product(actor: Any, store: Store, product: Product, *, price_vnd: Any, listed_on: dt.date,
                 url: str = "") -> Listing:
    """Offer ``product`` in ``store`` at ``price_vnd`` (a whole number of đồng, > 0). Both must be
    of the same commune; the store must be open. One open listing per product and store."""
    _authorise(actor, store)
    _same_commune(product, store.commune, "product")
    if store.closed_on is not None:
        raise _violation("store", "listing.store_closed", "Cửa hàng đã đóng.", "The store is closed.")
    text = str(price_vnd).replace(".", "").replace(",", "").replace(" ", "").strip()
    if not text.isdigit() or int(text) <= 0:
        raise _violation("price_vnd", "listing.price", "Giá là số đồng nguyên dương.",
                         "The price is a positive whole number of đồng.")
    url = (url or "").strip()
    if url and not rules.url_matches_platform(url, store.platform):
        raise _violation("url", "listing.url", "Liên kết sản phẩm không thuộc sàn của cửa hàng.",
                         "The listing URL is not on the store's platform.")
    try:
        with transaction.atomic():
            listing = Listing.objects.create(commune=store.commune, store=store, product=product, price_vnd=int(text),
                                             url=url, listed_on=listed_on)
            _audit(actor, "listing.create", listing, {"price_vnd": int(text)})
    except IntegrityError as exc:
        raise _violation("product", "listing.unique", "Sản phẩm đã được bán ở cửa hàng này.",
                         "The product is already listed in this store.") from exc
    return listing


def withdraw_listing(actor: Any, listing: Listing, on: dt.date) -> Listing:
    _authorise(actor, listing)
    with transaction.atomic():
        Listing.objects.filter(pk=listing.pk).update(withdrawn_on=on)
        listing.withdrawn_on = on
        _audit(actor, "listing.withdraw", listing, {"on": on.isoformat()})
    return listing


# --- lots and trace events ----------------------------------------------------------------------

def create_lot(actor: Any, product: Product, *, code: str, produced_on: dt.date, quantity: Any, unit: str,
               harvested_on: dt.date | None = None, best_before: dt.date | None = None,
               raw_material_area: RawMaterialArea | None = None) -> Lot:
    """Record a lot of ``product`` and its "produced" event. ``code``: 1–20 characters of
    letters, digits, ``-``, ``.``, ``_`` (GS1 AI 10); unique per product."""
    _authorise(actor, product)
    code = (code or "").strip()
    if not gs1.LOT_PATTERN.match(code):
        raise _violation("code", "lot.code", "Số lô gồm 1–20 chữ cái không dấu, chữ số, '-', '.', '_'.",
                         "A lot number has 1–20 letters, digits, '-', '.' or '_'.", "GS1 AI (10)")
    _same_commune(raw_material_area, product.commune, "raw_material_area")
    _choice(unit, Unit.values, "unit")
    amount = _decimal(quantity, "quantity")
    if harvested_on is not None and harvested_on > produced_on:
        raise _violation("harvested_on", "lot.dates", "Ngày thu hoạch sau ngày sản xuất.",
                         "The harvest date is after the production date.")
    if best_before is not None and best_before < produced_on:
        raise _violation("best_before", "lot.best_before", "Hạn dùng trước ngày sản xuất.",
                         "The best-before date is before the production date.")
    try:
        with transaction.atomic():
            lot = Lot.objects.create(commune=product.commune, product=product, code=code, produced_on=produced_on,
                                     harvested_on=harvested_on, best_before=best_before,
                                     raw_material_area=raw_material_area, quantity=amount, unit=unit)
            TraceEvent.objects.create(commune=lot.commune, lot=lot, kind=EventKind.PRODUCED, occurred_on=produced_on,
                                      party=product.producer.trade_name,
                                      place=raw_material_area.name if raw_material_area else "", quantity=amount)
            _audit(actor, "lot.create", lot, {"code": code})
    except IntegrityError as exc:
        raise _violation("code", "lot.unique", "Số lô đã có cho sản phẩm này.",
                         "This lot number already exists for the product.") from exc
    return lot


def add_trace_event(actor: Any, lot: Lot, *, kind: str, occurred_on: dt.date, party: str, place: str = "",
                    quantity: Any = None, document: str = "", note: str = "") -> TraceEvent:
    """Record one step back (``received``: from whom the inputs came) or one step forward
    (``shipped``: to whom the lot went) — Circular 02/2024/TT-BKHCN. ``party`` is a business
    name. A shipment cannot predate the lot's production nor exceed its quantity in total."""
    _authorise(actor, lot)
    _choice(kind, [EventKind.RECEIVED, EventKind.SHIPPED], "kind")
    party = _name(party, "party")
    amount = _decimal(quantity, "quantity", required=False)
    if kind == EventKind.SHIPPED and occurred_on < lot.produced_on:
        raise _violation("occurred_on", "event.before_lot", "Ngày giao trước ngày sản xuất lô.",
                         "Shipped before the lot was produced.", TRACE_SOURCE)
    with transaction.atomic():
        lot = Lot.objects.select_for_update().get(pk=lot.pk)
        if kind == EventKind.SHIPPED and amount is not None:
            shipped = sum((e.quantity or 0) for e in lot.events.filter(kind=EventKind.SHIPPED))
            if shipped + amount > lot.quantity:
                raise _violation("quantity", "event.over_quantity", "Tổng lượng giao vượt số lượng của lô.",
                                 "Shipments exceed the lot's quantity.", TRACE_SOURCE)
        event = TraceEvent.objects.create(commune=lot.commune, lot=lot, kind=kind, occurred_on=occurred_on,
                                          party=party, place=nfc(place)[:200], quantity=amount,
                                          document=nfc(document)[:100], note=nfc(note)[:300])
        _audit(actor, "lot.event", event, {"kind": kind, "lot": lot.pk})
    return event
