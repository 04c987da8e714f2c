"""``?format=`` wins over ``Accept``; OPTIONS and unknown paths answer JSON."""

import pytest

from tests.factories import RaidFactory

ACCEPTS = ["application/json", "text/plain, application/json", "application/xml", "*/*"]


@pytest.mark.parametrize("accept", ACCEPTS)
@pytest.mark.parametrize(
    ("url", "content_type"),
    [
        ("/api/v1/raids/?format=csv", "text/csv; charset=utf-8"),
        ("/api/v1/incidents/?format=geojson", "application/geo+json"),
        ("/api/v1/export/incidents/?format=geojson", "application/geo+json"),
        ("/api/v1/export/raids/?format=ndjson", "application/x-ndjson"),
        ("/api/v1/export/raids/?format=csv", "text/csv; charset=utf-8"),
    ],
)
def test_an_explicit_format_wins_over_the_accept_header(anon_client, accept, url, content_type):
    RaidFactory()
    response = anon_client.get(url, HTTP_ACCEPT=accept)
    assert response.status_code == 200
    assert response["Content-Type"] == content_type


def test_without_format_the_accept_header_chooses(anon_client):
    assert anon_client.get("/api/v1/raids/", HTTP_ACCEPT="text/csv")["Content-Type"] == (
        "text/csv; charset=utf-8"
    )
    response = anon_client.get("/api/v1/raids/", HTTP_ACCEPT="application/xml")
    assert response.status_code == 406
    assert response.json() == {"detail": response.json()["detail"], "errors": []}


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/export/raids/?format=csv",
        "/api/v1/export/people/?format=ndjson",
        "/api/v1/raids/?format=csv",
        "/api/v1/incidents/?format=geojson",
        "/api/v1/people/1/?format=csv",
        "/api/v1/?format=json",
    ],
)
def test_options_answers_json_whatever_the_format(anon_client, url):
    response = anon_client.options(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["name"]


@pytest.mark.parametrize("client_name", ["anon_client", "researcher_client", "staff_client"])
@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/nowhere/",
        "/api/v1/raids/abc/",
        "/api/v1/export/users/",
        "/api/v1/export/users/?format=csv",
        "/api/v1/incidents/protest-1/",
        "/api/v1/raids/1/extra/",
    ],
)
def test_unknown_paths_under_the_api_answer_a_json_404(request, client_name, path):
    response = request.getfixturevalue(client_name).get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found.", "errors": []}
    assert response["Cache-Control"] == "private, no-store"


def test_a_path_without_its_slash_is_still_redirected(anon_client):
    response = anon_client.get("/api/v1/raids")
    assert (response.status_code, response["Location"]) == (301, "/api/v1/raids/")
