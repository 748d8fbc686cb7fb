"""Map pages and layer data.

- Officials' maps (``/c/<code>/map/``, ``/p/<code>/map/``): every layer of the catalogue, a
  layer switcher, search by address code or household, households clustered by the server.
- Public thematic maps (``/maps/<theme>/``): the public layers of one theme, for visitors on a
  phone; never a household point or a resident's name.
- Layer GeoJSON: ``/maps/public/<layer>.geojson`` (public layers only, anyone) and
  ``/maps/data/<layer>.geojson`` (any layer, signed-in officials, rows limited by their scope).
  Parameters: ``bbox=west,south,east,north`` (degrees), ``zoom`` (web-map zoom, clusters below
  16), ``limit``, ``offset``, ``province``, ``commune`` (codes), ``category``.

Access through :mod:`langso.accounts.access` only; an outsider's commune or province is a 404.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from langso.accounts.access import get_commune_or_404, get_province_or_404, scope_for
from langso.territory.models import AdministrativeUnit

from . import catalogue, search
from .catalogue import LayerQuery
from .extents import commune_shapes, province_extent
from .models import Place, PlaceCategory, Theme

DEFAULT_PROVINCE_CODE = "25"
MAX_LIMIT = 10_000
DEFAULT_LIMIT = 5000
PUBLIC_THEMES = {Theme.EDUCATION.value, Theme.HEALTH.value, Theme.TOURISM.value}


def _english() -> bool:
    return (get_language() or "vi").startswith("en")


def parse_bbox(text: str | None) -> tuple[float, float, float, float] | None:
    """``"w,s,e,n"`` → floats; ``None`` for absent. Raises ``ValueError`` on a malformed box."""
    if not text:
        return None
    parts = [float(p) for p in text.split(",")]
    if len(parts) == 6:  # a 3-D bbox (OGC API): drop the heights
        parts = [parts[0], parts[1], parts[3], parts[4]]
    if len(parts) != 4:
        raise ValueError("bbox needs 4 numbers")
    w, s, e, n = parts
    if not (-180 <= w <= 180 and -180 <= e <= 180 and -90 <= s <= n <= 90):
        raise ValueError("bbox out of range")
    return w, s, e, n


def _int(value: str | None, default: int, low: int, high: int) -> int:
    try:
        return max(low, min(high, int(value))) if value not in (None, "") else default
    except ValueError:
        return default


def layer_query(request: HttpRequest, scope: Any, public: bool) -> LayerQuery:
    """The :class:`LayerQuery` of a request's parameters. Raises ``ValueError`` on a bad bbox and
    ``Http404`` for a focus unit outside the scope (officials) or unknown."""
    bbox = parse_bbox(request.GET.get("bbox"))
    zoom = request.GET.get("zoom")
    province = commune = None
    if request.GET.get("commune"):
        if public:
            commune = AdministrativeUnit.objects.current().communes().filter(code=request.GET["commune"]).first()
            if commune is None:
                raise Http404("Không tìm thấy / Not found")
        else:
            commune = get_commune_or_404(scope, request.GET["commune"])
    elif request.GET.get("province"):
        province = AdministrativeUnit.objects.current().provinces().filter(code=request.GET["province"]).first()
        if province is None:
            raise Http404("Không tìm thấy / Not found")
    return LayerQuery(
        scope=scope, bbox=bbox, zoom=_int(zoom, 0, 0, 22) if zoom not in (None, "") else None,
        limit=_int(request.GET.get("limit"), DEFAULT_LIMIT, 1, MAX_LIMIT),
        offset=_int(request.GET.get("offset"), 0, 0, 10**9), province=province, commune=commune,
        params={k: request.GET[k] for k in ("category",) if request.GET.get(k)},
    )


def _geojson(result: catalogue.LayerResult, layer: catalogue.Layer) -> HttpResponse:
    body = {
        "type": "FeatureCollection", "features": result.features,
        "numberReturned": len(result.features), "clustered": result.clustered, "truncated": result.truncated,
        "layer": layer.key,
    }
    if result.number_matched is not None:
        body["numberMatched"] = result.number_matched
    response = HttpResponse(json.dumps(body, ensure_ascii=False, separators=(",", ":")),
                            content_type="application/geo+json")
    return response


def _serve_layer(request: HttpRequest, key: str, scope: Any, public: bool) -> HttpResponse:
    layer = catalogue.get_layer(key)
    if layer is None or (public and not layer.public):
        raise Http404("Không tìm thấy / Not found")
    try:
        query = layer_query(request, scope, public)
    except ValueError as exc:
        return JsonResponse({"error": f"Tham số không hợp lệ / invalid parameter: {exc}"}, status=400)
    return _geojson(layer.fetch(query), layer)


@require_GET
def public_layer(request: HttpRequest, key: str) -> HttpResponse:
    """GeoJSON of a public layer, for anyone."""
    response = _serve_layer(request, key, None, public=True)
    response["Cache-Control"] = "public, max-age=300"
    return response


@login_required
@require_GET
def official_layer(request: HttpRequest, layer: str) -> HttpResponse:
    """GeoJSON of any layer for a signed-in official; rows limited to the official's scope."""
    scope = scope_for(request.user)
    if scope.is_empty:
        raise Http404("Không tìm thấy / Not found")
    response = _serve_layer(request, layer, scope, public=False)
    response["Cache-Control"] = "private, no-store"
    return response


