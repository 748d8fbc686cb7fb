"""Pages of the web interface. Views stay thin: access through :mod:`langso.accounts.access`,
reads through :mod:`langso.indicators.queries` and :mod:`langso.web.households`.

Every page needs a signed-in user (anonymous → login page); every unit or record outside the
user's scope is a 404, the same answer as for one that does not exist.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_GET, require_safe

from langso.accounts.access import (
    get_commune_or_404,
    get_province_or_404,
    get_visible_or_404,
    readable_communes,
    readable_provinces,
    scope_for,
)
from langso.indicators import queries as indicator_queries
from langso.registry.models import BusinessHousehold, Household, Relation
from langso.territory.models import AdministrativeUnit, Village

from . import households as household_reads
from .context import DEFAULT_PROVINCE_CODE
from .mapdata import province_communes_geojson, unit_geometry_json
from .templatetags.langso_format import indicator_value

HOUSEHOLDS_PER_PAGE = 50
_DIGITS = re.compile(r"(\d+)")


def _natural_key(village: Village) -> list[Any]:
    """"Thôn 2" before "Thôn 10"; accents ignored (folded name)."""
    text = village.search_name or village.name.lower()
    return [int(part) if part.isdigit() else part for part in _DIGITS.split(text)]


def villages_of(commune: AdministrativeUnit) -> list[Village]:
    """The villages of a commune (already access-checked) in natural order. A commune has tens."""
    return sorted(Village.objects.filter(commune=commune), key=_natural_key)


@require_safe
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send each user to where their work is: a province officer (or superuser) to the province
    dashboard (Phú Thọ if readable, else the first readable province), a commune officer to the
    commune page, a health worker to the health station. A user with no role yet sees a page saying so."""
    scope = scope_for(request.user)
    provinces = readable_provinces(scope)
    province = provinces.filter(code=DEFAULT_PROVINCE_CODE).first() or provinces.first()
    if province is not None:
        return redirect("web:province", province_code=province.code)
    commune = readable_communes(scope).first()
    if commune is not None:
        return redirect("web:commune", commune_code=commune.code)
    if scope.health_readable:  # a health worker's work is the commune health station
        station = AdministrativeUnit.objects.current().communes().filter(pk__in=scope.health_readable).first()
        if station is not None:
            return redirect("health:home", commune_code=station.code)
    return render(request, "web/no_role.html", status=200)


def boundary_attribution(communes: list[AdministrativeUnit]) -> str:
    """The sources of the boundaries drawn, for the map's attribution line (plain text)."""
    sources = sorted(
        AdministrativeUnit.objects.filter(pk__in=[c.pk for c in communes])
        .exclude(boundary_source="")
        .order_by()  # the model's default ordering would make DISTINCT per code
        .values_list("boundary_source", flat=True)
        .distinct()
    )
    if not sources:
        return ""
    return gettext("Boundaries: %(sources)s") % {"sources": "; ".join(sources)}


def _selected_indicator(request: HttpRequest, catalogue: list[dict[str, Any]]) -> str | None:
    codes = [item["code"] for item in catalogue]
    wanted = request.GET.get("indicator")
    if wanted in codes:
        return wanted
    percent = [item["code"] for item in catalogue if item["unit"] == "percent"]
    return (percent or codes or [None])[0]


def _cell(value: float | None, unit: str) -> dict[str, str]:
    """A table cell: ``sort`` (the raw number for the browser's sorting, "" when missing) and
    ``text`` (formatted in the active language)."""
    return {"sort": "" if value is None else repr(value), "text": indicator_value(value, unit)}


#: The dashboard's default order: reporting communes first, then the others, each group by name.
DEFAULT_SORT = "reporting"


def _sort_rows(rows: list[dict[str, Any]], key: str, descending: bool) -> None:
    """Sort dashboard rows in place by ``key`` ("reporting", "name", "code" or an indicator
    code); rows with no value go last in both directions. "reporting" lists the communes that
    have indicator values first and those without ("no data") after, each group by name."""
    if key == DEFAULT_SORT:
        rows.sort(key=lambda r: (not r["reporting"], r["sort_name"]))
        return
    if key in {"name", "code"}:
        rows.sort(key=lambda r: r["sort_name"] if key == "name" else r["code"], reverse=descending)
        return
    present = [r for r in rows if r["values"].get(key) is not None]
    missing = [r for r in rows if r["values"].get(key) is None]
    present.sort(key=lambda r: r["values"][key], reverse=descending)
    rows[:] = present + missing


