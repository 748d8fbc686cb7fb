"""Officer pages of the rural economy: the commune's registers, products, stores, lots and labels.

Thin: access through :mod:`langso.accounts.access` (outsiders get 404; province readers see the
pages but get 404 on write URLs), every write through :mod:`.actions`.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from langso.accounts.access import get_commune_or_404, get_visible_or_404, require_write, scope_for
from langso.lib.errors import RuleViolation
from langso.payments.models import PaymentProfile
from langso.registry.models import BusinessHousehold, Household
from langso.territory.models import Village

from . import actions, epcis, forms, queries, rules, trace
from .models import (
    Cooperative,
    LinkageModel,
    Listing,
    Lot,
    Producer,
    ProducerKind,
    Product,
    RawMaterialArea,
    Store,
)


def _commune(request: HttpRequest, commune_code: str, *, write: bool = False):
    scope = scope_for(request.user)
    commune = get_commune_or_404(scope, commune_code)
    if write:
        require_write(scope, commune.pk)
    return scope, commune


def _message(exc: RuleViolation) -> str:
    return f"{exc.vi} — {exc.en}"


def _form_error(form, exc: RuleViolation) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, _message(exc))


@login_required
@require_GET
def hub(request: HttpRequest, commune_code: str) -> HttpResponse:
    """The commune's rural economy: headline numbers and every register at a glance."""
    scope, commune = _commune(request, commune_code)
    today = timezone.localdate()
    products = (Product.objects.visible_to(scope).filter(commune=commune).select_related("producer")
                .annotate(n_listings=Count("listings", filter=Q(listings__withdrawn_on__isnull=True), distinct=True),
                          n_lots=Count("lots", distinct=True)))
    return render(request, "economy/hub.html", {
        "commune": commune, "today": today, "can_write": scope.can_write_commune(commune.pk),
        "s": queries.summary(commune, today), "soon": today + dt.timedelta(days=rules.ocop()["expiring_soon_days"]),
        "products": products,
        "cooperatives": Cooperative.objects.visible_to(scope).filter(commune=commune).annotate(
            n_members=Count("memberships")),
        "producers": Producer.objects.visible_to(scope).filter(commune=commune).select_related("village")[:200],
        "linkages": LinkageModel.objects.visible_to(scope).filter(commune=commune).select_related(
            "lead", "product", "raw_material_area").annotate(n_households=Count("households")),
        "areas": RawMaterialArea.objects.visible_to(scope).filter(commune=commune),
        "stores": Store.objects.visible_to(scope).filter(commune=commune).select_related("producer").annotate(
            n_listings=Count("listings", filter=Q(listings__withdrawn_on__isnull=True))),
    })


def area_features(areas) -> dict[str, Any]:
    """GeoJSON FeatureCollection (RFC 7946) of raw-material areas: name, crop, hectares,
    growing-area code, technologies. No household or person data."""
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": a.pk, "geometry": json.loads(a.geometry),
         "properties": {"name": a.name, "crop": a.crop, "area_ha": float(a.area_ha),
                        "growing_area_code": a.growing_area_code, "technologies": a.technologies,
                        "digital": a.applies_digital_technology}}
        for a in areas
    ]}


@login_required
@require_GET
def areas_geojson(request: HttpRequest, commune_code: str) -> JsonResponse:
    """The commune's raw-material areas as GeoJSON (for the map and GIS tools)."""
    scope, commune = _commune(request, commune_code)
    areas = RawMaterialArea.objects.visible_to(scope).filter(commune=commune, retired_on__isnull=True)
    return JsonResponse(area_features(areas), content_type="application/geo+json")


@login_required
@require_GET
def area_detail(request: HttpRequest, commune_code: str, area_id: int) -> HttpResponse:
    scope, commune = _commune(request, commune_code)
    area = get_visible_or_404(scope, RawMaterialArea.objects.filter(commune=commune), pk=area_id)
    return render(request, "economy/area.html", {
        "commune": commune, "area": area, "here": area.name,
        "features": json.dumps(area_features([area])), "can_write": scope.can_write_commune(commune.pk),
        "linkages": area.linkages.all(), "lots": area.lots.select_related("product")[:50],
    })


@login_required
@require_POST
def area_technologies(request: HttpRequest, commune_code: str, area_id: int) -> HttpResponse:
    """Record the digital technologies the area applies (checkboxes; unchecked = not applied)."""
    scope, commune = _commune(request, commune_code, write=True)
    area = get_visible_or_404(scope, RawMaterialArea.objects.filter(commune=commune), pk=area_id)
    actions.set_area_technologies(request.user, area, traceability="traceability" in request.POST,
                                  farming_diary="farming_diary" in request.POST, sensors="sensors" in request.POST)
    return redirect("economy:area", commune.code, area.pk)


