"""A raid on a home, and a detention made in it, are published no finer than the settlement.

The coordinates are above 60 so that no timestamp's seconds can look like them.
"""

import re

import pytest

from incidents.models import Raid
from tests.factories import DetentionFactory, RaidFactory

HOME = {"premises_type": Raid.Premises.HOME, "latitude": "70.12345", "longitude": "80.98765"}
EXACT = rb"70\.12\d|80\.98\d"


def content(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    return b"".join(response.streaming_content) if response.streaming else response.content


def every_url(raid, detention) -> list[str]:
    paths = ["raids/", f"raids/{raid.pk}/", "detentions/", f"detentions/{detention.pk}/"]
    paths += ["incidents/", f"incidents/raid-{raid.pk}/", f"incidents/detention-{detention.pk}/"]
    urls = [f"/api/v1/{p}?format={f}" for p in paths for f in ("json", "csv", "geojson")]
    exports = ("raids", "detentions", "incidents")
    return urls + [
        f"/api/v1/export/{c}/?format={f}" for c in exports for f in ("json", "ndjson", "csv")
    ]


@pytest.mark.parametrize("role", ["anon_client", "researcher_client", "staff_client"])
def test_a_raid_on_a_home_is_published_to_two_decimals_in_every_format(db, request, role):
    raid = RaidFactory(**HOME)
    detention = DetentionFactory(raid=raid, latitude=HOME["latitude"], longitude=HOME["longitude"])
    client = request.getfixturevalue(role)
    for url in every_url(raid, detention):
        found = content(client, url)
        assert b"70.12" in found, url
        assert b"80.99" in found, url
        assert not re.search(EXACT, found), url


def test_a_staff_session_sees_the_exact_place_of_a_raid_on_a_home(staff_session_client):
    raid = RaidFactory(**HOME)
    for url in ("/api/v1/raids/", f"/api/v1/incidents/raid-{raid.pk}/?format=geojson"):
        assert b"70.12345" in content(staff_session_client, url)


def test_a_raid_on_an_office_keeps_its_exact_place(anon_client):
    raid = RaidFactory(**{**HOME, "premises_type": Raid.Premises.OFFICE})
    DetentionFactory(raid=raid, latitude=HOME["latitude"], longitude=HOME["longitude"])
    for url in ("/api/v1/raids/", "/api/v1/detentions/", "/api/v1/incidents/?format=geojson"):
        assert b"70.12345" in content(anon_client, url)