def _layer_config(layers: list[catalogue.Layer], public: bool) -> list[dict[str, Any]]:
    english = _english()
    out = []
    for layer in layers:
        name = "maps:public-layer" if public or layer.public else "maps:layer"
        out.append({
            "key": layer.key, "title": layer.title, "description": layer.description, "geometry": layer.geometry,
            "colour": layer.colour, "on": layer.default_on, "url": reverse(name, args=[layer.key]),
            "legend": [{"key": item["key"], "name": item["en" if english else "vi"], "colour": item["colour"]}
                       for item in (layer.legend() if layer.legend else [])],
            "clustered": layer.key == "households",
        })
    return out


def _labels() -> dict[str, str]:
    english = _english()
    pick = (lambda vi, en: en) if english else (lambda vi, en: vi)
    return {
        "households": pick("hộ", "households"), "open": pick("Mở trang địa chỉ", "Open the address page"),
        "code": pick("Mã địa chỉ", "Address code"), "noCode": pick("chưa cấp mã", "no code yet"),
        "truncated": pick("Quá nhiều điểm: phóng to để xem hết.", "Too many points: zoom in to see all."),
        "outside": pick("ngoài ranh giới xã", "outside the commune"), "far": pick("xa tâm thôn", "far from the village"),
        "approximate": pick("vùng gần đúng", "approximate area"), "noResults": pick("Không tìm thấy.", "Nothing found."),
        "loading": pick("Đang tải…", "Loading…"), "error": pick("Không tải được lớp", "Could not load layer"),
        "website": pick("Trang web", "Website"), "contact": pick("Liên hệ", "Contact"),
    }


def _map_config(extent: Any, layers: list[catalogue.Layer], *, public: bool, focus: dict[str, str],
                search_url: str = "") -> dict[str, Any]:
    return {
        "extent": extent, "layers": _layer_config(layers, public), "focus": focus, "searchUrl": search_url,
        "tileUrl": settings.LANGSO_TILE_URL, "tileAttribution": settings.LANGSO_TILE_ATTRIBUTION,
        "labels": _labels(), "language": get_language() or "vi", "pointZoom": 16,
    }


@login_required
def commune_map(request: HttpRequest, commune_code: str) -> HttpResponse:
    """The officials' map of one commune."""
    from langso.addressing import clusters

    scope = scope_for(request.user)
    commune = get_commune_or_404(scope, commune_code)
    clusters.ensure_fresh([commune])
    shape = commune_shapes().get(commune.pk)
    extent = shape.bbox if shape and shape.bbox else None
    if extent is None and commune.centroid_lat is not None:
        extent = (commune.centroid_lon - 0.03, commune.centroid_lat - 0.03, commune.centroid_lon + 0.03,
                  commune.centroid_lat + 0.03)
    config = _map_config(extent, catalogue.layers_for_theme("officials"), public=False,
                         focus={"commune": commune.code}, search_url=reverse("maps:search"))
    return render(request, "maps/official_map.html", {
        "unit": commune, "commune": commune, "config": config, "can_write": scope.can_write_commune(commune.pk),
    })


