"""The OpenAPI schema documents the API, and the API keeps to it (schemathesis)."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

# No 5xx, and every answer as documented. (Not "schema-valid requests are accepted": an
# opaque cursor or a string with a NUL byte is schema-valid yet rightly refused with a 400.)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def wsgi_app(sample):
    """The WSGI application, kept from closing the test's connection (as the test client does)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_api_keeps_to_its_schema(wsgi_app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", wsgi_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 14

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=8,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def keeps_to_schema(case) -> None:
            case.call_and_validate(checks=CHECKS)

        keeps_to_schema()


def test_schema_documents_every_filter(anon_client):
    schema = anon_client.get("/api/v1/schema/?format=json").json()
    parameters = {p["name"] for p in schema["paths"]["/api/v1/incidents/"]["get"]["parameters"]}
    expected = {"date_from", "date_to", "updated_since", "kind", "region", "settlement"}
    assert parameters >= expected | {"organisation", "person", "in_custody", "q", "cursor"}
    assert all(p.get("description") for p in schema["paths"]["/api/v1/raids/"]["get"]["parameters"])


def test_docs_page_is_served_without_a_cdn_or_inline_code(anon_client):
    page = anon_client.get("/api/v1/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "/static/tracker/swagger_ui.css" in page
    assert "cdn." not in page
    # The content security policy allows no inline script or style.
    assert "<script>" not in page
    assert "<style" not in page
    assert "/api/v1/schema/" in anon_client.get("/api/v1/docs/?script=").content.decode()
