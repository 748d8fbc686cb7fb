"""Pages of the addressing app: a commune's addresses (coverage, bulk assignment, location
outliers, official-code import, cards per village) and a household's address (code, Plus Code,
set or correct the location by a map click or typed coordinates, card PDF).

Readers of the commune see; its officers write (others get 404 on write URLs). Writes go
through :mod:`langso.addressing.actions`.
"""

from __future__ import annotations

import math
import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from openlocationcode import openlocationcode as olc

from langso.accounts.access import get_commune_or_404, get_visible_or_404, require_write, scope_for
from langso.lib.errors import RuleViolation
from langso.payments.templatetags.payments_text import pick
from langso.registry.models import Household, Resident
from langso.territory.models import AdministrativeUnit, Village

from . import actions, clusters, codes, quality
from .card import Card, card_pdf
from .coordinates import format_dms
from .models import AddressCode, IdentifierScheme, LocationCheck, OfficialIdentifier
from .official import SCHEMES

OUTLIERS_SHOWN = 200
CARDS_PER_PDF = 500


def _commune(request: HttpRequest, code: str) -> tuple[Any, AdministrativeUnit]:
    scope = scope_for(request.user)
    return scope, get_commune_or_404(scope, code)


@login_required
def commune_addresses(request: HttpRequest, commune_code: str) -> HttpResponse:
    scope, commune = _commune(request, commune_code)
    households = Household.objects.filter(commune=commune, dissolved_on__isnull=True)
    stats = households.aggregate(
        total=Count("pk"), located=Count("pk", filter=Q(latitude__isnull=False)),
        coded=Count("address_code"),
    )
    checks = LocationCheck.objects.filter(commune=commune, household__dissolved_on__isnull=True).filter(
        quality.current_checks())
    check_stats = checks.aggregate(
        inside=Count("pk", filter=Q(inside_commune=True)), outside=Count("pk", filter=Q(inside_commune=False)),
        unknown=Count("pk", filter=Q(inside_commune__isnull=True)), far=Count("pk", filter=Q(near_village=False)),
    )
    outliers = list(quality.outliers(commune)[:OUTLIERS_SHOWN])
    villages = Village.objects.filter(commune=commune).annotate(
        coded=Count("households", filter=Q(households__address_code__isnull=False,
                                            households__dissolved_on__isnull=True)),
        printable=Count("households", filter=Q(households__address_code__isnull=False,
                                                households__dissolved_on__isnull=True,
                                                households__latitude__isnull=False))).order_by("name")
    identifiers = dict(OfficialIdentifier.objects.filter(commune=commune).values("scheme").annotate(n=Count("pk"))
                       .values_list("scheme", "n"))
    total = stats["total"] or 0

    def pct(n: int) -> float | None:
        return round(100.0 * n / total, 1) if total else None

    return render(request, "addressing/commune_addresses.html", {
        "commune": commune, "stats": stats, "check_stats": check_stats, "outliers": outliers,
        "outliers_more": len(outliers) == OUTLIERS_SHOWN, "villages": villages, "card_batches": card_batches(villages),
        "pct_coded": pct(stats["coded"]), "pct_located": pct(stats["located"]), "pct_inside": pct(check_stats["inside"]),
        "can_write": scope.can_write_commune(commune.pk), "schemes": [(s.value, s.label, SCHEMES[s.value], identifiers.get(s.value, 0))
                                                                        for s in IdentifierScheme],
        "identifiers": identifiers, "unlocated": stats["total"] - stats["located"],
        "uncoded_located": max(0, stats["located"] - stats["coded"]),
    })


@login_required
@require_POST
def assign(request: HttpRequest, commune_code: str) -> HttpResponse:
    scope, commune = _commune(request, commune_code)
    require_write(scope, commune.pk)
    report = actions.assign_codes(request.user, commune)
    actions.check_locations(request.user, commune)
    clusters.refresh_commune(commune)
    messages.success(request, pick(
        f"Đã cấp {report.issued} mã mới; {report.already} hộ đã có mã; {report.unlocated} hộ chưa có toạ độ.",
        f"Issued {report.issued} new codes; {report.already} households already had one; "
        f"{report.unlocated} households have no GPS point."))
    if report.outside_grid:
        messages.warning(request, pick(f"{len(report.outside_grid)} hộ có toạ độ ngoài lãnh thổ: cần sửa vị trí.",
                                       f"{len(report.outside_grid)} households have a point outside the country: "
                                       "correct their location."))
    return redirect("addressing:commune", commune.code)


