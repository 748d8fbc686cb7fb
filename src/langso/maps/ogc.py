"""OGC API – Features, Part 1: Core (OGC 17-069r4) for the public layers, so QGIS and GDAL
(``ogrinfo OAPIF:http://host/ogc/``) read them.

Resources (JSON only; GeoJSON for features, RFC 7946, CRS84 longitude/latitude):

- ``/ogc/``                                   landing page (§7.2)
- ``/ogc/conformance``                        conformance classes: core, geojson (§7.4)
- ``/ogc/collections``                        the public layers of the catalogue (§7.13)
- ``/ogc/collections/{collectionId}``         one collection with its extent (§7.14)
- ``/ogc/collections/{collectionId}/items``   features with ``bbox``, ``limit`` (1–10000, default
  10) and paging by ``offset`` through ``next``/``prev`` links, ``numberMatched``,
  ``numberReturned``, ``timeStamp`` (§7.15–7.16)
- ``/ogc/collections/{collectionId}/items/{featureId}``  one feature (§7.17)

Only public layers are collections: households never appear here. Errors are JSON with
``code`` and ``description`` and status 400 (bad parameter) or 404.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from . import catalogue
from .catalogue import LayerQuery
from .views import parse_bbox

CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
]
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
DEFAULT_LIMIT = 10
MAX_LIMIT = 10_000


def _json(data: Any, status: int = 200, content_type: str = "application/json") -> HttpResponse:
    response = HttpResponse(json.dumps(data, ensure_ascii=False, separators=(",", ":")), status=status,
                            content_type=content_type)
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _error(status: int, code: str, description: str) -> HttpResponse:
    return _json({"code": code, "description": description}, status=status)


def _url(request: HttpRequest, name: str, *args: Any, **params: Any) -> str:
    url = request.build_absolute_uri(reverse(name, args=args))
    query = {k: v for k, v in params.items() if v is not None}
    return f"{url}?{urlencode(query)}" if query else url


def _layer(collection_id: str) -> catalogue.Layer:
    layer = catalogue.get_layer(collection_id)
    if layer is None or not layer.public:
        raise Http404("Không tìm thấy / Not found")
    return layer


@require_GET
def landing(request: HttpRequest) -> HttpResponse:
    return _json({
        "title": "Làng số — OGC API Features",
        "description": "Lớp bản đồ công khai (ranh giới xã, thôn, trường học, trạm y tế, du lịch) / "
                       "Public map layers (communes, villages, schools, health stations, tourism)",
        "links": [
            {"href": _url(request, "maps:ogc-landing"), "rel": "self", "type": "application/json", "title": "This document"},
            {"href": _url(request, "maps:ogc-conformance"), "rel": "conformance", "type": "application/json",
             "title": "Conformance classes"},
            {"href": _url(request, "maps:ogc-collections"), "rel": "data", "type": "application/json",
             "title": "Collections"},
        ],
    })


@require_GET
def conformance(request: HttpRequest) -> HttpResponse:
    return _json({"conformsTo": CONFORMANCE})


def _collection(request: HttpRequest, layer: catalogue.Layer) -> dict[str, Any]:
    extent = layer.extent() if layer.extent else None
    out: dict[str, Any] = {
        "id": layer.key, "title": layer.title, "description": layer.description, "itemType": "feature",
        "crs": [CRS84],
        "links": [
            {"href": _url(request, "maps:ogc-collection", layer.key), "rel": "self", "type": "application/json"},
            {"href": _url(request, "maps:ogc-items", layer.key), "rel": "items", "type": "application/geo+json",
             "title": layer.title},
        ],
    }
    if extent:
        out["extent"] = {"spatial": {"bbox": [[round(v, 6) for v in extent]], "crs": CRS84}}
    if layer.source:
        out["attribution"] = layer.source
    return out


@require_GET
def collections(request: HttpRequest) -> HttpResponse:
    return _json({
        "links": [{"href": _url(request, "maps:ogc-collections"), "rel": "self", "type": "application/json"}],
        "collections": [_collection(request, layer) for layer in catalogue.public_layers()],
    })


@require_GET
def collection(request: HttpRequest, collection_id: str) -> HttpResponse:
    return _json(_collection(request, _layer(collection_id)))


@require_GET
def items(request: HttpRequest, collection_id: str) -> HttpResponse:
    layer = _layer(collection_id)
    try:
        bbox = parse_bbox(request.GET.get("bbox"))
    except ValueError:
        return _error(400, "InvalidParameterValue", "bbox phải là 4 số west,south,east,north / bbox must be 4 numbers "
                                                    "west,south,east,north")
    try:
        limit = int(request.GET.get("limit", DEFAULT_LIMIT))
        offset = int(request.GET.get("offset", 0))
    except ValueError:
        return _error(400, "InvalidParameterValue", "limit, offset phải là số nguyên / limit and offset must be integers")
    if limit < 1 or offset < 0:
        return _error(400, "InvalidParameterValue", "limit ≥ 1, offset ≥ 0")
    limit = min(limit, MAX_LIMIT)
    result = layer.fetch(LayerQuery(scope=None, bbox=bbox, limit=limit, offset=offset))
    params = {"bbox": request.GET.get("bbox"), "limit": limit}
    links = [
        {"href": _url(request, "maps:ogc-items", layer.key, **params, offset=offset or None), "rel": "self",
         "type": "application/geo+json"},
        {"href": _url(request, "maps:ogc-collection", layer.key), "rel": "collection", "type": "application/json"},
    ]
    matched = result.number_matched
    if matched is not None and offset + len(result.features) < matched:
        links.append({"href": _url(request, "maps:ogc-items", layer.key, **params, offset=offset + limit),
                      "rel": "next", "type": "application/geo+json"})
    if offset > 0:
        links.append({"href": _url(request, "maps:ogc-items", layer.key, **params, offset=max(0, offset - limit) or None),
                      "rel": "prev", "type": "application/geo+json"})
    body: dict[str, Any] = {
        "type": "FeatureCollection", "features": result.features, "links": links,
        "timeStamp": timezone.now().strftime("%Y-%m-%dT%H:%M:%SZ"), "numberReturned": len(result.features),
    }
    if matched is not None:
        body["numberMatched"] = matched
    return _json(body, content_type="application/geo+json")


@require_GET
def item(request: HttpRequest, collection_id: str, feature_id: str) -> HttpResponse:
    layer = _layer(collection_id)
    feature = layer.feature(feature_id) if layer.feature else None
    if feature is None:
        return _error(404, "NotFound", f"Không có đối tượng {feature_id} / no feature {feature_id}")
    feature = dict(feature)
    feature["links"] = [
        {"href": _url(request, "maps:ogc-item", layer.key, feature_id), "rel": "self", "type": "application/geo+json"},
        {"href": _url(request, "maps:ogc-collection", layer.key), "rel": "collection", "type": "application/json"},
    ]
    return _json(feature, content_type="application/geo+json")
