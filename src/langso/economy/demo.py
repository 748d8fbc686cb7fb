"""Demo rural-economy records for ``langso demo`` (data in ``data/demo.yaml``; all invented, every
trade name marked "(mẫu)" = demo): the five typical products with OCOP stars, their producers
and cooperatives, raw-material areas drawn inside the demo commune's boundary, linkage models,
marketplace stores and listings, lots with events one step back and forward, and farm
households that sell online.

Everything goes through :mod:`langso.economy.actions` in one transaction; deterministic for a
seed; nothing is added when any of the communes already has products (re-running adds nothing).
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.utils import timezone
from shapely.geometry import box, mapping

from langso.registry.models import BusinessHousehold, Household
from langso.territory.models import AdministrativeUnit, Village

from . import actions, geo, gs1, rules
from .models import CooperativeKind, EventKind, ProducerKind, Product, Sector

DATA = Path(__file__).resolve().parent / "data" / "demo.yaml"
M_PER_DEG_LAT = 110_574.0


def _place(products: list[dict[str, Any]], codes: list[str]) -> list[str]:
    """Commune code of each product: its first preferred code present, else round robin."""
    out = []
    for i, p in enumerate(products):
        out.append(next((c for c in p.get("prefer", []) if c in codes), codes[i % len(codes)]))
    return out


def _area_polygon(commune: AdministrativeUnit, size_m: list[float], rng: random.Random) -> dict[str, Any]:
    """A rectangle of ``size_m`` (east × north metres) near a point inside the commune, clipped
    to the commune boundary (or around the centroid when no boundary is known)."""
    import math

    boundary = None
    if commune.boundary:
        try:
            boundary = geo.parse_polygon(commune.boundary)
        except geo.GeometryError:
            boundary = None
    if boundary is not None:
        inner = boundary.buffer(-0.004)
        centre = (inner if not inner.is_empty else boundary).representative_point()
        lon, lat = centre.x, centre.y
    else:
        lat, lon = commune.centroid_lat or 21.3, commune.centroid_lon or 105.6
    lon += rng.uniform(-0.002, 0.002)
    lat += rng.uniform(-0.002, 0.002)
    dlat = size_m[1] / M_PER_DEG_LAT / 2
    dlon = size_m[0] / (111_320.0 * math.cos(math.radians(lat))) / 2
    poly = box(lon - dlon, lat - dlat, lon + dlon, lat + dlat).buffer(0)
    if boundary is not None:
        clipped = poly.intersection(boundary)
        if not clipped.is_empty and clipped.geom_type in ("Polygon", "MultiPolygon"):
            poly = clipped
    return {"type": poly.geom_type, "coordinates": mapping(poly)["coordinates"]}


def _gtin(body: str) -> str:
    return body + str(gs1.check_digit(body))


@transaction.atomic
def issue_demo_economy(seed: int, commune_codes: list[str]) -> dict[str, int]:
    """Create the demo records in the current communes of ``commune_codes`` (nothing when any of
    them already has products). Returns counts: ``products``, ``stores``, ``listings``, ``lots``,
    ``cooperatives``, ``linkages``, ``areas``, ``producers``."""
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    rng = random.Random(seed)
    today = timezone.localdate()
    communes = {c.code: c for c in AdministrativeUnit.objects.current().communes().filter(code__in=commune_codes)}
    codes = [c for c in commune_codes if c in communes]
    if Product.objects.filter(commune__in=communes.values()).exists():
        codes = []  # already issued: the products' placement depends on the whole list
    counts = dict.fromkeys(["products", "stores", "listings", "lots", "cooperatives", "linkages", "areas",
                            "producers"], 0)
    if not codes:
        return counts
    placed = _place(data["products"], codes)
    products: list[Product | None] = []
    for spec, code in zip(data["products"], placed, strict=True):
        commune = communes[code]
        products.append(_product(spec, commune, rng, today, counts))
    for s in data["stores"]:
        product = products[s["product"]]
        store = actions.open_store(None, product.producer, platform=s["platform"], name=product.producer.trade_name,
                                   url=s["path"], opened_on=today - dt.timedelta(days=rng.randint(200, 700)))
        actions.list_product(None, store, product, price_vnd=s["price"], listed_on=store.opened_on,
                             url=s["path"] if s["platform"] != "tiktok" else "")
        counts["stores"] += 1
        counts["listings"] += 1
    for product in products:
        _lots(product, data, rng, today, counts)
    for i, code in enumerate(codes):
        commune = communes[code]
        if i < len(codes) - 1 or len(codes) == 1:  # all but one commune have a cooperative (ECO-1 below 100 %)
            if not commune.cooperatives.exists():
                _cooperative(commune, f"HTX Dịch vụ nông nghiệp {commune.name} (mẫu)", "mixed", rng, today, counts)
        _online_households(commune, data, rng, today, counts)
    return counts


def _members(commune: AdministrativeUnit, n: int, rng: random.Random) -> list[int]:
    ids = list(Household.objects.filter(commune=commune, dissolved_on__isnull=True).order_by("pk")
               .values_list("pk", flat=True)[:2000])
    return sorted(rng.sample(ids, min(n, len(ids)))) if len(ids) >= 5 else []


def _cooperative(commune, name: str, sector: str, rng: random.Random, today: dt.date, counts: dict[str, int]):
    counts["cooperatives"] += 1
    number = f"{commune.code}-HTX-{counts['cooperatives']:03d}"
    return actions.create_cooperative(None, commune, kind=CooperativeKind.COOPERATIVE, name=name,
                                      registered_on=today - dt.timedelta(days=rng.randint(800, 3000)),
                                      sector=sector, registration_number=number,
                                      member_household_ids=_members(commune, rng.randint(7, 30), rng))


def _village(commune) -> Village | None:
    return Village.objects.filter(commune=commune).order_by("pk").first()


def _product(spec: dict[str, Any], commune, rng: random.Random, today: dt.date, counts: dict[str, int]) -> Product:
    p = spec["producer"]
    registered = today - dt.timedelta(days=rng.randint(1500, 4000))
    village = _village(commune)
    kwargs: dict[str, Any] = {"village": village}
    if p["kind"] == ProducerKind.COOPERATIVE:
        kwargs["cooperative"] = _cooperative(commune, p["name"], p.get("sector", Sector.MIXED), rng, today, counts)
    elif p["kind"] == ProducerKind.ENTERPRISE:
        kwargs["tax_code"] = p["tax_code"]
    elif p["kind"] == ProducerKind.BUSINESS:
        business = BusinessHousehold.objects.filter(commune=commune, closed_on__isnull=True,
                                                    household__isnull=False).order_by("pk").first()
        if business is None:
            p = {**p, "kind": ProducerKind.HOUSEHOLD}
        else:
            kwargs["business"] = business
    if p["kind"] == ProducerKind.HOUSEHOLD:
        kwargs["household"] = Household.objects.filter(commune=commune).order_by("pk").first()
    producer = actions.create_producer(None, commune, kind=p["kind"], trade_name=p["name"], registered_on=registered,
                                       **kwargs)
    counts["producers"] += 1
    gtin = _gtin(spec["gtin_body"]) if spec.get("gtin_body") else ""
    product = actions.create_product(None, producer, name=spec["name"], group=spec["group"], created_on=registered,
                                     gtin=gtin, is_key_product=spec.get("key", False),
                                     vietgap=spec.get("vietgap", False), organic=spec.get("organic", False))
    counts["products"] += 1
    if spec.get("ocop"):
        certified = rules.add_months(today, -spec["ocop"]["months_ago"])
        product = actions.certify_ocop(None, product, score=spec["ocop"]["score"],
                                       certificate_number=f"OCOP-{commune.province.code}-{certified.year}-{product.pk:04d}",
                                       certified_on=certified)
    area = None
    if spec.get("area"):
        a = spec["area"]
        area = actions.create_raw_material_area(
            None, commune, name=a["name"], crop=a["crop"], geometry=_area_polygon(commune, a["size_m"], rng),
            created_on=registered, growing_area_code=a.get("code", ""), village=village,
            uses_traceability=a["traceability"], uses_farming_diary=a["diary"], uses_sensors=a["sensors"])
        counts["areas"] += 1
    product.demo_area = area  # used by _lots
    if spec.get("linkage"):
        link = spec["linkage"]
        lead = producer
        if lead.kind not in (ProducerKind.COOPERATIVE, ProducerKind.ENTERPRISE):
            return product
        actions.create_linkage(None, commune, name=link["name"], lead=lead, product=product, raw_material_area=area,
                               contract_signed_on=today - dt.timedelta(days=rng.randint(300, 900)),
                               contract_ends_on=today + dt.timedelta(days=rng.randint(300, 1200)),
                               volume_tonnes_per_year=link["tonnes"],
                               household_ids=_members(commune, link["households"], rng))
        counts["linkages"] += 1
    return product


def _lots(product: Product, data: dict[str, Any], rng: random.Random, today: dt.date, counts: dict[str, int]) -> None:
    spec = next(p for p in data["products"] if p["name"] == product.name)
    area = getattr(product, "demo_area", None)
    for n in range(3):
        produced = today - dt.timedelta(days=20 + 35 * n + rng.randint(0, 10))
        size = spec["lot_size"]
        lot = actions.create_lot(None, product, code=f"L{produced:%y%m%d}-{n + 1:02d}", produced_on=produced,
                                 harvested_on=produced - dt.timedelta(days=rng.randint(0, 2)) if area else None,
                                 best_before=produced + dt.timedelta(days=365 if spec["unit"] != "kg" else 30),
                                 raw_material_area=area, quantity=size, unit=spec["unit"])
        actions.add_trace_event(None, lot, kind=EventKind.RECEIVED, occurred_on=produced - dt.timedelta(days=3),
                                party=rng.choice(data["suppliers"]), place="Phú Thọ", document=f"PN-{lot.pk:05d}")
        for k, buyer in enumerate(rng.sample(data["buyers"], 2)):
            actions.add_trace_event(None, lot, kind=EventKind.SHIPPED, occurred_on=produced + dt.timedelta(days=2 + k),
                                    party=buyer, quantity=size // 3, document=f"PX-{lot.pk:05d}-{k + 1}")
        counts["lots"] += 1


def _online_households(commune, data: dict[str, Any], rng: random.Random, today: dt.date,
                       counts: dict[str, int]) -> None:
    """Farm-household producers declaring online sales; some with their own Voso/Postmart store."""
    total = Household.objects.filter(commune=commune, dissolved_on__isnull=True).count()
    ids = list(Household.objects.filter(commune=commune, dissolved_on__isnull=True, producers__isnull=True)
               .order_by("pk").values_list("pk", flat=True))
    chosen = rng.sample(ids, min(len(ids), int(total * data["declaring_share"])))
    for hid in chosen:
        own_store = rng.random() < data["own_store_share"]
        producer = actions.create_producer(None, commune, kind=ProducerKind.HOUSEHOLD,
                                           trade_name=f"Nông sản hộ số {hid} (mẫu)",
                                           household=Household.objects.get(pk=hid),
                                           registered_on=today - dt.timedelta(days=rng.randint(100, 2000)),
                                           declares_ecommerce=not own_store)
        counts["producers"] += 1
        if own_store:
            platform = rng.choice(["voso", "postmart"])
            host = "https://voso.vn/shop/" if platform == "voso" else "https://postmart.vn/gian-hang/"
            actions.open_store(None, producer, platform=platform, name=producer.trade_name,
                               url=f"{host}ho-{commune.code}-{hid}-mau", opened_on=today - dt.timedelta(days=90))
            counts["stores"] += 1
