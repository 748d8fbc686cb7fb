"""The OpenAPI schema generates cleanly and its documentation pages are served locally
(a commune LAN has no internet: no CDN, no web fonts from elsewhere)."""

from __future__ import annotations

import re

from django.core.management import call_command

URL_ATTRIBUTE = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
ANY_REMOTE = re.compile(r"""(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}""", re.IGNORECASE)


def test_schema_generates_without_warnings_or_errors(db, tmp_path):
    # Same as `manage.py spectacular --validate --fail-on-warn`: raises on any warning.
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    for path in ["/api/units/", "/api/villages/", "/api/households/", "/api/residents/",
                 "/api/business-households/", "/api/indicators/", "/api/indicator-values/"]:
        assert f"  {path}:" in text, path
    assert "post:" not in text and "delete:" not in text  # read-only


def _local_assets(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    remote = ANY_REMOTE.findall(html)
    assert remote == [], f"{url} refers to other hosts: {remote}"
    assets = URL_ATTRIBUTE.findall(html)
    assert assets, "expected the page to load its scripts and styles"
    return assets


def test_swagger_page_uses_only_local_static_files(db, client):
    assets = _local_assets(client, "/api/docs/")
    assert all(a.startswith("/static/") for a in assets), assets
    for asset in assets:
        response = client.get(asset)
        assert response.status_code == 200, asset
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)


def test_every_documentation_page_is_local(db, client):
    """Any HTML documentation route under /api/ (Swagger now; Redoc was dropped because its
    template loads Google Fonts) must refer to no other host."""
    from django.urls import get_resolver

    pages = [p for p in get_resolver().url_patterns if str(p.pattern).startswith("api/")
             and getattr(p, "name", None) in {"api-docs", "api-redoc"}]
    assert pages
    for page in pages:
        _local_assets(client, "/" + str(page.pattern))


def test_schema_is_served(db, client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert b"openapi: 3" in response.content