@login_required
@require_POST
def check(request: HttpRequest, commune_code: str) -> HttpResponse:
    scope, commune = _commune(request, commune_code)
    require_write(scope, commune.pk)
    summary = actions.check_locations(request.user, commune)
    messages.success(request, pick(
        f"Đã kiểm tra {summary.checked} vị trí: {summary.outside} ngoài xã, {summary.far_from_village} xa tâm thôn.",
        f"Checked {summary.checked} points: {summary.outside} outside the commune, {summary.far_from_village} far from "
        "their village."))
    return redirect("addressing:commune", commune.code)


@login_required
@require_POST
def import_identifiers(request: HttpRequest, commune_code: str) -> HttpResponse:
    scope, commune = _commune(request, commune_code)
    require_write(scope, commune.pk)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise RuleViolation("file", "identifier.file", "Chưa chọn tệp CSV.", "No CSV file was chosen.")
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise RuleViolation("file", "identifier.encoding", "Tệp phải là CSV mã hoá UTF-8.",
                                "The file must be CSV in UTF-8.") from exc
        count = actions.import_official_identifiers(request.user, commune, text, source=upload.name)
        messages.success(request, pick(f"Đã nhập {count} mã chính thức.", f"Imported {count} official codes."))
    except RuleViolation as exc:
        messages.error(request, f"{exc.field}: " + pick(exc.vi, exc.en))
    return redirect("addressing:commune", commune.code)


def _household(request: HttpRequest, commune_code: str, household_id: int) -> tuple[Any, AdministrativeUnit, Household]:
    scope, commune = _commune(request, commune_code)
    household = get_visible_or_404(scope, Household.objects.filter(commune=commune).select_related("village", "commune"),
                                   pk=household_id)
    return scope, commune, household


def _location_context(commune: AdministrativeUnit, household: Household) -> dict[str, Any]:
    code = AddressCode.objects.filter(household=household).first()
    check = LocationCheck.objects.filter(household=household).first()
    if check is not None and (check.latitude != household.latitude or check.longitude != household.longitude):
        check = None
    plus = olc.encode(household.latitude, household.longitude) if household.has_location else ""
    short_plus = ""
    if plus and commune.centroid_lat is not None:
        short_plus = olc.shorten(plus, commune.centroid_lat, commune.centroid_lon)
    code_distance = None
    if code is not None and code.cell and household.has_location:
        code_distance = round(codes.distance_to_cell_m(code.code, household.latitude, household.longitude))
    from langso.maps.extents import commune_shapes

    shape = commune_shapes().get(commune.pk)
    return {
        "address_code": code, "check": check, "plus_code": plus, "short_plus_code": short_plus,
        "dms": format_dms(household.latitude, household.longitude) if household.has_location else "",
        "code_distance": code_distance, "official": OfficialIdentifier.objects.filter(household=household),
        "map_config": {
            "point": [household.latitude, household.longitude] if household.has_location else None,
            "village": [household.village.centre_lat, household.village.centre_lon]
            if household.village and household.village.centre_lat is not None else None,
            "boundary": shape.geometry if shape else None,
            "extent": shape.bbox if shape else None,
            "tileUrl": _tile_url(),
        },
    }


def _tile_url() -> str:
    from django.conf import settings

    return settings.LANGSO_TILE_URL


@login_required
def household_address(request: HttpRequest, commune_code: str, household_id: int) -> HttpResponse:
    scope, commune, household = _household(request, commune_code, household_id)
    head = Resident.objects.filter(household=household, relation_to_head="head", died_on__isnull=True,
                                   moved_out_on__isnull=True).values_list("full_name", flat=True).first()
    context = {"commune": commune, "household": household, "head": head,
               "can_write": scope.can_write_commune(commune.pk), **_location_context(commune, household)}
    return render(request, "addressing/household_address.html", context)


@login_required
@require_POST
def set_location(request: HttpRequest, commune_code: str, household_id: int) -> HttpResponse:
    scope, commune, household = _household(request, commune_code, household_id)
    require_write(scope, commune.pk)
    text = request.POST.get("coordinates", "")
    lat, lon = request.POST.get("latitude"), request.POST.get("longitude")
    try:
        outcome = actions.set_household_location(
            request.user, household, text=text if text.strip() else None,
            latitude=float(lat) if lat and not text.strip() else None,
            longitude=float(lon) if lon and not text.strip() else None,
            allow_outside=request.POST.get("allow_outside") == "on", issue_code=request.POST.get("issue") == "on",
            source="map" if lat and not text.strip() else "typed",
        )
    except (RuleViolation, ValueError) as exc:
        household.refresh_from_db()
        error = exc if isinstance(exc, RuleViolation) else RuleViolation(
            "coordinates", "coordinates.format", "Toạ độ phải là số.", "Coordinates must be numbers.")
        head = Resident.objects.filter(household=household, relation_to_head="head", died_on__isnull=True,
                                       moved_out_on__isnull=True).values_list("full_name", flat=True).first()
        context = {"commune": commune, "household": household, "head": head, "can_write": True, "error": error,
                   "typed": text, "offer_outside": error.rule == "location.outside_commune",
                   **_location_context(commune, household)}
        return render(request, "addressing/household_address.html", context, status=400)
    verdict = outcome.verdict
    if verdict.near_village is False:
        messages.warning(request, pick(f"Đã lưu, nhưng điểm cách tâm thôn {verdict.village_distance_m:,.0f} m.",
                                       f"Saved, but the point is {verdict.village_distance_m:,.0f} m from the village centre."))
    else:
        messages.success(request, pick("Đã lưu vị trí.", "Location saved."))
    return redirect("addressing:household", commune.code, household.pk)


