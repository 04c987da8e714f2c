import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import DetentionFactory, RaidFactory

COLLECTIONS = ("organisations", "people", "sources", "raids", "detentions", "incidents")


def walk(client, url: str, *, between_pages=lambda: None) -> list:
    keys = []
    while url:
        page = client.get(url).json()
        keys += [(row.get("kind"), row["id"]) for row in page["results"]]
        url = page["next"]
        between_pages()
    return keys


def test_cursor_visits_every_row_once_while_rows_are_inserted(anon_client, populate):
    populate(4)
    before = walk(anon_client, "/api/v1/incidents/?page_size=1000")
    inserted = []

    def insert() -> None:
        inserted.append(("raid", RaidFactory().pk))
        inserted.append(("detention", DetentionFactory().pk))

    keys = walk(anon_client, "/api/v1/incidents/?page_size=3", between_pages=insert)
    assert len(keys) == len(set(keys))
    assert [k for k in keys if k in before] == before  # none skipped, none repeated
    assert set(keys) <= set(before) | set(inserted)


def test_previous_link_returns_the_page_before(anon_client, populate):
    populate(3)
    first = anon_client.get("/api/v1/incidents/?page_size=2").json()
    second = anon_client.get(first["next"]).json()
    assert second["previous"]
    assert anon_client.get(second["previous"]).json()["results"] == first["results"]


def test_page_size_defaults_to_100(anon_client, populate):
    populate(60)
    page = anon_client.get("/api/v1/incidents/").json()
    assert len(page["results"]) == 100
    assert page["next"]


def test_deep_page_runs_no_count_and_no_offset(anon_client, populate):
    populate(3)
    url = anon_client.get("/api/v1/incidents/?page_size=2").json()["next"]
    url = anon_client.get(url).json()["next"]
    with CaptureQueriesContext(connection) as queries:
        assert anon_client.get(url).status_code == 200
    sql = " ".join(q["sql"].upper() for q in queries)
    assert "COUNT(*)" not in sql
    assert "OFFSET" not in sql


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
        assert response.status_code == 200
    return len(queries)


# A page holding only raids skips the detention queries, so the feed is counted by kind.
LISTS = (*COLLECTIONS[:-1], "incidents/?kind=raid&", "incidents/?kind=detention&")


@pytest.mark.parametrize("collection", LISTS)
def test_list_queries_do_not_grow_with_page_size(researcher_client, populate, collection):
    populate(5)
    url = f"/api/v1/{collection}" + ("" if "?" in collection else "/?")
    small = count_queries(researcher_client, f"{url}page_size=2")
    large = count_queries(researcher_client, f"{url}page_size=5000")
    assert small == large


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_export_queries_do_not_grow_with_rows(researcher_client, populate, collection):
    populate(2)
    few = count_queries(researcher_client, f"/api/v1/export/{collection}/?format=ndjson")
    populate(10)
    many = count_queries(researcher_client, f"/api/v1/export/{collection}/?format=ndjson")
    assert few == many
