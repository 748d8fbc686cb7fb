"""Payment QR pages. Views stay thin: access through :mod:`langso.accounts.access`, writes through
:mod:`.actions`, payloads from :mod:`.vietqr`, drawings from :mod:`.render` and :mod:`.standee`.

Officers' pages (``/c/<commune>/businesses/…``) need a signed-in user whose scope reads the
commune; anything outside it is a 404, as everywhere. The public pages (``/b/<public_id>/``) need
no login and show only what a business displays at its door: trade name, sector, village and
commune, location, bank and QR — no owner, holder name, address or account number in text.
Failed look-ups of a public id are rate-limited per client (:mod:`langso.lib.ratelimit`).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from langso.accounts.access import get_commune_or_404, get_visible_or_404, require_write, scope_for
from langso.lib import ratelimit
from langso.lib.errors import RuleViolation
from langso.lib.vietnamese import fold
from langso.registry.models import BusinessHousehold
from langso.territory.models import AdministrativeUnit, Village

from . import actions, render as qr_render, vietqr
from .banks import bank_choices, get_bank
from .forms import parse_amount
from .models import AccountKind, PaymentProfile
from .standee import LAYOUTS, Standee, standee_pdf
from .templatetags.payments_text import pick

LIST_PAGE_SIZE = 100


# --- lookups ----------------------------------------------------------------------------------

def _business(request: HttpRequest, commune_code: str, business_id: int) -> tuple[Any, AdministrativeUnit, BusinessHousehold]:
    scope = scope_for(request.user)
    commune = get_commune_or_404(scope, commune_code)
    business = get_visible_or_404(
        scope, BusinessHousehold.objects.filter(commune=commune).select_related("household__village", "owner"),
        pk=business_id,
    )
    return scope, commune, business


def _profile(business: BusinessHousehold) -> PaymentProfile | None:
    return PaymentProfile.objects.filter(business=business).first()


def _public_profile(public_id: str) -> PaymentProfile:
    """The active profile with ``public_id`` of an open business of a current commune, or 404."""
    profile = (
        PaymentProfile.objects.filter(public_id=public_id, active=True, business__closed_on__isnull=True,
                                      commune__valid_to__isnull=True)
        .select_related("business__household__village", "commune__province")
        .first()
    )
    if profile is None:
        raise Http404("Không tìm thấy / Not found")
    return profile


def _payload_or_none(profile: PaymentProfile | None) -> tuple[str, RuleViolation | None]:
    if profile is None:
        return "", None
    try:
        return profile.qr_payload(), None
    except RuleViolation as exc:  # a row written outside the actions with values the codec refuses
        return "", exc


def _file_name(business: BusinessHousehold, suffix: str) -> str:
    slug = slugify(fold(business.trade_name)) or f"business-{business.pk}"
    return f"vietqr-{slug[:60]}{suffix}"


def _download(body: bytes | str, content_type: str, filename: str, inline: bool = False) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _standee(profile: PaymentProfile, business: BusinessHousehold, commune: AdministrativeUnit) -> Standee:
    bank = get_bank(profile.bank_bin)
    province = commune.province.full_name if commune.province_id else ""
    return Standee(
        trade_name=business.trade_name, commune=commune.full_name, province=province,
        bank_short_name=bank.short_name if bank else profile.bank_bin, account_holder=profile.account_holder,
        account_number=profile.account_number, is_card=profile.is_card, payload=profile.qr_payload(),
    )


def _error_text(exc: RuleViolation) -> str:
    return pick(exc.vi, exc.en)


# --- a business's QR page ------------------------------------------------------------------

@require_GET
@login_required
def business_qr(request: HttpRequest, commune_code: str, business_id: int) -> HttpResponse:
    """The business's payment profile and static VietQR code, with downloads (SVG, PNG, standee
    A5/A6), the cashier and the public page."""
    scope, commune, business = _business(request, commune_code, business_id)
    profile = _profile(business)
    payload, problem = _payload_or_none(profile)
    return render(request, "payments/business_qr.html", {
        "commune": commune, "business": business, "profile": profile,
        "bank": get_bank(profile.bank_bin) if profile else None, "payload": payload, "problem": problem,
        # A withdrawn code is not drawn: nobody should print it again.
        "qr_svg": qr_render.svg(payload, fluid=True, title="VietQR", css_class="qr") if payload and profile.active else "",
        "can_write": scope.can_write_commune(commune.pk),
    })


@login_required
def profile_edit(request: HttpRequest, commune_code: str, business_id: int) -> HttpResponse:
    """Form to set (or withdraw, ``action=deactivate``) the business's payment profile.
    Editors of the commune only; a reader gets 404. Errors re-render the form with status 400."""
    scope, commune, business = _business(request, commune_code, business_id)
    require_write(scope, commune.pk)
    profile = _profile(business)
    values = {
        "bank_bin": profile.bank_bin if profile else "",
        "account_kind": profile.account_kind if profile else AccountKind.ACCOUNT,
        "account_number": profile.account_number if profile else "",
        "account_holder": profile.account_holder if profile else actions.holder_name(business.owner.full_name),
    }
    error: RuleViolation | None = None
    if request.method == "POST":
        if request.POST.get("action") == "deactivate":
            if profile is not None:
                actions.deactivate_payment_profile(request.user, profile)
                messages.success(request, pick("Đã thu hồi mã QR thanh toán.", "The payment QR code was withdrawn."))
            return redirect("payments:business-qr", commune_code=commune.code, business_id=business.pk)
        values = {name: request.POST.get(name, "") for name in values}
        try:
            actions.set_payment_profile(request.user, business, **values)
        except RuleViolation as exc:
            error = exc
        else:
            messages.success(request, pick("Đã lưu tài khoản nhận thanh toán và mã QR.",
                                           "The payment account and QR code were saved."))
            return redirect("payments:business-qr", commune_code=commune.code, business_id=business.pk)
    elif request.method != "GET":
        return HttpResponse(status=405)
    return render(request, "payments/profile_form.html", {
        "commune": commune, "business": business, "profile": profile, "values": values,
        "banks": bank_choices(), "kinds": AccountKind.choices,
        "error": error, "error_text": _error_text(error) if error else "",
    }, status=400 if error else 200)


# --- cashier ----------------------------------------------------------------------------------

def _cashier_context(request: HttpRequest, profile: PaymentProfile | None) -> dict[str, Any]:
    """Read ``amount`` and ``note`` from the query string and build the dynamic code, or the
    error naming the form field (``amount`` or ``note``)."""
    context: dict[str, Any] = {"amount_text": request.GET.get("amount", ""), "note": request.GET.get("note", ""),
                               "submitted": "amount" in request.GET}
    if not context["submitted"] or profile is None:
        return context
    field_of = {"54": "amount", "62.08": "note"}
    try:
        amount = parse_amount(context["amount_text"])
        qr = vietqr.VietQR(bin=profile.bank_bin, account=profile.account_number, service=profile.account_kind,
                           dynamic=True, amount=amount, purpose=context["note"])
        payload = vietqr.encode(qr)
    except RuleViolation as exc:
        context.update(error_field=field_of.get(exc.field, exc.field), error_text=_error_text(exc))
        return context
    context.update(amount=amount, payload=payload, folded_note=vietqr.decode(payload).purpose,
                   qr_svg=qr_render.svg(payload, fluid=True, title="VietQR", css_class="qr"))
    return context


def _render_cashier(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    status = 400 if context.get("error_text") and not request.htmx else 200
    if request.htmx:
        return render(request, "payments/_cashier_result.html", context)
    return render(request, "payments/cashier.html", context, status=status)


@require_GET
@login_required
def cashier(request: HttpRequest, commune_code: str, business_id: int) -> HttpResponse:
    """A dynamic VietQR code for an amount (integer VND) and a note (≤25 characters once folded),
    made on the fly and never stored. With htmx only the result fragment is returned."""
    _, commune, business = _business(request, commune_code, business_id)
    profile = _profile(business)
    context = {"commune": commune, "business": business, "profile": profile if profile and profile.active else None,
               "public": False}
    context.update(_cashier_context(request, context["profile"]))
    return _render_cashier(request, context)


# --- downloads ------------------------------------------------------------------------------

def _active_profile_or_404(business: BusinessHousehold) -> PaymentProfile:
    profile = _profile(business)
    if profile is None or not profile.active:
        raise Http404("Chưa có mã QR / No QR code")
    return profile


@require_GET
@login_required
def qr_svg(request: HttpRequest, commune_code: str, business_id: int) -> HttpResponse:
    """The static code as an SVG file (8 units per module, for print shops and designers)."""
    _, _, business = _business(request, commune_code, business_id)
    payload = _active_profile_or_404(business).qr_payload()
    return _download(qr_render.svg(payload, title="VietQR"), "image/svg+xml", _file_name(business, ".svg"))


@require_GET
@login_required
def qr_png(request: HttpRequest, commune_code: str, business_id: int) -> HttpResponse:
    """The static code as a PNG file (12 px per module: ~540 px for a version-5 code)."""
    _, _, business = _business(request, commune_code, business_id)
    payload = _active_profile_or_404(business).qr_payload()
    return _download(qr_render.png(payload, scale=12), "image/png", _file_name(business, ".png"))


@require_GET
@login_required
def standee(request: HttpRequest, commune_code: str, business_id: int, size: str) -> HttpResponse:
    """The business's standee as a one-page PDF of ``size`` (A5 or A6)."""
    _, commune, business = _business(request, commune_code, business_id)
    profile = _active_profile_or_404(business)
    body = standee_pdf([_standee(profile, business, commune)], size)
    return _download(body, "application/pdf", _file_name(business, f"-{size.lower()}.pdf"), inline=True)


