"""The OpenAPI schema and the interactive docs are served locally (no CDN, strict CSP)."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_openapi_schema_lists_the_operations() -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "Guichet API"
    for path in ("/api/v1/moi", "/api/v1/quartiers", "/api/v1/menages", "/api/v1/menages/{household_id}"):
        assert path in schema["paths"], path
    assert "bris de glace" in schema["paths"]["/api/v1/menages/{household_id}"]["get"]["description"]


def test_interactive_docs_use_local_assets_only() -> None:
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    body = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in body
    assert "cdn" not in body.lower()
    assert "script-src 'self'" in response["Content-Security-Policy"]
