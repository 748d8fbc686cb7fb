"""Map layer of the economy app (see :mod:`langso.maps.catalogue`): raw-material areas, for
signed-in officials (their scope decides the communes). Features carry the area's name, crop,
hectares, growing-area code and digital technologies, and the link to its page — nothing about
the households farming it.
"""

from __future__ import annotations

import json
from typing import Any

from django.urls import reverse
from shapely.geometry import box

from langso.maps.catalogue import Layer, LayerQuery, LayerResult

from . import geo
from .models import RawMaterialArea


def _areas(q: LayerQuery) -> LayerResult:
    scope = q.scope
    if scope is None or scope.is_empty:
        return LayerResult([], number_matched=0)
    qs = RawMaterialArea.objects.visible_to(scope).filter(retired_on__isnull=True).select_related("commune")
    if q.commune is not None:
        qs = qs.filter(commune=q.commune)
    elif q.province is not None:
        qs = qs.filter(commune__province=q.province)
    if q.bbox is not None:  # coarse filter on the centre; the exact test below (areas are small)
        w, s, e, n = q.bbox
        pad = 0.05
        qs = qs.filter(centroid_lon__gte=w - pad, centroid_lon__lte=e + pad, centroid_lat__gte=s - pad,
                       centroid_lat__lte=n + pad)
    view = box(*q.bbox) if q.bbox is not None else None
    features: list[dict[str, Any]] = []
    rows = list(qs.order_by("pk")[q.offset:q.offset + q.limit + 1])
    for area in rows[:q.limit]:
        geometry = json.loads(area.geometry)
        if view is not None and not view.intersects(geo.parse_polygon(geometry)):
            continue
        features.append({
            "type": "Feature", "id": area.pk, "geometry": geometry,
            "properties": {"kind": "raw_material_area", "name": area.name, "crop": area.crop,
                           "area_ha": float(area.area_ha), "growing_area_code": area.growing_area_code,
                           "digital": area.applies_digital_technology,
                           "url": reverse("economy:area", args=[area.commune.code, area.pk])},
        })
    return LayerResult(features, number_matched=None, truncated=len(rows) > q.limit)


LAYERS = [
    Layer(
        "raw_material_areas", "Vùng nguyên liệu", "Raw-material areas",
        "Vùng nguyên liệu của xã: cây trồng, diện tích, mã số vùng trồng, công nghệ số áp dụng.",
        "The communes' raw-material areas: crop, hectares, growing-area code, digital technologies applied.",
        "polygon", False, ("officials",), _areas, colour="#65a30d", order=40,
        source="Sổ vùng nguyên liệu của xã / commune register of raw-material areas",
    ),
]
