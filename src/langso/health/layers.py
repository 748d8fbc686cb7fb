"""Map layers of the health app, in the maps layer catalogue (:mod:`langso.maps.catalogue`).

- ``health-cases`` (health workers only): notifiable-disease case points of the last 60 days at
  their household's location; properties: disease, onset date, status — never a name.
- ``health-foci`` (health workers only): active dengue foci, the union of 200 m buffers.
- ``health-epidemic`` (public): cases of the last 28 days per village (approximate village areas),
  only villages with at least ``MIN_PUBLIC_COUNT`` = 5 cases; smaller counts are suppressed (left
  out, indistinguishable from zero) — aggregates only (Law 91/2025/QH15, BRIEF §7).
- ``health-safe-zones`` (public): villages with no active focus and no case within the closure
  window (14 days, data/outbreak_rules.yaml; unverified period).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.db.models import Count

from langso.maps.catalogue import Layer, LayerQuery, LayerResult
from langso.maps.extents import commune_shapes, communes_touching, village_areas

from . import catalogue
from .models import DiseaseCase, Outbreak

MIN_PUBLIC_COUNT = 5
PUBLIC_WINDOW_DAYS = 28
CASE_WINDOW_DAYS = 60
SOURCE = "Ca bệnh do trạm y tế xã ghi nhận / cases recorded by the commune health station"


def _today(q: LayerQuery) -> dt.date:
    value = q.params.get("date", "")
    try:
        return dt.date.fromisoformat(value) if value else dt.date.today()
    except ValueError:
        return dt.date.today()


def _health_communes(q: LayerQuery) -> list[int] | None:
    """Commune ids whose health data the reader sees, within the focus; None = all (superuser, no focus)."""
    scope = q.scope
    if scope is None:
        return []
    among: set[int] | None = None if scope.everything else set(scope.health_readable)
    if q.commune is not None:
        among = {q.commune.pk} if among is None or q.commune.pk in among else set()
    elif q.province is not None:
        ids = {pk for pk, s in commune_shapes().items() if s.province_id == q.province.pk}
        among = ids if among is None else among & ids
    return None if among is None else sorted(among)


def _public_communes(q: LayerQuery) -> list[int]:
    focus = None
    if q.commune is not None:
        focus = {q.commune.pk}
    elif q.province is not None:
        focus = {pk for pk, s in commune_shapes().items() if s.province_id == q.province.pk}
    return sorted(communes_touching(q.bbox, focus))


def _bbox(qs, q: LayerQuery):
    if q.bbox is not None:
        w, s, e, n = q.bbox
        qs = qs.filter(latitude__gte=s, latitude__lte=n, longitude__gte=w, longitude__lte=e)
    return qs


def _cases(q: LayerQuery) -> LayerResult:
    communes = _health_communes(q)
    if communes == []:
        return LayerResult([], number_matched=0)
    today = _today(q)
    qs = DiseaseCase.objects.filter(onset_on__gt=today - dt.timedelta(days=CASE_WINDOW_DAYS), onset_on__lte=today,
                                    latitude__isnull=False).exclude(status="discarded")
    if communes is not None:
        qs = qs.filter(commune_id__in=communes)
    qs = _bbox(qs, q)
    total = qs.count()
    names = catalogue.diseases()
    features = []
    for c in qs.order_by("pk")[q.offset:q.offset + q.limit]:
        d = names.get(c.disease)
        features.append({
            "type": "Feature", "id": c.pk,
            "geometry": {"type": "Point", "coordinates": [round(c.longitude, 6), round(c.latitude, 6)]},
            "properties": {"disease": c.disease, "disease_vi": d.name_vi if d else c.disease,
                           "disease_en": d.name_en if d else c.disease, "onset": c.onset_on.isoformat(),
                           "status": c.status},
        })
    return LayerResult(features, number_matched=total)


def _foci(q: LayerQuery) -> LayerResult:
    communes = _health_communes(q)
    if communes == []:
        return LayerResult([], number_matched=0)
    qs = Outbreak.objects.filter(rule="dengue_focus", closed_on__isnull=True).exclude(area="")
    if communes is not None:
        qs = qs.filter(commune_id__in=communes)
    qs = _bbox(qs, q)
    features = [{
        "type": "Feature", "id": o.pk, "geometry": json.loads(o.area),
        "properties": {"disease": o.disease, "status": o.status, "detected_on": o.detected_on.isoformat(),
                       "last_case_on": o.last_case_on.isoformat() if o.last_case_on else None,
                       "cases": o.case_count, "radius_m": o.facts.get("radius_m", 200)},
    } for o in qs.order_by("pk")[q.offset:q.offset + q.limit]]
    return LayerResult(features, number_matched=qs.count())


def village_counts(commune_ids: list[int], since: dt.date, until: dt.date) -> dict[int, int]:
    """Cases (not discarded) per village with onset in (since, until]: {village_id: count}."""
    rows = (DiseaseCase.objects.filter(commune_id__in=commune_ids, onset_on__gt=since, onset_on__lte=until,
                                       village__isnull=False).exclude(status="discarded")
            .values("village_id").annotate(n=Count("id")))
    return {r["village_id"]: r["n"] for r in rows}


def _epidemic(q: LayerQuery) -> LayerResult:
    today = _today(q)
    communes = _public_communes(q)
    counts = village_counts(communes, today - dt.timedelta(days=PUBLIC_WINDOW_DAYS), today)
    with_cases = set(DiseaseCase.objects.filter(village_id__in=list(counts)).values_list("commune_id", flat=True))
    features = []
    for pk in communes:
        if pk not in with_cases:
            continue
        for f in village_areas(pk):
            n = counts.get(f["properties"]["id"], 0)
            if n >= MIN_PUBLIC_COUNT:
                features.append({"type": "Feature", "id": f["id"], "geometry": f["geometry"], "properties": {
                    "village": f["properties"]["name"], "commune": f["properties"]["commune"], "cases": n,
                    "window_days": PUBLIC_WINDOW_DAYS, "min_count": MIN_PUBLIC_COUNT}})
    return LayerResult(features[q.offset:q.offset + q.limit], number_matched=len(features))


def unsafe_villages(commune_ids: list[int], today: dt.date) -> set[int]:
    """Villages with an active focus case or any case within the closure window (14 days)."""
    rule = catalogue.outbreak_rules()["dengue_focus"]
    window = int(rule["closure_days"])
    recent = set(DiseaseCase.objects.filter(commune_id__in=commune_ids, onset_on__gt=today - dt.timedelta(days=window),
                                            onset_on__lte=today, village__isnull=False)
                 .exclude(status="discarded").values_list("village_id", flat=True))
    active = set(DiseaseCase.objects.filter(commune_id__in=commune_ids, village__isnull=False,
                                            outbreaks__closed_on__isnull=True).values_list("village_id", flat=True))
    return recent | active


def _safe(q: LayerQuery) -> LayerResult:
    today = _today(q)
    communes = _public_communes(q)
    unsafe = unsafe_villages(communes, today)
    features = []
    for pk in communes:
        for f in village_areas(pk):
            if f["properties"]["id"] not in unsafe:
                features.append({"type": "Feature", "id": f["id"], "geometry": f["geometry"], "properties": {
                    "village": f["properties"]["name"], "commune": f["properties"]["commune"], "safe": True}})
    return LayerResult(features[q.offset:q.offset + q.limit], number_matched=len(features))


LAYERS = [
    Layer("health-cases", "Ca bệnh truyền nhiễm (60 ngày)", "Notifiable disease cases (60 days)",
          "Vị trí hộ có ca bệnh; chỉ nhân viên y tế xã xem được.",
          "Households with a case; commune health workers only.",
          "point", False, (), _cases, colour="#b91c1c", order=30, source=SOURCE),
    Layer("health-foci", "Ổ dịch sốt xuất huyết đang hoạt động (200 m)", "Active dengue foci (200 m)",
          "Vùng 200 m quanh các ca của ổ dịch đang hoạt động.", "200 m around the cases of active foci.",
          "polygon", False, (), _foci, colour="#ea580c", order=31, source=SOURCE),
    Layer("health-epidemic", "Bản đồ dịch: số ca theo thôn (28 ngày)", "Epidemic map: cases per village (28 days)",
          f"Chỉ hiện thôn có từ {MIN_PUBLIC_COUNT} ca; số nhỏ hơn được ẩn.",
          f"Only villages with at least {MIN_PUBLIC_COUNT} cases; smaller counts are suppressed.",
          "polygon", True, ("health",), _epidemic, colour="#dc2626", order=32, source=SOURCE),
    Layer("health-safe-zones", "Vùng an toàn dịch bệnh", "Disease-safe zones",
          "Thôn không có ổ dịch đang hoạt động và không có ca bệnh trong 14 ngày.",
          "Villages with no active focus and no case in 14 days.",
          "polygon", True, ("health",), _safe, colour="#16a34a", order=33, default_on=False, source=SOURCE),
]
