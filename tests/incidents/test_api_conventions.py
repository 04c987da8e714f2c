"""What researchers' tools expect: gzip, conditional GET, CORS when enabled, one datetime
form in JSON and CSV, and a byte order mark on CSV when asked."""

import csv
import gzip
import io

import orjson
import pytest
from django.test import Client

from incidents.models import Raid
from tests.factories import PersonFactory, RaidFactory
from tracker.review import Status, Visibility

CALLERS = ["anon_client", "researcher_client", "staff_client", "staff_session_client"]


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


# --- gzip --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/raids/",
        "/api/v1/raids/?format=csv",
        "/api/v1/incidents/?format=geojson",
        "/api/v1/export/raids/?format=csv",
        "/api/v1/export/incidents/?format=ndjson",
    ],
)
def test_api_answers_are_gzipped_when_asked(anon_client, url):
    RaidFactory.create_batch(5)
    plain = body(anon_client.get(url))
    packed = anon_client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert gzip.decompress(body(packed)) == plain
    assert "Content-Encoding" not in anon_client.get(url)


@pytest.mark.parametrize("url", ["/admin/login/", "/api/v1/docs/"])
def test_html_pages_are_never_gzipped(anon_client, url):
    response = anon_client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert "Content-Encoding" not in response


# --- conditional GET ---------------------------------------------------------------------


def get(client, url: str, etag: str | None = None):
    return client.get(url, HTTP_IF_NONE_MATCH=etag) if etag else client.get(url)


@pytest.mark.parametrize("client_name", CALLERS)
@pytest.mark.parametrize("fmt", ["json", "csv", "geojson"])
def test_an_unchanged_detail_or_list_answers_304(request, client_name, fmt):
    client = request.getfixturevalue(client_name)
    raid = RaidFactory()
    for url in (f"/api/v1/raids/{raid.pk}/?format={fmt}", f"/api/v1/incidents/?format={fmt}"):
        first = get(client, url)
        assert first.status_code == 200
        assert first["Last-Modified"]
        assert {"Accept", "Authorization", "Cookie"} <= {
            v.strip() for v in first["Vary"].split(",")
        }
        again = get(client, url, first["ETag"])
        assert (again.status_code, again.content) == (304, b"")
        assert again["ETag"] == first["ETag"]
        # Last-Modified alone never answers 304 (a row may leave a page unchanged otherwise).
        assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 200


@pytest.mark.parametrize("client_name", CALLERS)
def test_the_tag_changes_when_a_record_changes_or_is_unpublished(request, client_name):
    client = request.getfixturevalue(client_name)
    raid, other = RaidFactory(), RaidFactory()
    detail, listed = f"/api/v1/raids/{raid.pk}/", "/api/v1/raids/"
    tags = {url: get(client, url)["ETag"] for url in (detail, listed)}

    raid.settlement = "Orsha"
    raid.save()
    for url in (detail, listed):
        changed = get(client, url, tags[url])
        assert changed.status_code == 200
        tags[url] = changed["ETag"]

    person = PersonFactory()
    raid.target_people.add(person)  # a nested record: the row changes, its updated_at need not
    assert get(client, detail, tags[detail]).status_code == 200
    tags = {url: get(client, url)["ETag"] for url in (detail, listed)}

    Raid.objects.filter(pk=other.pk).update(status=Status.IN_REVIEW)
    # Gone from the list, or (staff in their session) shown with its new status.
    assert get(client, listed, tags[listed]).status_code == 200
    Raid.objects.filter(pk=raid.pk).update(visibility=Visibility.CONFIDENTIAL)
    hidden = get(client, detail, tags[detail])
    assert hidden.status_code == (200 if client_name == "staff_session_client" else 404)