# --- the commune's QR codes -----------------------------------------------------------------

def _open_businesses(commune: AdministrativeUnit):
    return BusinessHousehold.objects.filter(commune=commune, closed_on__isnull=True)


@require_GET
@login_required
def commune_qr(request: HttpRequest, commune_code: str) -> HttpResponse:
    """The commune's open business households with or without an active payment QR, coverage
    counts, and the bulk standee downloads. ``?missing=1`` lists only those without one."""
    scope = scope_for(request.user)
    commune = get_commune_or_404(scope, commune_code)
    has_qr = Exists(PaymentProfile.objects.filter(business=OuterRef("pk"), active=True))
    businesses = _open_businesses(commune).annotate(has_qr=has_qr)
    total = businesses.count()
    with_qr = businesses.filter(has_qr=True).count()
    missing_only = request.GET.get("missing") == "1"
    rows = businesses.filter(has_qr=False) if missing_only else businesses
    rows = rows.select_related("household__village").order_by("household__village__name", "trade_name", "pk")
    villages = Village.objects.filter(commune=commune).order_by("name").only("pk", "name")
    return render(request, "payments/commune_qr.html", {
        "commune": commune, "total": total, "with_qr": with_qr, "villages": villages,
        "coverage": (100.0 * with_qr / total) if total else None,
        "rows": rows[:LIST_PAGE_SIZE], "shown_limit": LIST_PAGE_SIZE, "row_count": rows.count(),
        "missing_only": missing_only, "sizes": list(LAYOUTS),
    })


