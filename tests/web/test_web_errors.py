"""Errors are pages in Vietnamese first, and abusive JSON is a 400, not a 500."""

from django.template.loader import render_to_string


def test_server_error_and_bad_request_pages_are_vietnamese_first():
    for name in ("500.html", "400.html"):
        html = render_to_string(name)
        assert '<html lang="vi">' in html and "Làng số" in html and "lang=\"en\"" in html


def test_deeply_nested_json_is_a_400(client, users):
    client.force_login(users["editor"])
    body = "[" * 100_000 + "]" * 100_000
    response = client.post("/api/payments/vietqr/encode", data=body, content_type="application/json")
    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]


def test_read_only_pages_refuse_post(client, users):
    client.force_login(users["reader"])
    for url in ("/p/25/", "/c/09154/", "/c/09154/households/"):
        assert client.post(url).status_code == 405, url