@require_safe
@login_required
def province_dashboard(request: HttpRequest, province_code: str) -> HttpResponse:
    """All current communes of a province with their latest indicator values: a sortable table
    (``?sort=<reporting|name|code|indicator>&dir=<asc|desc>``, also sorted in the browser), a chart and a
    choropleth map of the indicator chosen with ``?indicator=``.

    The engine stores values only for communes whose register holds households ("reporting
    communes") and the province values are sums over those: the page says how many report, the
    table lists them first by default and marks the others "no data"."""
    scope = scope_for(request.user)
    province = get_province_or_404(scope, province_code)
    communes = list(
        readable_communes(scope)
        .filter(province=province)
        .only("pk", "code", "name", "full_name", "unit_type", "search_name")
    )
    language = get_language() or "vi"
    unit_ids = [c.pk for c in communes] + [province.pk]
    period = indicator_queries.latest_period(unit_ids)
    catalogue = indicator_queries.indicator_catalogue(language)
    values = indicator_queries.values_by_unit(period, unit_ids)
    year = int(period[:4]) if period else None
    targets = indicator_queries.targets_for_year(year) if year else {}
    for item in catalogue:
        item["target"] = targets.get(item["code"])
    rows = [
        {
            "code": c.code,
            "name": c.name,
            "full_name": c.full_name,
            "type": c.get_unit_type_display(),
            "sort_name": c.search_name or c.name.lower(),
            "values": values.get(c.pk, {}),
            "reporting": bool(values.get(c.pk)),
        }
        for c in communes
    ]
    reporting = sum(1 for row in rows if row["reporting"])
    # Formatted here rather than by template filters: 148 rows × n indicators of filter calls
    # were most of the page's rendering time.
    for row in rows:
        row["cells"] = [
            _cell(row["values"].get(item["code"]), item["unit"]) for item in catalogue
        ]
    sort_key = request.GET.get("sort", DEFAULT_SORT)
    if sort_key not in {DEFAULT_SORT, "name", "code"} | {i["code"] for i in catalogue}:
        sort_key = DEFAULT_SORT
    descending = request.GET.get("dir") == "desc"
    _sort_rows(rows, sort_key, descending)
    province_values = values.get(province.pk, {})
    selected = _selected_indicator(request, catalogue)
    return render(
        request,
        "web/province_dashboard.html",
        {
            "province": province,
            "rows": rows,
            "reporting": reporting,
            "catalogue": catalogue,
            "summary": [
                {**item, "value": province_values.get(item["code"]), "met": indicator_queries.is_met(item["target"], province_values.get(item["code"]))}
                for item in catalogue
            ],
            "period": period,
            "period_label": indicator_queries.period_label(period),
            "as_of": indicator_queries.period_as_of(period, unit_ids) if period else None,
            "selected": selected,
            "boundary_source": boundary_attribution(communes),
            "sort_key": sort_key,
            "sort_desc": descending,
            "map_config": {
                "geojson": reverse("web:province-geojson", args=[province.code]),
                "indicators": [
                    {k: item[k] for k in ("code", "name", "unit", "higher_is_better", "target")}
                    for item in catalogue
                ],
                "selected": selected,
                "tileUrl": settings.LANGSO_TILE_URL or None,
                "tileAttribution": settings.LANGSO_TILE_ATTRIBUTION,
                "language": language,
                "labels": {
                    "noData": gettext("No data"),
                    "pointNote": gettext("Dots: communes whose boundary is not known yet."),
                    "target": gettext("Target"),
                    "ranked": gettext("Communes, highest value first"),
                    "metNote": gettext("{met} of {total} communes meet the target {target} ({year})."),
                    "unverified": gettext("The target awaits confirmation against the official text."),
                    "noTarget": gettext("No target is set for this indicator."),
                    "loadError": gettext("The map could not be loaded. Reload the page to try again."),
                },
            },
        },
    )


@require_GET
@login_required
def province_geojson(request: HttpRequest, province_code: str) -> HttpResponse:
    """The province's current communes as GeoJSON for the choropleth (see
    :func:`langso.web.mapdata.province_communes_geojson`). Province officers of that province and
    superusers only.

    Cacheable: a weak ETag lets the browser revalidate instead of downloading again, and the
    gzipped body (about a quarter of the size) is kept in the cache under that ETag, so the
    compression is paid once per change of boundaries or values, not per dashboard load.
    """
    scope = scope_for(request.user)
    province = get_province_or_404(scope, province_code)
    communes = readable_communes(scope).filter(province=province)
    unit_ids = list(communes.values_list("pk", flat=True))
    period = indicator_queries.latest_period(unit_ids)
    values = indicator_queries.values_by_unit(period, unit_ids)
    body = province_communes_geojson(communes, values, period).encode()
    digest = hashlib.blake2b(body, digest_size=12).hexdigest()
    etag = f'W/"{digest}"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = HttpResponse(content_type="application/geo+json")
        if "gzip" in request.headers.get("accept-encoding", "").lower():
            key = f"langso:geojson-gz:{digest}"
            compressed = cache.get(key)
            if compressed is None:
                compressed = gzip.compress(body, compresslevel=6, mtime=0)
                cache.set(key, compressed, 3600)
            response.content = compressed
            response["Content-Encoding"] = "gzip"
        else:
            response.content = body
        response["ETag"] = etag
    patch_vary_headers(response, ["Accept-Encoding"])
    # Private: the payload depends on who asks.
    patch_cache_control(response, private=True, max_age=60)
    return response


