"""The maps app's own layers: commune boundaries, approximate village areas and the points of
interest of the education, health and tourism maps. All public (no personal data)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .catalogue import Layer, LayerQuery, LayerResult
from .extents import commune_shapes, communes_touching, village_areas
from .models import Place, PlaceCategory, Theme

BOUNDARY_SOURCE = "Ranh giới xã: dữ liệu đi kèm (MIT) / commune boundaries: shipped data (MIT), territory app"


def _focus_ids(q: LayerQuery) -> set[int] | None:
    if q.commune is not None:
        return {q.commune.pk}
    if q.province is not None:
        return {pk for pk, s in commune_shapes().items() if s.province_id == q.province.pk}
    return None


def _page(features: list[dict[str, Any]], q: LayerQuery) -> LayerResult:
    return LayerResult(features[q.offset:q.offset + q.limit], number_matched=len(features))


def commune_feature(pk: int) -> dict[str, Any] | None:
    shape = commune_shapes().get(pk)
    if shape is None:
        return None
    return {
        "type": "Feature", "id": shape.code, "geometry": shape.geometry,
        "properties": {"code": shape.code, "name": shape.name, "full_name": shape.full_name,
                       "province": shape.province_code},
    }


def _communes(q: LayerQuery) -> LayerResult:
    ids = communes_touching(q.bbox, _focus_ids(q))
    shapes = commune_shapes()
    ids = sorted((pk for pk in ids if shapes[pk].geometry is not None), key=lambda pk: shapes[pk].code)
    return _page([commune_feature(pk) for pk in ids], q)


def _commune_by_code(code: str) -> dict[str, Any] | None:
    for pk, shape in commune_shapes().items():
        if shape.code == code:
            return commune_feature(pk)
    return None


def _extent_of(ids: list[int]) -> tuple[float, float, float, float] | None:
    boxes = [commune_shapes()[pk].bbox for pk in ids if commune_shapes()[pk].bbox]
    if not boxes:
        return None
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _all_extent() -> tuple[float, float, float, float] | None:
    return _extent_of(list(commune_shapes()))


def _villages(q: LayerQuery) -> LayerResult:
    ids = communes_touching(q.bbox, _focus_ids(q))
    shapes = commune_shapes()
    features = []
    for pk in sorted(ids, key=lambda pk: shapes[pk].code):
        features += village_areas(pk)
    return _page(features, q)


def _village_by_id(feature_id: str) -> dict[str, Any] | None:
    from langso.territory.models import Village

    pk = feature_id[1:] if feature_id.startswith("v") else feature_id
    if not pk.isdigit():
        return None
    commune_id = Village.objects.filter(pk=int(pk), commune__valid_to__isnull=True).values_list(
        "commune_id", flat=True).first()
    if commune_id is None:
        return None
    return next((f for f in village_areas(commune_id) if f["id"] == f"v{pk}"), None)


def place_feature(place: Place) -> dict[str, Any]:
    """A public place as a GeoJSON feature (organisation data only)."""
    return {
        "type": "Feature", "id": place.pk,
        "geometry": {"type": "Point", "coordinates": [round(place.longitude, 6), round(place.latitude, 6)]},
        "properties": {
            "name": place.name, "category": place.category.key, "category_vi": place.category.name_vi,
            "category_en": place.category.name_en, "colour": place.category.colour,
            "commune": place.commune.code, "commune_name": place.commune.full_name,
            "address": place.address, "contact": place.contact, "website": place.website,
            "description": place.description,
        },
    }


def _places(theme: str):
    def base() -> QuerySet[Place]:
        return Place.objects.open_to_public().filter(category__theme=theme, commune__valid_to__isnull=True)

    def fetch(q: LayerQuery) -> LayerResult:
        qs = base()
        focus = _focus_ids(q)
        if focus is not None:
            qs = qs.filter(commune_id__in=focus)
        if q.bbox is not None:
            w, s, e, n = q.bbox
            qs = qs.filter(latitude__gte=s, latitude__lte=n, longitude__gte=w, longitude__lte=e)
        if q.params.get("category"):
            qs = qs.filter(category__key__in=q.params["category"].split(","))
        total = qs.count()
        rows = qs.select_related("category", "commune").order_by("pk")[q.offset:q.offset + q.limit]
        return LayerResult([place_feature(p) for p in rows], number_matched=total)

    def one(feature_id: str) -> dict[str, Any] | None:
        if not str(feature_id).isdigit():
            return None
        place = base().select_related("category", "commune").filter(pk=int(feature_id)).first()
        return place_feature(place) if place else None

    def extent() -> tuple[float, float, float, float] | None:
        points = list(base().values_list("longitude", "latitude"))
        if not points:
            return _all_extent()
        return (min(p[0] for p in points), min(p[1] for p in points), max(p[0] for p in points),
                max(p[1] for p in points))

    def legend() -> list[dict[str, str]]:
        return [{"key": c.key, "vi": c.name_vi, "en": c.name_en, "colour": c.colour}
                for c in PlaceCategory.objects.filter(theme=theme)]

    return fetch, one, extent, legend


_edu, _edu_one, _edu_extent, _edu_legend = _places(Theme.EDUCATION)
_health, _health_one, _health_extent, _health_legend = _places(Theme.HEALTH)
_tour, _tour_one, _tour_extent, _tour_legend = _places(Theme.TOURISM)

LAYERS = [
    Layer(
        "communes", "Ranh giới xã", "Commune boundaries",
        "Ranh giới các xã, phường hiện hành (đã giản lược ~33 m).",
        "Boundaries of the current communes and wards (simplified, ~33 m).",
        "polygon", True, ("education", "health", "tourism"), _communes, colour="#475569", order=1,
        feature=_commune_by_code, extent=_all_extent, source=BOUNDARY_SOURCE,
    ),
    Layer(
        "villages", "Thôn, tổ dân phố (gần đúng)", "Villages (approximate)",
        "Vùng gần đúng của mỗi thôn: phần xã gần tâm thôn nhất (Voronoi), không phải ranh giới chính thức.",
        "Approximate area of each village: the part of the commune nearest its centre (Voronoi), not an "
        "official boundary.",
        "polygon", True, ("education", "health", "tourism"), _villages, colour="#94a3b8", order=2,
        default_on=False, feature=_village_by_id, extent=_all_extent,
        source="Tâm thôn trong sổ của xã / village centres from the commune register",
    ),
    Layer(
        "education", "Trường học, mầm non", "Schools and kindergartens",
        "Trường mầm non và trường phổ thông do xã cập nhật.", "Kindergartens and schools kept by the commune.",
        "point", True, ("education",), _edu, colour="#2563eb", order=20, feature=_edu_one, extent=_edu_extent,
        source="Điểm do xã cập nhật / points kept by the commune", legend=_edu_legend,
    ),
    Layer(
        "health", "Trạm y tế", "Health stations",
        "Trạm y tế xã và điểm y tế.", "Commune health stations.",
        "point", True, ("health",), _health, colour="#dc2626", order=21, feature=_health_one,
        extent=_health_extent, source="Điểm do xã cập nhật / points kept by the commune", legend=_health_legend,
    ),
    Layer(
        "tourism", "Du lịch: điểm tham quan, homestay, làng nghề, OCOP", "Tourism: sights, homestays, crafts, OCOP",
        "Điểm tham quan, homestay, làng nghề và điểm bán sản phẩm OCOP.",
        "Sights, homestays, craft villages and OCOP shops.",
        "point", True, ("tourism",), _tour, colour="#7c3aed", order=22, feature=_tour_one, extent=_tour_extent,
        source="Điểm do xã cập nhật / points kept by the commune", legend=_tour_legend,
    ),
]
