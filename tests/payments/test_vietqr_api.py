"""The VietQR encode/decode API: JSON in, JSON out, 400 naming the field and rule."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from langso.payments.vietqr import crc16_ccitt_false

ENCODE, DECODE = "/api/payments/vietqr/encode", "/api/payments/vietqr/decode"
VECTORS = json.loads((__import__("pathlib").Path(__file__).parent / "data" / "vectors.json").read_text())["vectors"]


@pytest.fixture
def api(users) -> Client:
    client = Client()
    client.force_login(users["outsider"])  # any official: the API touches no commune's data
    return client


def post(client: Client, url: str, body) -> tuple[int, dict]:
    response = client.post(url, json.dumps(body), content_type="application/json")
    return response.status_code, response.json()


def test_anonymous_is_refused(db):
    assert Client().post(ENCODE, "{}", content_type="application/json").status_code in {401, 403}
    assert Client().get(DECODE).status_code in {401, 403}


def test_get_describes_the_endpoints(api):
    for url in (ENCODE, DECODE):
        response = api.get(url)
        assert response.status_code == 200 and response.json()["method"] == "POST"


def test_encode_then_decode(api):
    status, body = post(api, ENCODE, {"bin": "970436", "account": "0011004325123", "amount": 45000, "purpose": "Phở bò tái"})
    assert status == 200
    assert body["fields"]["amount"] == 45000 and body["fields"]["purpose"] == "Pho bo tai"
    assert body["fields"]["initiation"] == "dynamic"
    status, decoded = post(api, DECODE, {"payload": body["payload"]})
    assert status == 200 and decoded == {"valid": True, "fields": body["fields"]}
    assert api.get(DECODE, {"payload": body["payload"]}).json()["fields"]["account"] == "0011004325123"


def test_static_card_code(api):
    status, body = post(api, ENCODE, {"bin": "970403", "account": "9704031101234567", "service": "card"})
    assert status == 200 and body["payload"] == VECTORS[0]["payload"]


@pytest.mark.parametrize(
    ("body", "field", "rule"),
    [
        ({"bin": "970436", "account": "1", "purpose": "x" * 26}, "purpose", "vietqr.length"),
        ({"bin": "970436", "account": "1", "amount": "45000"}, "amount", "vietqr.amount"),
        ({"bin": "970436", "account": "1", "amount": 45000, "dynamic": False}, "amount", "vietqr.amount_static"),
        ({"bin": "97043", "account": "1"}, "bin", "vietqr.bin"),
        ({"bin": "970436"}, "account", "api.required"),
        ({"bin": "970436", "account": "1", "service": "wallet"}, "service", "vietqr.service"),
        ({"bin": "970436", "account": "1", "colour": "red"}, "colour", "api.unknown_field"),
        ({"bin": 970436, "account": "1"}, "bin", "api.type"),
        ([1, 2], "body", "api.object"),
    ],
)
def test_encode_errors(api, body, field, rule):
    status, answer = post(api, ENCODE, body)
    assert status == 400
    assert (answer["error"]["field"], answer["error"]["rule"]) == (field, rule)
    assert answer["error"]["message"] and answer["error"]["message_en"]


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_decode_vectors(api, vector):
    status, answer = post(api, DECODE, {"payload": vector["payload"]})
    if vector["valid"]:
        assert status == 200 and answer["fields"]["bin"] == vector["expect"]["bin"]
    else:
        assert status == 400 and answer["error"]["field"] == "38.01.01" and answer["error"]["rule"] == "vietqr.length"


def test_decode_errors(api):
    body = "00020101021153037045802VN6304"
    status, answer = post(api, DECODE, {"payload": body + crc16_ccitt_false(body)})
    assert status == 400 and answer["error"]["field"] == "38" and answer["error"]["rule"] == "vietqr.missing"
    assert post(api, DECODE, {})[1]["error"]["rule"] == "api.required"
    assert post(api, DECODE, {"payload": 5})[1]["error"]["rule"] == "api.type"
    assert post(api, DECODE, {"payload": "0" * 600})[1]["error"]["rule"] == "vietqr.length"
