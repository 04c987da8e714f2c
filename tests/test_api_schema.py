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

from organisations.tokens import issue_token

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


@pytest.mark.parametrize("caller", ["anonymous", "researcher"])
def test_api_keeps_to_its_schema(wsgi_app, researcher, caller):
    """Every operation, without and with a token: no 5xx, every answer as documented."""
    token = issue_token(researcher)[1]
    headers = {"Authorization": f"Token {token}"} if caller == "researcher" else {}
    # Schemathesis asks for gzip like requests does, but its WSGI transport does not unpack
    # it (tests/incidents/test_api_conventions.py checks the compression).
    headers["Accept-Encoding"] = "identity"
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", wsgi_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    documented = schema.raw_schema["paths"]
    assert len(operations) == sum(len(methods) for methods in documented.values()) == 25

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
            case.call_and_validate(headers={**(case.headers or {}), **headers}, checks=CHECKS)

        keeps_to_schema()


def test_schema_documents_every_filter(anon_client):
    schema = anon_client.get("/api/v1/schema/?format=json").json()
    parameters = {p["name"] for p in schema["paths"]["/api/v1/incidents/"]["get"]["parameters"]}
    expected = {"date_from", "date_to", "updated_since", "kind", "region", "settlement"}
    assert parameters >= expected | {"organisation", "person", "in_custody", "q", "cursor"}
    assert all(p.get("description") for p in schema["paths"]["/api/v1/raids/"]["get"]["parameters"])


COLLECTIONS = ["organisations", "people", "sources", "raids", "detentions", "incidents"]


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_each_export_lists_its_filters_and_types_its_rows(anon_client, collection):
    schema = anon_client.get("/api/v1/schema/?format=json").json()
    listed = schema["paths"][f"/api/v1/{collection}/"]["get"]
    export = schema["paths"][f"/api/v1/export/{collection}/"]["get"]
    by_name = {p["name"]: p for p in export["parameters"]}
    for name, parameter in {p["name"]: p for p in listed["parameters"]}.items():
        if name in ("cursor", "page_size"):
            assert name not in by_name
        elif name == "format":
            formats = by_name["format"]["schema"]["enum"]
            assert set(formats) == {*parameter["schema"]["enum"], "ndjson"}
        else:
            assert by_name[name]["schema"] == parameter["schema"], name
    assert export["operationId"] == f"export_{collection}"
    content = export["responses"]["200"]["content"]
    row = listed["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    row_schema = schema["components"]["schemas"][row.rsplit("/", 1)[1]]
    rows = row_schema["properties"]["results"]["items"]
    assert content["application/json"]["schema"] == {"type": "array", "items": rows}
    assert rows["$ref"].startswith("#/components/schemas/")
    assert ("application/geo+json" in content) == ("geojson" in by_name["format"]["schema"]["enum"])


def test_errors_are_documented_in_one_shape(anon_client):
    schema = anon_client.get("/api/v1/schema/?format=json").json()
    for path, methods in schema["paths"].items():
        for operation in methods.values():
            for code in ("400", "401", "404", "429"):
                body = operation["responses"][code]["content"]["application/json"]["schema"]
                assert body["required"] == ["detail", "errors"], (path, code)


def test_docs_page_is_served_without_a_cdn_or_inline_code(anon_client):
    page = anon_client.get("/api/v1/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "/static/tracker/swagger_ui.css" in page
    assert "cdn." not in page
    # The content security policy allows no inline script or style.
    assert "<script>" not in page
    assert "<style" not in page
    assert "/api/v1/schema/" in anon_client.get("/api/v1/docs/?script=").content.decode()