@require_GET
@login_required
def commune_standees(request: HttpRequest, commune_code: str, size: str) -> HttpResponse:
    """One PDF with a standee page of ``size`` for every open business household of the commune
    that has an active payment QR, ordered by village then trade name (the order an officer
    walks the villages to hand them out); ``?village=<id>`` prints one village. 404 when there
    is none. Measured: ~12 ms a page (500 A6 standees in ~6 s, 1.4 MB)."""
    scope = scope_for(request.user)
    commune = get_commune_or_404(scope, commune_code)
    profiles = (
        PaymentProfile.objects.visible_to(scope)
        .filter(commune=commune, active=True, business__closed_on__isnull=True)
        .select_related("business__household__village", "commune__province")
        .order_by("business__household__village__name", "business__trade_name", "pk")
    )
    village = request.GET.get("village", "")
    if village.isdigit():
        profiles = profiles.filter(business__household__village_id=int(village))
    items = []
    for profile in profiles:
        try:
            items.append(_standee(profile, profile.business, commune))
        except RuleViolation:
            continue  # a row the codec refuses is listed as a problem on its own page, not printed
    if not items:
        raise Http404("Chưa có mã QR nào / No QR code yet")
    return _download(standee_pdf(items, size), "application/pdf", f"vietqr-{commune.code}-{size.lower()}.pdf",
                     inline=True)


# --- public pages ---------------------------------------------------------------------------

@ratelimit.limit_misses()
@require_GET
def public_page(request: HttpRequest, public_id: str) -> HttpResponse:
    """A business's public page: trade name, sector, village and commune, location, bank and the
    static QR. No login; 404 for a withdrawn code or a closed business."""
    profile = _public_profile(public_id)
    business = profile.business
    village = business.household.village if business.household_id else None
    payload = profile.qr_payload()
    bank = get_bank(profile.bank_bin)
    return render(request, "payments/public.html", {
        "profile": profile, "business": business, "commune": profile.commune, "village": village,
        "bank": bank, "qr_svg": qr_render.svg(payload, fluid=True, title="VietQR", css_class="qr"),
        "has_location": business.latitude is not None and business.longitude is not None,
    })


@ratelimit.limit_misses()
@require_GET
def public_qr_png(request: HttpRequest, public_id: str) -> HttpResponse:
    """The public static code as PNG (to share in a chat or print at home)."""
    profile = _public_profile(public_id)
    return _download(qr_render.png(profile.qr_payload(), scale=12), "image/png",
                     _file_name(profile.business, ".png"))


@ratelimit.limit_misses()
@require_GET
def public_cashier(request: HttpRequest, public_id: str) -> HttpResponse:
    """The cashier for the business's own phone at the counter (a household business has no
    login): the same dynamic code as :func:`cashier`, reachable from the public page. It gives
    nobody more than the static code already does; it is kept out of search engines."""
    profile = _public_profile(public_id)
    context = {"commune": profile.commune, "business": profile.business, "profile": profile, "public": True}
    context.update(_cashier_context(request, profile))
    response = _render_cashier(request, context)
    response["X-Robots-Tag"] = "noindex"
    return response