@login_required
@require_POST
def producer_ecommerce(request: HttpRequest, commune_code: str, producer_id: int) -> HttpResponse:
    """The producer declares (``declares=1``) or withdraws its declaration of selling online."""
    scope, commune = _commune(request, commune_code, write=True)
    producer = get_visible_or_404(scope, Producer.objects.filter(commune=commune), pk=producer_id)
    actions.set_declares_ecommerce(request.user, producer, request.POST.get("declares") == "1")
    return redirect("economy:hub", commune.code)


@login_required
@require_POST
def store_close(request: HttpRequest, commune_code: str, store_id: int) -> HttpResponse:
    """Close a store today (its open listings are withdrawn)."""
    scope, commune = _commune(request, commune_code, write=True)
    store = get_visible_or_404(scope, Store.objects.filter(commune=commune, closed_on__isnull=True), pk=store_id)
    actions.close_store(request.user, store, timezone.localdate())
    messages.success(request, "Đã đóng gian hàng — Store closed.")
    return redirect("economy:hub", commune.code)


def _setup_form(kind: str, commune: Any, data=None, files=None):
    cls = {"cooperative": forms.CooperativeForm, "producer": forms.ProducerForm, "area": forms.AreaForm,
           "product": forms.ProductForm, "linkage": forms.LinkageForm, "store": forms.StoreForm}[kind]
    form = cls(data, files)
    villages = Village.objects.filter(commune=commune)
    producers = Producer.objects.filter(commune=commune, closed_on__isnull=True)
    choices = {
        "village": villages,
        "business": BusinessHousehold.objects.filter(commune=commune, closed_on__isnull=True),
        "cooperative": Cooperative.objects.filter(commune=commune, dissolved_on__isnull=True),
        "producer": producers,
        "lead": producers.filter(kind__in=[ProducerKind.COOPERATIVE, ProducerKind.ENTERPRISE]),
        "product": Product.objects.filter(commune=commune, withdrawn_on__isnull=True),
        "raw_material_area": RawMaterialArea.objects.filter(commune=commune, retired_on__isnull=True),
    }
    for name, qs in choices.items():
        if name in form.fields and hasattr(form.fields[name], "queryset"):
            form.fields[name].queryset = qs
    return form


def _household(commune: Any, pk: int | None) -> Household | None:
    if pk is None:
        return None
    household = Household.objects.filter(commune=commune, pk=pk).first()
    if household is None:
        raise RuleViolation("household", "economy.producer.household", "Không có hộ này trong xã.",
                            "No such household in the commune.")
    return household


def _run(kind: str, user: Any, commune: Any, d: dict[str, Any]) -> Any:
    if kind == "cooperative":
        return actions.create_cooperative(user, commune, kind=d["kind"], name=d["name"],
                                          registered_on=d["registered_on"], sector=d["sector"],
                                          registration_number=d["registration_number"],
                                          member_household_ids=forms.id_list(d["members"]))
    if kind == "producer":
        return actions.create_producer(user, commune, kind=d["kind"], trade_name=d["trade_name"],
                                       registered_on=d["registered_on"], household=_household(commune, d["household"]),
                                       business=d["business"], cooperative=d["cooperative"], tax_code=d["tax_code"],
                                       village=d["village"], declares_ecommerce=d["declares_ecommerce"])
    if kind == "area":
        return actions.create_raw_material_area(
            user, commune, name=d["name"], crop=d["crop"], geometry=d["geometry"], created_on=d["created_on"],
            growing_area_code=d["growing_area_code"], village=d["village"], uses_traceability=d["uses_traceability"],
            uses_farming_diary=d["uses_farming_diary"], uses_sensors=d["uses_sensors"])
    if kind == "product":
        return actions.create_product(user, d["producer"], name=d["name"], group=d["group"],
                                      created_on=d["created_on"], gtin=d["gtin"], is_key_product=d["is_key_product"],
                                      vietgap=d["vietgap"], organic=d["organic"])
    if kind == "linkage":
        return actions.create_linkage(user, commune, name=d["name"], lead=d["lead"], product=d["product"],
                                      raw_material_area=d["raw_material_area"],
                                      contract_signed_on=d["contract_signed_on"],
                                      contract_ends_on=d["contract_ends_on"],
                                      volume_tonnes_per_year=d["volume_tonnes_per_year"],
                                      household_ids=forms.id_list(d["households"]))
    return actions.open_store(user, d["producer"], platform=d["platform"], name=d["name"], url=d["url"],
                              opened_on=d["opened_on"])