@require_safe
@login_required
def commune_detail(request: HttpRequest, commune_code: str) -> HttpResponse:
    """A commune: counts, villages with their household counts, indicators against targets."""
    scope = scope_for(request.user)
    commune = get_commune_or_404(scope, commune_code)
    village_counts = household_reads.village_household_counts(scope, commune)
    villages = [
        {"village": v, "households": village_counts.get(v.pk, 0)}
        for v in villages_of(commune)
    ]
    period = indicator_queries.latest_period([commune])
    language = get_language() or "vi"
    return render(
        request,
        "web/commune_detail.html",
        {
            "commune": commune,
            "province": commune.province,
            "can_open_province": scope.can_read_province(commune.province_id),
            "can_write": scope.can_write_commune(commune.pk),
            "counts": household_reads.commune_counts(scope, commune),
            "villages": villages,
            "no_village": village_counts.get(None, 0),
            "scorecard": indicator_queries.unit_scorecard(period, commune, language),
            "period_label": indicator_queries.period_label(period),
            "as_of": indicator_queries.period_as_of(period, [commune]) if period else None,
        },
    )


def _int_or_none(raw: str | None) -> int | None:
    try:
        return int(raw) if raw else None
    except ValueError:
        return None


@require_safe
@login_required
def household_list(request: HttpRequest, commune_code: str) -> HttpResponse:
    """A commune's households, searched with ``?q=`` (name, CCCD or village, accents optional),
    filtered with ``?village=<id>`` and paged with ``?page=``. An htmx request gets only the
    results block."""
    scope = scope_for(request.user)
    commune = get_commune_or_404(scope, commune_code)
    query = request.GET.get("q", "").strip()[:100]
    villages = villages_of(commune)
    village_id = _int_or_none(request.GET.get("village"))
    if village_id not in {v.pk for v in villages}:
        village_id = None
    results = household_reads.search_households(scope, commune, query, village_id)
    page = Paginator(results, HOUSEHOLDS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "commune": commune,
        "can_write": scope.can_write_commune(commune.pk),
        "query": query,
        "villages": villages,
        "village_id": village_id,
        "page": page,
        "rows": household_reads.page_details(scope, list(page.object_list)),
    }
    template = "web/_household_results.html" if getattr(request, "htmx", False) else "web/household_list.html"
    response = render(request, template, context)
    # The same URL answers a whole page or the results block: caches must tell them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_safe
@login_required
def household_detail(request: HttpRequest, commune_code: str, household_id: int) -> HttpResponse:
    """One household: address, village, location, members and business households. Full CCCD
    and phone numbers for the commune's editors only; readers see them masked."""
    scope = scope_for(request.user)
    commune = get_commune_or_404(scope, commune_code)
    household = get_visible_or_404(
        scope, Household.objects.select_related("village"), pk=household_id, commune=commune
    )
    members = list(household.members.order_by("died_on", "moved_out_on", "date_of_birth", "id"))
    members.sort(key=lambda m: (not m.is_living_here, m.relation_to_head != Relation.HEAD))
    businesses = list(
        BusinessHousehold.objects.visible_to(scope).filter(household=household).select_related("owner")
    )
    # The reverse one-to-one raises a subclass of AttributeError when no code was issued.
    address_code = getattr(household, "address_code", None)
    location = None
    if household.has_location:
        location = {
            "lat": household.latitude,
            "lon": household.longitude,
            "commune": json.loads(unit_geometry_json(commune)),
        }
    return render(
        request,
        "web/household_detail.html",
        {
            "commune": commune,
            "household": household,
            "members": members,
            "head": next((m for m in members if m.relation_to_head == Relation.HEAD and m.is_living_here), None),
            "businesses": businesses,
            "address_code": address_code,
            "location": location,
            "can_write": scope.can_write_commune(commune.pk),
        },
    )
