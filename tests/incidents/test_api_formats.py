import csv
import io

import orjson
import pytest

from tests.factories import DetentionFactory, PersonFactory, RaidFactory, SourceFactory


def streamed(response) -> bytes:
    assert response.streaming, "exports stream"
    return b"".join(response.streaming_content)


def test_json_is_the_default(anon_client):
    RaidFactory()
    response = anon_client.get("/api/v1/raids/")
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"next", "previous", "results"}


def test_csv_flattens_nested_rows(anon_client):
    raid = RaidFactory()
    # One add() each: a single add() inserts its links in set order, whatever the ids.
    raid.target_people.add(PersonFactory(name="Ales"))
    raid.target_people.add(PersonFactory(name="Volha"))
    response = anon_client.get("/api/v1/raids/?format=csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    (row,) = csv.DictReader(io.StringIO(response.content.decode()))
    assert row["target_people.name"] == "Ales | Volha"
    assert row["id"] == str(raid.pk)


@pytest.mark.parametrize("collection", ["organisations", "people", "sources", "deletions"])
def test_every_list_answers_csv(anon_client, collection):
    since = "&since=2000-01-01T00:00:00Z" if collection == "deletions" else ""
    response = anon_client.get(f"/api/v1/{collection}/?format=csv{since}")
    assert response.status_code == 200
    assert response.content.splitlines()[0].startswith(b"kind,id" if since else b"id,")


def test_geojson_keeps_rows_without_coordinates_with_a_null_geometry(anon_client):
    located = RaidFactory(latitude="53.90454", longitude="27.56152")
    unlocated = RaidFactory()
    for url in ("/api/v1/raids/?format=geojson", "/api/v1/incidents/?format=geojson"):
        data = orjson.loads(anon_client.get(url).content)
        assert data["type"] == "FeatureCollection"
        first, second = data["features"]
        assert first["geometry"] == {"type": "Point", "coordinates": [27.56152, 53.90454]}
        assert first["id"] == f"raid-{located.pk}"
        assert (second["id"], second["geometry"]) == (f"raid-{unlocated.pk}", None)
        assert not {"id", "latitude", "longitude"} & set(second["properties"])
        assert second["properties"]["url"] == f"/api/v1/raids/{unlocated.pk}/"


def test_geojson_feature_ids_are_unique_across_kinds(anon_client):
    raid = RaidFactory()
    detention = DetentionFactory(id=raid.pk, raid=None)
    data = orjson.loads(anon_client.get("/api/v1/incidents/?format=geojson").content)
    assert [f["id"] for f in data["features"]] == [f"detention-{raid.pk}", f"raid-{raid.pk}"]
    detail = f"/api/v1/detentions/{detention.pk}/?format=geojson"
    assert orjson.loads(anon_client.get(detail).content)["features"][0]["id"] == (
        f"detention-{raid.pk}"
    )


@pytest.mark.parametrize("collection", ["raids", "detentions", "incidents"])
def test_geojson_export_is_one_feature_collection_closed_by_its_count(anon_client, collection):
    RaidFactory(latitude="53.90454", longitude="27.56152")
    DetentionFactory(raid=None)
    response = anon_client.get(f"/api/v1/export/{collection}/?format=geojson")
    assert response["Content-Type"] == "application/geo+json"
    body = streamed(response)
    data = orjson.loads(body)
    expected = 2 if collection == "incidents" else 1
    assert data["type"] == "FeatureCollection"
    assert (len(data["features"]), data["complete"], data["rows"]) == (expected, True, expected)
    assert body.endswith(b'],"complete":true,"rows":%d}' % expected)
    assert all(f["type"] == "Feature" and "-" in f["id"] for f in data["features"])


def test_empty_geojson_export_is_valid(anon_client):
    body = streamed(anon_client.get("/api/v1/export/raids/?format=geojson"))
    assert orjson.loads(body) == {
        "type": "FeatureCollection",
        "features": [],
        "complete": True,
        "rows": 0,
    }


def test_geojson_detail_of_a_detention(anon_client):
    detention = DetentionFactory(latitude=54.5081, longitude=30.4172)
    data = orjson.loads(
        anon_client.get(f"/api/v1/detentions/{detention.pk}/?format=geojson").content
    )
    assert data["features"][0]["properties"]["person"]["id"] == detention.person_id


def test_ndjson_export_streams_one_row_a_line(anon_client):
    raids = [RaidFactory(), RaidFactory()]
    response = anon_client.get("/api/v1/export/incidents/?format=ndjson")
    assert response["Content-Type"] == "application/x-ndjson"
    *rows, end = [orjson.loads(line) for line in streamed(response).splitlines()]
    assert [(r["kind"], r["id"]) for r in rows] == [("raid", r.pk) for r in raids]
    assert end == {"complete": True, "rows": 2}


def test_json_and_csv_exports_hold_the_same_rows(anon_client, populate):
    populate(3)
    rows = orjson.loads(streamed(anon_client.get("/api/v1/export/detentions/?format=json")))
    table, end = (
        streamed(anon_client.get("/api/v1/export/detentions/?format=csv")).decode().rsplit("#", 1)
    )
    assert [str(r["id"]) for r in rows] == [r["id"] for r in csv.DictReader(io.StringIO(table))]
    assert end == "complete,3\r\n"
    assert len(rows) == 3


def test_empty_json_export_is_an_empty_array(anon_client):
    assert streamed(anon_client.get("/api/v1/export/raids/?format=json")) == b"[]"


def test_unknown_export_collection_is_404(anon_client):
    assert anon_client.get("/api/v1/export/users/").status_code == 404


def test_detail_shows_the_incident_row(anon_client):
    raid = RaidFactory()
    row = anon_client.get(f"/api/v1/incidents/raid-{raid.pk}/").json()
    assert (row["kind"], row["id"], row["url"]) == ("raid", raid.pk, f"/api/v1/raids/{raid.pk}/")
    assert anon_client.get(row["url"]).json()["id"] == raid.pk


FORMULA = '=HYPERLINK("http://x","y")'


@pytest.mark.parametrize(
    "url", ["/api/v1/sources/?format=csv", "/api/v1/export/sources/?format=csv"]
)
def test_csv_text_cannot_start_a_spreadsheet_formula(anon_client, url):
    SourceFactory(title=FORMULA)
    response = anon_client.get(url)
    body = streamed(response) if response.streaming else response.content
    row = next(csv.DictReader(io.StringIO(body.decode())))  # an export ends with #complete
    assert row["title"] == "'" + FORMULA


def test_csv_keeps_negative_numbers_as_numbers(anon_client):
    RaidFactory(settlement="-Minsk", latitude="51.50735", longitude="-0.12776")
    (row,) = csv.DictReader(
        io.StringIO(anon_client.get("/api/v1/raids/?format=csv").content.decode())
    )
    assert (row["settlement"], row["longitude"]) == ("'-Minsk", "-0.12776")