def test_callers_who_see_differently_never_share_a_tag(anon_client, researcher_client):
    raid = RaidFactory()
    for url in (f"/api/v1/raids/{raid.pk}/", "/api/v1/raids/", "/api/v1/raids/?format=csv"):
        anonymous, researcher = anon_client.get(url), researcher_client.get(url)
        assert anonymous.content == researcher.content  # the same public row...
        assert anonymous["ETag"] != researcher["ETag"]  # ...yet not the same answer to trust
        assert get(researcher_client, url, anonymous["ETag"]).status_code == 200


def test_a_new_row_beyond_the_page_changes_the_tag_of_a_csv_page(anon_client):
    RaidFactory()
    url = "/api/v1/raids/?format=csv&page_size=1"
    tag = anon_client.get(url)["ETag"]
    RaidFactory()  # the page reads the same, but now it has a next page (Link)
    assert get(anon_client, url, tag).status_code == 200


# --- CORS --------------------------------------------------------------------------------

ORIGIN = "https://lab.example.org"


def test_cors_is_off_by_default(anon_client):
    response = anon_client.get("/api/v1/raids/", HTTP_ORIGIN=ORIGIN)
    assert "Access-Control-Allow-Origin" not in response


def test_cors_opens_the_api_to_the_listed_origins_only(settings, researcher):
    from organisations.tokens import issue_token

    settings.CORS_ALLOWED_ORIGINS = [ORIGIN]
    client = Client(HTTP_ORIGIN=ORIGIN)
    preflight = client.options(
        "/api/v1/raids/",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization",
    )
    assert preflight["Access-Control-Allow-Origin"] == ORIGIN
    assert "authorization" in preflight["Access-Control-Allow-Headers"]
    token = issue_token(researcher)[1]
    response = client.get("/api/v1/raids/", HTTP_AUTHORIZATION=f"Token {token}")
    assert response["Access-Control-Allow-Origin"] == ORIGIN
    assert "Link" in response["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Credentials" not in response
    assert "Access-Control-Allow-Origin" not in client.get("/admin/login/")
    other = Client(HTTP_ORIGIN="https://elsewhere.example").get("/api/v1/raids/")
    assert "Access-Control-Allow-Origin" not in other


# --- datetimes and CSV -------------------------------------------------------------------


@pytest.mark.parametrize("client_name", ["anon_client", "staff_session_client"])
def test_datetimes_read_the_same_in_json_and_csv(request, client_name):
    client = request.getfixturevalue(client_name)
    RaidFactory()
    for collection in ("raids", "incidents"):
        (row,) = client.get(f"/api/v1/{collection}/").json()["results"]
        (line,) = csv.DictReader(io.StringIO(client.get(f"/api/v1/{collection}/?format=csv").text))
        export = body(client.get(f"/api/v1/export/{collection}/?format=csv")).decode()
        exported = next(csv.DictReader(io.StringIO(export)))
        exported_json = orjson.loads(body(client.get(f"/api/v1/export/{collection}/")))[0]
        assert line["updated_at"] == exported["updated_at"] == row["updated_at"]
        assert exported_json["updated_at"] == row["updated_at"]
        assert row["updated_at"].endswith("+00:00")
        assert row["updated_at"][10] == "T"


@pytest.mark.parametrize(
    "url", ["/api/v1/raids/?format=csv&bom=1", "/api/v1/export/raids/?format=csv&bom=true"]
)
def test_csv_starts_with_a_byte_order_mark_when_asked(anon_client, url):
    RaidFactory()
    data = body(anon_client.get(url))
    assert data.startswith(b"\xef\xbb\xbfid,")
    assert data.decode("utf-8-sig").splitlines()[0].startswith("id,")
    assert not body(anon_client.get(url.replace("bom=1", "bom=0").replace("true", "0"))).startswith(
        b"\xef\xbb\xbf"
    )


@pytest.mark.parametrize("value", ["maybe", ""])
def test_a_bad_bom_value_is_refused(anon_client, value):
    response = anon_client.get(f"/api/v1/raids/?format=csv&bom={value}")
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert (error["parameter"], error["accepted"]) == ("bom", "1, true, 0, false")
