"""Public trace pages (no login): what a buyer sees after scanning a lot's QR code.

Shows the product, its OCOP stars and certifications, the producer's trade name only (never a
household or a person), the origin commune and village, the raw-material area on a small map
(served from the platform's own Leaflet, no base map tiles: it works offline), the dates and
the chain of events one step back and one step forward (Circular 02/2024/TT-BKHCN).

Unknown lots give 404, and failed look-ups are rate-limited per client; scans of real lots are
never counted (:mod:`langso.lib.ratelimit`, docs/access.md "Rate limits").
"""

from __future__ import annotations

import json

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from langso.lib import ratelimit
from langso.payments.models import PaymentProfile

from . import geo, gs1, trace
from .models import Lot

_LOT_RELATED = ("product", "product__producer", "product__producer__village", "raw_material_area",
                "raw_material_area__village", "commune", "commune__province")


def _boundary(commune) -> dict | None:
    """The commune's outline for context, simplified to ~50 m (a small map needs no more)."""
    if not commune.boundary:
        return None
    try:
        geom = geo.parse_polygon(commune.boundary).simplify(0.0005, preserve_topology=True)
    except geo.GeometryError:
        return None
    return json.loads(geo.to_geojson(geom, decimals=5))


def _page(request: HttpRequest, lot: Lot) -> HttpResponse:
    product, producer, area = lot.product, lot.product.producer, lot.raw_material_area
    today = timezone.localdate()
    features = []
    boundary = _boundary(lot.commune)
    if boundary is not None:
        features.append({"type": "Feature", "geometry": boundary, "properties": {"kind": "commune"}})
    if area is not None:
        features.append({"type": "Feature", "geometry": json.loads(area.geometry),
                         "properties": {"name": area.name, "kind": "area"}})
    payment_url = ""
    if producer.business_id:
        profile = PaymentProfile.objects.filter(business_id=producer.business_id, active=True).first()
        if profile is not None:
            payment_url = reverse("payments:public", args=[profile.public_id])
    ocop_valid = bool(product.ocop_stars and product.ocop_expires_on and product.ocop_expires_on >= today)
    village = (area.village if area is not None and area.village_id else None) or producer.village
    response = render(request, "economy/public/trace.html", {
        "lot": lot, "product": product, "producer": producer, "area": area, "village": village,
        "commune": lot.commune, "events": lot.events.all(), "ocop_valid": ocop_valid,
        "stars": range(product.ocop_stars or 0), "features": json.dumps({"type": "FeatureCollection",
                                                                          "features": features}),
        "centre": [area.centroid_lat, area.centroid_lon] if area else None,
        "payment_url": payment_url, "uri": trace.lot_uri(lot),
    })
    response["Cache-Control"] = "public, max-age=300"
    return response


@ratelimit.limit_misses()
@require_GET
def trace_page(request: HttpRequest, public_id: str) -> HttpResponse:
    """``/t/<public_id>/``: the platform's own resolver path of a lot."""
    lot = Lot.objects.select_related(*_LOT_RELATED).filter(public_id=public_id).first()
    if lot is None:
        raise Http404("Không tìm thấy lô hàng / Lot not found")
    return _page(request, lot)


@ratelimit.limit_misses()
@require_GET
def digital_link(request: HttpRequest, gtin: str, lot_code: str) -> HttpResponse:
    """``/01/<gtin>/10/<lot>`` (GS1 Digital Link 1.4): the trace page of that GTIN's lot.
    GTIN-8/12/13 are accepted and padded to 14 digits; a wrong check digit is a 404."""
    try:
        gtin14 = gs1.normalise_gtin(gtin)
    except ValueError as exc:
        raise Http404("GTIN không hợp lệ / Invalid GTIN") from exc
    lot = Lot.objects.select_related(*_LOT_RELATED).filter(product__gtin=gtin14, code=lot_code).first()
    if lot is None:
        raise Http404("Không tìm thấy lô hàng / Lot not found")
    return _page(request, lot)
