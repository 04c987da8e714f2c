"""Every list page, in every format, names the next one in a ``Link`` header (RFC 8288)."""

import io

import orjson
import pandas as pd
import pytest
import requests

from incidents.models import Raid
from tests.factories import RaidFactory


@pytest.mark.parametrize("fmt", ["json", "csv", "geojson"])
def test_every_format_links_the_next_and_previous_pages(anon_client, fmt):
    RaidFactory.create_batch(3)
    first = anon_client.get(f"/api/v1/incidents/?page_size=2&format={fmt}")
    next_url = requests_links(first)["next"]["url"]
    assert "prev" not in requests_links(first)
    second = anon_client.get(next_url)
    assert second.status_code == 200
    assert "next" not in requests_links(second)
    assert anon_client.get(requests_links(second)["prev"]["url"]).content == first.content
    if fmt == "json":
        assert first.json()["next"] == next_url


def test_a_single_page_has_no_link_header(anon_client):
    RaidFactory()
    assert "Link" not in anon_client.get("/api/v1/raids/?format=csv")


def requests_links(response) -> dict:
    """The ``Link`` header parsed as ``requests`` does (``rel`` → ``{"url": ...}``)."""
    parsed = requests.utils.parse_header_links(response.headers.get("Link", ""))
    return {link["rel"]: link for link in parsed}


@pytest.mark.django_db(transaction=True)
def test_pandas_reads_every_row_of_a_multi_page_csv_by_following_link_headers(live_server):
    RaidFactory.create_batch(230)
    url = f"{live_server.url}/api/v1/incidents/?format=csv"
    pages = []
    while url:
        response = requests.get(url, timeout=30)
        response.raise_for_status()
        pages.append(pd.read_csv(io.BytesIO(response.content)))
        url = response.links.get("next", {}).get("url")
    table = pd.concat(pages, ignore_index=True)
    assert [len(page) for page in pages] == [100, 100, 30]
    assert sorted(table["id"]) == sorted(Raid.objects.values_list("id", flat=True))
    assert set(table["kind"]) == {"raid"}


def test_geojson_page_keeps_next_in_its_body_too(anon_client):
    RaidFactory.create_batch(2)
    response = anon_client.get("/api/v1/raids/?page_size=1&format=geojson")
    assert orjson.loads(response.content)["next"] == requests_links(response)["next"]["url"]