@login_required
@require_POST
def issue(request: HttpRequest, commune_code: str, household_id: int) -> HttpResponse:
    scope, commune, household = _household(request, commune_code, household_id)
    require_write(scope, commune.pk)
    try:
        code = actions.issue_address_code(request.user, household)
        messages.success(request, pick(f"Mã địa chỉ: {code.display}", f"Address code: {code.display}"))
    except RuleViolation as exc:
        messages.error(request, pick(exc.vi, exc.en))
    return redirect("addressing:household", commune.code, household.pk)


def _card_for(code: AddressCode, household: Household, commune: AdministrativeUnit) -> Card:
    centre = (commune.centroid_lat, commune.centroid_lon) if commune.centroid_lat is not None else None
    return Card(
        code=code.display, lat=household.latitude, lon=household.longitude,
        village=str(household.village) if household.village else "", commune=commune.full_name,
        province=commune.province.full_name if commune.province else "",
        issued_on=timezone.localtime(code.issued_at).date(),
        commune_centre=centre,
    )


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def card(request: HttpRequest, commune_code: str, household_id: int) -> HttpResponse:
    """The A6 address card of one household (404 while it has no code or no point)."""
    _, commune, household = _household(request, commune_code, household_id)
    code = AddressCode.objects.filter(household=household).first()
    if code is None or not household.has_location:
        raise Http404("Hộ chưa có mã địa chỉ / no address code yet")
    return _pdf(card_pdf([_card_for(code, household, commune)]), f"dia-chi-{code.code}.pdf")


def card_batches(villages: Any) -> list[tuple[str, str]]:
    """``(value, label)`` choices of the card form: one per village, or one per batch of
    :data:`CARDS_PER_PDF` cards (``"<village id>-<part>"``) for a village with more printable
    (coded and located) households than one PDF holds."""
    out = []
    for village in villages:
        n = village.printable
        if n <= CARDS_PER_PDF:
            out.append((str(village.pk), f"{village} ({n})"))
            continue
        for part in range(1, math.ceil(n / CARDS_PER_PDF) + 1):
            first, last = (part - 1) * CARDS_PER_PDF + 1, min(part * CARDS_PER_PDF, n)
            out.append((f"{village.pk}-{part}", f"{village} — {first}–{last} / {n}"))
    return out


@login_required
def village_cards(request: HttpRequest, commune_code: str) -> HttpResponse:
    """Cards of the coded, located households of one village, for printing: ``?village=<id>``
    for the first :data:`CARDS_PER_PDF` (by household), ``?village=<id>-<part>`` for the next
    batches (the form lists them for a bigger village). 404 for a batch past the end."""
    scope, commune = _commune(request, commune_code)
    match = re.fullmatch(r"(\d+)(?:-(\d+))?", request.GET.get("village", ""))
    part = int(match.group(2) or 1) if match else 1
    if not match:
        village = Village.objects.filter(commune=commune).order_by("name").first()
    else:
        village = Village.objects.filter(commune=commune, pk=int(match.group(1))).first()
    if village is None or part < 1:
        raise Http404("Không tìm thấy / Not found")
    start = (part - 1) * CARDS_PER_PDF
    rows = list(
        AddressCode.objects.filter(household__commune=commune, household__village=village,
                                   household__dissolved_on__isnull=True, household__latitude__isnull=False)
        .select_related("household", "household__village").order_by("household_id")[start:start + CARDS_PER_PDF]
    )
    if not rows:
        raise Http404("Thôn chưa có hộ được cấp mã / no coded household in this village")
    commune = AdministrativeUnit.objects.select_related("province").get(pk=commune.pk)
    pdf = card_pdf([_card_for(code, code.household, commune) for code in rows])
    suffix = "" if part == 1 else f"-phan-{part}"
    return _pdf(pdf, f"dia-chi-{commune.code}-thon-{village.pk}{suffix}.pdf")


def household_address_url(commune_code: str, household_id: int) -> str:
    return reverse("addressing:household", args=[commune_code, household_id])
