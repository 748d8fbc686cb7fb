"""Map layers of the addressing app, for signed-in officials only (never public): households
(clustered when zoomed out, see :mod:`langso.addressing.clusters`) and location outliers.

Features carry the household id, its address code and the link to its address page; never a
name, an address line or anything about its members.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse

from langso.maps.catalogue import Layer, LayerQuery, LayerResult
from langso.maps.extents import commune_shapes, communes_touching
from langso.registry.models import Household

from . import clusters
from .models import LocationCheck
from .quality import current_checks


def _scoped_communes(q: LayerQuery) -> list[int] | None:
    """Commune ids the reader may see, within the focus and touching the viewport; ``None``
    means "no restriction" (a superuser with no focus and no viewport)."""
    scope = q.scope
    if scope is None or scope.is_empty:
        return []
    among: set[int] | None = None if scope.everything else set(scope.readable)
    if q.commune is not None:
        among = {q.commune.pk} if among is None or q.commune.pk in among else set()
    elif q.province is not None:
        province_ids = {pk for pk, s in commune_shapes().items() if s.province_id == q.province.pk}
        among = province_ids if among is None else among & province_ids
    if among is None and q.bbox is None:
        return None
    return communes_touching(q.bbox, among)


def _commune_codes(ids: set[int]) -> dict[int, str]:
    codes = {pk: s.code for pk, s in commune_shapes().items() if pk in ids}
    missing = ids - set(codes)
    if missing:  # a commune that ended since the shapes were cached
        from langso.territory.models import AdministrativeUnit

        codes.update(AdministrativeUnit.objects.filter(pk__in=missing).values_list("pk", "code"))
    return codes


def _urls(commune_codes: dict[int, str], commune_id: int, household_id: int) -> str:
    return reverse("addressing:household", args=[commune_codes[commune_id], household_id])


def _households(q: LayerQuery) -> LayerResult:
    communes = _scoped_communes(q)
    if communes == []:
        return LayerResult([], number_matched=0)
    resolution = clusters.resolution_for_zoom(q.zoom) if q.zoom is not None else None
    if resolution is not None and q.bbox is not None:
        bbox = clusters.Bbox(*q.bbox)
        cells = clusters.clusters_in(communes, bbox, resolution)
        features = [
            {"type": "Feature", "id": c["cell"], "geometry": {"type": "Point", "coordinates": [c["lon"], c["lat"]]},
             "properties": {"kind": "cluster", "count": c["count"], "cell": c["cell"], "resolution": resolution}}
            for c in cells
        ]
        return LayerResult(features, number_matched=len(features), clustered=True)
    qs = Household.objects.filter(dissolved_on__isnull=True, latitude__isnull=False, longitude__isnull=False)
    if communes is not None:
        qs = qs.filter(commune_id__in=communes)
    if q.bbox is not None:
        w, s, e, n = q.bbox
        qs = qs.filter(latitude__gte=s, latitude__lte=n, longitude__gte=w, longitude__lte=e)
    limit = min(q.limit, clusters.POINT_LIMIT)
    rows = list(
        qs.order_by("pk").values_list("pk", "commune_id", "latitude", "longitude", "address_code__code")
        [q.offset:q.offset + limit + 1]
    )
    truncated = len(rows) > limit
    codes = _commune_codes({r[1] for r in rows})
    features = [
        {"type": "Feature", "id": pk, "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
         "properties": {"kind": "household", "code": code or "", "url": _urls(codes, cid, pk)}}
        for pk, cid, lat, lon, code in rows[:limit]
    ]
    return LayerResult(features, number_matched=None, truncated=truncated)


def _outliers(q: LayerQuery) -> LayerResult:
    communes = _scoped_communes(q)
    if communes == []:
        return LayerResult([], number_matched=0)
    qs = LocationCheck.objects.filter(household__dissolved_on__isnull=True).filter(current_checks())
    qs = qs.filter(Q(inside_commune=False) | Q(near_village=False))
    if communes is not None:
        qs = qs.filter(commune_id__in=communes)
    if q.bbox is not None:
        w, s, e, n = q.bbox
        qs = qs.filter(latitude__gte=s, latitude__lte=n, longitude__gte=w, longitude__lte=e)
    rows = list(qs.order_by("pk").values_list(
        "household_id", "commune_id", "latitude", "longitude", "inside_commune", "outside_by_m", "village_distance_m",
    )[q.offset:q.offset + q.limit])
    codes = _commune_codes({r[1] for r in rows})
    features: list[dict[str, Any]] = [
        {"type": "Feature", "id": pk, "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
         "properties": {"kind": "outlier", "inside_commune": inside, "outside_by_m": out, "village_distance_m": vd,
                        "url": _urls(codes, cid, pk)}}
        for pk, cid, lat, lon, inside, out, vd in rows
    ]
    return LayerResult(features, number_matched=len(features))


LAYERS = [
    Layer(
        "households", "Hộ gia đình (cán bộ)", "Households (officials)",
        "Vị trí GPS của hộ; khi thu nhỏ bản đồ, các hộ được gộp theo ô lục giác H3.",
        "Households' GPS points; zoomed out they are counted per H3 hexagon.",
        "point", False, ("officials",), _households, colour="#0f766e", order=10,
        source="Sổ hộ của xã / commune household register",
    ),
    Layer(
        "location_outliers", "Vị trí cần kiểm tra", "Locations to check",
        "Hộ có toạ độ ngoài ranh giới xã hoặc xa tâm thôn.",
        "Households whose point is outside the commune or far from the village centre.",
        "point", False, ("officials",), _outliers, colour="#dc2626", order=11, default_on=False,
        source="Kiểm tra vị trí / location checks",
    ),
]
