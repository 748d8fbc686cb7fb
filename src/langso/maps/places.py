"""Pages where a commune's officers keep its points of interest (list, add, edit, close).

Readers of the commune (its province officers) see the list; only its officers (writers) reach
the add and edit pages — others get 404. Writes go through :mod:`langso.maps.actions`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from langso.accounts.access import get_commune_or_404, get_visible_or_404, require_write, scope_for
from langso.lib.errors import RuleViolation
from langso.payments.templatetags.payments_text import pick

from . import actions
from .models import Place, PlaceCategory


def _form_values(post: Any) -> dict[str, Any]:
    return {
        "category": post.get("category", ""), "name": post.get("name", ""), "coordinates": post.get("coordinates", ""),
        "description": post.get("description", ""), "address": post.get("address", ""),
        "contact": post.get("contact", ""), "website": post.get("website", ""), "public": post.get("public") == "on",
    }


@login_required
def place_list(request: HttpRequest, commune_code: str) -> HttpResponse:
    scope = scope_for(request.user)
    commune = get_commune_or_404(scope, commune_code)
    places = Place.objects.visible_to(scope).filter(commune=commune).select_related("category").order_by(
        "category__theme", "category__order", "name")
    return render(request, "maps/places.html", {
        "commune": commune, "places": places, "can_write": scope.can_write_commune(commune.pk),
    })


def _edit(request: HttpRequest, commune_code: str, place: Place | None) -> HttpResponse:
    scope = scope_for(request.user)
    commune = get_commune_or_404(scope, commune_code)
    require_write(scope, commune.pk)
    if place is None and request.resolver_match.kwargs.get("place_id"):
        place = get_visible_or_404(scope, Place.objects.filter(commune=commune), pk=request.resolver_match.kwargs["place_id"])
    error = None
    values: dict[str, Any] = {}
    if place is not None:
        values = {"category": place.category.key, "name": place.name, "description": place.description,
                  "address": place.address, "contact": place.contact, "website": place.website,
                  "public": place.public, "coordinates": f"{place.latitude:.6f}, {place.longitude:.6f}"}
    else:
        values = {"public": True}
    if request.method == "POST":
        values = _form_values(request.POST)
        allow_outside = request.POST.get("allow_outside") == "on"
        try:
            if request.POST.get("close") and place is not None:
                actions.close_place(request.user, place, dt.date.today())
                messages.success(request, pick("Đã đánh dấu địa điểm ngừng hoạt động.", "The place is marked closed."))
            elif place is None:
                place = actions.create_place(request.user, commune, allow_outside=allow_outside, **values)
                messages.success(request, pick(f"Đã thêm {place.name}.", f"Added {place.name}."))
            else:
                actions.update_place(request.user, place, allow_outside=allow_outside, **values)
                messages.success(request, pick(f"Đã lưu {place.name}.", f"Saved {place.name}."))
            return redirect("maps:places", commune.code)
        except RuleViolation as exc:
            error = exc
    return render(request, "maps/place_form.html", {
        "commune": commune, "place": place, "values": values, "error": error,
        "categories": PlaceCategory.objects.all(),
    }, status=400 if error else 200)


@login_required
def place_create(request: HttpRequest, commune_code: str) -> HttpResponse:
    return _edit(request, commune_code, None)


@login_required
def place_edit(request: HttpRequest, commune_code: str, place_id: int) -> HttpResponse:
    return _edit(request, commune_code, None)