@login_required
def province_map(request: HttpRequest, province_code: str) -> HttpResponse:
    """The officials' map of a province (province officers)."""
    scope = scope_for(request.user)
    province = get_province_or_404(scope, province_code)
    config = _map_config(province_extent(province.pk), catalogue.layers_for_theme("officials"), public=False,
                         focus={"province": province.code}, search_url=reverse("maps:search"))
    return render(request, "maps/official_map.html", {"unit": province, "province": province, "config": config})


@login_required
@require_GET
def search_view(request: HttpRequest) -> HttpResponse:
    """JSON search for the officials' map: ``q`` (an address code, a household number or words of
    the head's name), optional ``commune``/``province`` focus. At most 20 results in scope."""
    scope = scope_for(request.user)
    if scope.is_empty:
        raise Http404("Không tìm thấy / Not found")
    commune = get_commune_or_404(scope, request.GET["commune"]) if request.GET.get("commune") else None
    province = None
    if commune is None and request.GET.get("province"):
        province = get_province_or_404(scope, request.GET["province"])
    results = search.households(scope, request.GET.get("q", ""), commune=commune, province=province)
    return JsonResponse({"results": results})


def public_map(request: HttpRequest, theme: str) -> HttpResponse:
    """A public thematic map (education, health, tourism) for visitors: places and boundaries only."""
    if theme not in PUBLIC_THEMES:
        raise Http404("Không tìm thấy / Not found")
    province_code = request.GET.get("province") or DEFAULT_PROVINCE_CODE
    province = AdministrativeUnit.objects.current().provinces().filter(code=province_code).first()
    if province is None:
        raise Http404("Không tìm thấy / Not found")
    commune = None
    if request.GET.get("commune"):
        commune = AdministrativeUnit.objects.current().communes().filter(
            code=request.GET["commune"], province=province).first()
    layers = [layer for layer in catalogue.layers_for_theme(theme)]
    places = Place.objects.open_to_public().filter(category__theme=theme, commune__province=province,
                                                   commune__valid_to__isnull=True)
    if commune is not None:
        places = places.filter(commune=commune)
    places = list(places.select_related("category", "commune").order_by("commune__name", "category__order", "name"))
    if commune is not None:
        shape = commune_shapes().get(commune.pk)
        extent = shape.bbox if shape else None
    elif places:
        lons = [p.longitude for p in places]
        lats = [p.latitude for p in places]
        extent = (min(lons) - 0.02, min(lats) - 0.02, max(lons) + 0.02, max(lats) + 0.02)
    else:
        extent = province_extent(province.pk)
    focus = {"commune": commune.code} if commune else {"province": province.code}
    config = _map_config(extent, layers, public=True, focus=focus)
    categories = PlaceCategory.objects.filter(theme=theme)
    english = _english()
    groups = []
    for category in categories:
        items = [p for p in places if p.category_id == category.pk]
        if items:
            groups.append({"category": category, "name": category.name_en if english else category.name_vi,
                           "places": items})
    titles = {
        "education": ("Bản đồ giáo dục", "Education map"), "health": ("Bản đồ y tế", "Health map"),
        "tourism": ("Bản đồ du lịch", "Tourism map"),
    }
    communes = AdministrativeUnit.objects.current().communes().filter(
        province=province, pk__in=Place.objects.open_to_public().filter(category__theme=theme).values("commune_id"))
    return render(request, "maps/public_map.html", {
        "theme": theme, "title": titles[theme][1 if english else 0], "province": province, "commune": commune,
        "config": config, "groups": groups, "count": len(places), "communes": communes,
        "themes": [(key, titles[key][1 if english else 0]) for key in ("tourism", "education", "health")],
    })
