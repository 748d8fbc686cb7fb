"""VietQR encode/decode API: ``POST /api/payments/vietqr/encode`` and ``…/decode`` (JSON in, JSON
out). Mounted from :mod:`.urls` (not the router: these are functions, not resources).

Like every API route they need an authenticated caller (settings). ``GET`` on either answers
with its usage (fields, limits, an example), so a browser or a link checker gets 200. Errors are
400 with ``{"error": {"field", "rule", "message", "message_en", "source"}}``: ``field`` is the
request field (``amount``, ``purpose``…) or, for decode, the payload's tag path (``38.01.01``).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from langso.lib.errors import RuleViolation

from . import vietqr

MAX_PAYLOAD = 512  # EMVCo MPM §4.1: a payload is at most 512 characters

TEXT_INPUTS = ("bin", "account", *vietqr.TEXT_FIELDS)
SERVICE_NAMES = {"account": vietqr.SERVICE_ACCOUNT, "card": vietqr.SERVICE_CARD,
                 vietqr.SERVICE_ACCOUNT: vietqr.SERVICE_ACCOUNT, vietqr.SERVICE_CARD: vietqr.SERVICE_CARD}
# The request field named by a codec error's tag path.
FIELD_OF_PATH = {
    "38.01.00": "bin", "38.01.01": "account", "38.02": "service", "54": "amount", "52": "merchant_category",
    "59": "merchant_name", "60": "merchant_city", "62": "additional_data",
    **{f"62.{tag}": name for tag, name in vietqr.ADDITIONAL_FIELDS.items()},
}
EXAMPLE_REQUEST = {"bin": "970436", "account": "0011004325123", "amount": 45000, "purpose": "Phở bò tái"}


def _bad(field: str, rule: str, vi: str, en: str) -> Response:
    return Response({"error": RuleViolation(field, rule, vi, en).as_dict()}, status=400)


def _violation_response(exc: RuleViolation, field: str | None = None) -> Response:
    body = exc.as_dict()
    if field is not None:
        body["field"] = field
    return Response({"error": body}, status=400)


def _encode_request(data: Any) -> vietqr.VietQR | Response:
    if not isinstance(data, dict):
        return _bad("body", "api.object", "Nội dung yêu cầu phải là một đối tượng JSON.",
                    "The request body must be a JSON object.")
    allowed = {*TEXT_INPUTS, "service", "amount", "dynamic"}
    unknown = sorted(set(data) - allowed)
    if unknown:
        return _bad(unknown[0], "api.unknown_field", f"Trường '{unknown[0]}' không được hỗ trợ.",
                    f"Field '{unknown[0]}' is not supported; use {sorted(allowed)}.")
    for name in TEXT_INPUTS:
        if name in data and not isinstance(data[name], str):
            return _bad(name, "api.type", f"Trường '{name}' phải là chuỗi.", f"Field '{name}' must be a string.")
    for name in ("bin", "account"):
        if not data.get(name):
            return _bad(name, "api.required", f"Thiếu trường '{name}'.", f"Field '{name}' is required.")
    service = SERVICE_NAMES.get(data.get("service", "account"))
    if service is None:
        return _bad("service", "vietqr.service", "Dịch vụ phải là 'account' (tài khoản) hoặc 'card' (thẻ).",
                    "The service must be 'account' or 'card'.")
    amount = data.get("amount")
    if amount is not None and (isinstance(amount, bool) or not isinstance(amount, int)):
        return _bad("amount", "vietqr.amount", "Số tiền phải là số nguyên đồng (JSON integer).",
                    "The amount must be a whole number of đồng (a JSON integer).")
    dynamic = data.get("dynamic", amount is not None)
    if not isinstance(dynamic, bool):
        return _bad("dynamic", "api.type", "Trường 'dynamic' phải là true hoặc false.", "Field 'dynamic' must be a boolean.")
    texts = {name: data.get(name, "") for name in vietqr.TEXT_FIELDS}
    return vietqr.VietQR(bin=data["bin"], account=data["account"], service=service, dynamic=dynamic, amount=amount,
                         **texts)


@extend_schema(exclude=True)
class VietQREncodeView(APIView):
    """Encode a VietQR payload. Body: ``bin``, ``account`` (required strings); ``service``
    (``account``|``card``); ``amount`` (integer VND; makes the code dynamic); ``dynamic``;
    ``purpose`` (≤25 after folding) and the other text fields of :class:`~.vietqr.VietQR`.
    Answer: ``{"payload": str, "fields": {...}}``."""

    def get(self, request: Request) -> Response:
        return Response({
            "method": "POST", "content_type": "application/json",
            "fields": {"required": ["bin", "account"], "optional": ["service", "amount", "dynamic", *vietqr.TEXT_FIELDS]},
            "limits": {"purpose": vietqr.ADDITIONAL_MAX, "merchant_name": vietqr.MERCHANT_NAME_MAX,
                       "merchant_city": vietqr.MERCHANT_CITY_MAX, "account": vietqr.ACCOUNT_MAX,
                       "amount_digits": vietqr.AMOUNT_MAX_DIGITS},
            "example": EXAMPLE_REQUEST, "source": vietqr.SOURCE,
        })

    def post(self, request: Request) -> Response:
        qr = _encode_request(request.data)
        if isinstance(qr, Response):
            return qr
        try:
            payload = vietqr.encode(qr)
        except RuleViolation as exc:
            return _violation_response(exc, FIELD_OF_PATH.get(exc.field, exc.field))
        return Response({"payload": payload, "fields": vietqr.decode(payload).as_dict()})


@extend_schema(exclude=True)
class VietQRDecodeView(APIView):
    """Decode and strictly validate a payload. Body ``{"payload": str}`` (or ``GET ?payload=``).
    Answer ``{"valid": true, "fields": {...}}``, or 400 naming the tag path and rule broken."""

    def _decode(self, payload: Any) -> Response:
        if not isinstance(payload, str):
            return _bad("payload", "api.type", "Trường 'payload' phải là chuỗi.", "Field 'payload' must be a string.")
        if len(payload) > MAX_PAYLOAD:
            return _bad("payload", "vietqr.length", f"Mã dài quá {MAX_PAYLOAD} ký tự.",
                        f"A payload has at most {MAX_PAYLOAD} characters.")
        try:
            qr = vietqr.decode(payload)
        except RuleViolation as exc:
            return _violation_response(exc)
        return Response({"valid": True, "fields": qr.as_dict()})

    def get(self, request: Request) -> Response:
        if "payload" in request.query_params:
            return self._decode(request.query_params["payload"])
        return Response({"method": "POST", "content_type": "application/json", "fields": {"required": ["payload"]},
                         "source": vietqr.SOURCE})

    def post(self, request: Request) -> Response:
        if not isinstance(request.data, dict) or "payload" not in request.data:
            return _bad("payload", "api.required", "Thiếu trường 'payload'.", "Field 'payload' is required.")
        return self._decode(request.data["payload"])