TITLES = {
    "cooperative": ("Đăng ký hợp tác xã, tổ hợp tác", "Register a cooperative or group"),
    "producer": ("Thêm chủ thể sản xuất", "Add a producer"),
    "area": ("Thêm vùng nguyên liệu", "Add a raw-material area"),
    "product": ("Thêm sản phẩm", "Add a product"),
    "linkage": ("Thêm mô hình liên kết", "Add a linkage model"),
    "store": ("Thêm gian hàng thương mại điện tử", "Add an e-commerce store"),
}


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest, commune_code: str, kind: str) -> HttpResponse:
    """One form per register (``kind``); on success back to the hub (or the new product)."""
    scope, commune = _commune(request, commune_code, write=True)
    form = _setup_form(kind, commune, request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            obj = _run(kind, request.user, commune, form.cleaned_data)
        except RuleViolation as exc:
            _form_error(form, exc)
        except forms.forms.ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Đã lưu — Saved.")
            if kind == "product":
                return redirect("economy:product", commune.code, obj.pk)
            if kind == "area":
                return redirect("economy:area", commune.code, obj.pk)
            return redirect("economy:hub", commune.code)
    vi, en = TITLES[kind]
    return render(request, "economy/form.html", {"commune": commune, "form": form, "kind": kind,
                                                  "title_vi": vi, "title_en": en, "here": vi})


@login_required
@require_POST
def cooperative_status(request: HttpRequest, commune_code: str, cooperative_id: int) -> HttpResponse:
    scope, commune = _commune(request, commune_code, write=True)
    coop = get_visible_or_404(scope, Cooperative.objects.filter(commune=commune), pk=cooperative_id)
    form = forms.StatusForm(request.POST)
    if form.is_valid():
        actions.set_cooperative_status(request.user, coop, status=form.cleaned_data["status"],
                                       on=form.cleaned_data["on"])
    else:
        messages.error(request, "Dữ liệu không hợp lệ — Invalid data.")
    return redirect("economy:hub", commune.code)


def _product(request: HttpRequest, commune_code: str, product_id: int, *, write: bool = False):
    scope, commune = _commune(request, commune_code, write=write)
    product = get_visible_or_404(scope, Product.objects.filter(commune=commune).select_related("producer"),
                                 pk=product_id)
    return scope, commune, product


def _product_page(request, scope, commune, product, *, ocop_form=None, listing_form=None, lot_form=None,
                  status: int = 200) -> HttpResponse:
    today = timezone.localdate()
    can_write = scope.can_write_commune(commune.pk)
    listing_form = listing_form or forms.ListingForm(initial={"listed_on": today})
    listing_form.fields["store"].queryset = Store.objects.filter(commune=commune, closed_on__isnull=True)
    lot_form = lot_form or forms.LotForm(initial={"produced_on": today, "unit": "kg"})
    lot_form.fields["raw_material_area"].queryset = RawMaterialArea.objects.filter(commune=commune)
    profile = None
    if product.producer.business_id:
        profile = PaymentProfile.objects.filter(business_id=product.producer.business_id).first()
    return render(request, "economy/product.html", {
        "commune": commune, "product": product, "here": product.name, "can_write": can_write, "today": today,
        "expiring": product.expiring_soon(today),
        "listings": product.listings.select_related("store").order_by("withdrawn_on", "-listed_on"),
        "lots": product.lots.all()[:100], "payment_profile": profile,
        "ocop_form": ocop_form or forms.OcopForm(initial={"certified_on": today}),
        "listing_form": listing_form, "lot_form": lot_form,
    }, status=status)


@login_required
@require_GET
def product_detail(request: HttpRequest, commune_code: str, product_id: int) -> HttpResponse:
    scope, commune, product = _product(request, commune_code, product_id)
    return _product_page(request, scope, commune, product)


@login_required
@require_POST
def product_ocop(request: HttpRequest, commune_code: str, product_id: int) -> HttpResponse:
    scope, commune, product = _product(request, commune_code, product_id, write=True)
    form = forms.OcopForm(request.POST)
    if form.is_valid():
        try:
            actions.certify_ocop(request.user, product, score=form.cleaned_data["score"],
                                 certificate_number=form.cleaned_data["certificate_number"],
                                 certified_on=form.cleaned_data["certified_on"])
        except RuleViolation as exc:
            _form_error(form, exc)
        else:
            return redirect("economy:product", commune.code, product.pk)
    return _product_page(request, scope, commune, product, ocop_form=form, status=400)


@login_required
@require_POST
def product_listing(request: HttpRequest, commune_code: str, product_id: int) -> HttpResponse:
    scope, commune, product = _product(request, commune_code, product_id, write=True)
    form = forms.ListingForm(request.POST)
    form.fields["store"].queryset = Store.objects.filter(commune=commune, closed_on__isnull=True)
    if form.is_valid():
        d = form.cleaned_data
        try:
            actions.list_product(request.user, d["store"], product, price_vnd=d["price_vnd"], listed_on=d["listed_on"],
                                 url=d["url"])
        except RuleViolation as exc:
            _form_error(form, exc)
        else:
            return redirect("economy:product", commune.code, product.pk)
    return _product_page(request, scope, commune, product, listing_form=form, status=400)


@login_required
@require_POST
def product_lot(request: HttpRequest, commune_code: str, product_id: int) -> HttpResponse:
    scope, commune, product = _product(request, commune_code, product_id, write=True)
    form = forms.LotForm(request.POST)
    form.fields["raw_material_area"].queryset = RawMaterialArea.objects.filter(commune=commune)
    if form.is_valid():
        d = form.cleaned_data
        try:
            lot = actions.create_lot(request.user, product, code=d["code"], produced_on=d["produced_on"],
                                     harvested_on=d["harvested_on"], best_before=d["best_before"],
                                     raw_material_area=d["raw_material_area"], quantity=d["quantity"],
                                     unit=d["unit"])
        except RuleViolation as exc:
            _form_error(form, exc)
        else:
            return redirect("economy:lot", commune.code, lot.pk)
    return _product_page(request, scope, commune, product, lot_form=form, status=400)


def _lot(request: HttpRequest, commune_code: str, lot_id: int, *, write: bool = False):
    scope, commune = _commune(request, commune_code, write=write)
    lot = get_visible_or_404(scope, Lot.objects.filter(commune=commune).select_related(
        "product", "product__producer", "raw_material_area"), pk=lot_id)
    return scope, commune, lot


def _lot_page(request, scope, commune, lot, *, event_form=None, status: int = 200) -> HttpResponse:
    uri = trace.lot_uri(lot)
    return render(request, "economy/lot.html", {
        "commune": commune, "lot": lot, "product": lot.product, "here": lot.code, "uri": uri,
        "qr": trace.qr_svg(uri), "events": lot.events.all(), "can_write": scope.can_write_commune(commune.pk),
        "event_form": event_form or forms.EventForm(initial={"occurred_on": timezone.localdate()}),
        "trace_path": reverse("economy:trace", args=[lot.public_id]),
    }, status=status)


@login_required
@require_GET
def lot_detail(request: HttpRequest, commune_code: str, lot_id: int) -> HttpResponse:
    scope, commune, lot = _lot(request, commune_code, lot_id)
    return _lot_page(request, scope, commune, lot)


@login_required
@require_POST
def lot_event(request: HttpRequest, commune_code: str, lot_id: int) -> HttpResponse:
    scope, commune, lot = _lot(request, commune_code, lot_id, write=True)
    form = forms.EventForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            actions.add_trace_event(request.user, lot, kind=d["kind"], occurred_on=d["occurred_on"], party=d["party"],
                                    place=d["place"], quantity=d["quantity"], document=d["document"])
        except RuleViolation as exc:
            _form_error(form, exc)
        else:
            return redirect("economy:lot", commune.code, lot.pk)
    return _lot_page(request, scope, commune, lot, event_form=form, status=400)


@login_required
@require_GET
def lot_epcis(request: HttpRequest, commune_code: str, lot_id: int) -> JsonResponse:
    """The lot's events as an EPCIS 2.0 JSON-LD document (:mod:`langso.economy.epcis`)."""
    scope, commune, lot = _lot(request, commune_code, lot_id)
    response = JsonResponse(epcis.document(lot, timezone.now()), content_type="application/ld+json",
                            json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = f'inline; filename="epcis-{lot.code}.jsonld"'
    return response


@login_required
@require_GET
def lot_labels(request: HttpRequest, commune_code: str, lot_id: int) -> HttpResponse:
    """A4 label sheets of the lot (``?n=`` labels, default one sheet of 24)."""
    scope, commune, lot = _lot(request, commune_code, lot_id)
    try:
        count = int(request.GET.get("n", trace.COLUMNS * trace.ROWS))
    except ValueError:
        count = trace.COLUMNS * trace.ROWS
    response = HttpResponse(trace.label_sheet(lot, count), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="tem-{lot.code}.pdf"'
    return response
