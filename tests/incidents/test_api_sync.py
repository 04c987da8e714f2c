"""A researcher's copy synced incrementally ends equal to a fresh full export."""

import datetime

import orjson
import pytest
import time_machine

from incidents.models import Detention, Raid, SourceLink
from organisations.models import Person
from tests.factories import (
    DetentionFactory,
    OrganisationFactory,
    PersonFactory,
    RaidFactory,
    SourceFactory,
)
from tracker.review import Status, Visibility

COLLECTIONS = ("organisations", "people", "sources", "raids", "detentions", "incidents")
KIND_COLLECTIONS = {
    "organisation": ["organisations"],
    "person": ["people"],
    "source": ["sources"],
    "raid": ["raids", "incidents"],
    "detention": ["detentions", "incidents"],
}
DAY_1 = datetime.datetime(2026, 1, 1, 12, tzinfo=datetime.UTC)


def key(collection: str, row: dict) -> tuple:
    return (row["kind"], row["id"]) if collection == "incidents" else (collection, row["id"])


def full_export(client) -> dict[str, dict]:
    copy = {}
    for collection in COLLECTIONS:
        response = client.get(f"/api/v1/export/{collection}/?format=ndjson")
        *rows, end = map(orjson.loads, b"".join(response.streaming_content).splitlines())
        assert end["complete"]
        copy[collection] = {key(collection, row): row for row in rows}
    return copy


def sync(client, copy: dict[str, dict], since: str) -> int:
    """Apply the changes since ``since`` to ``copy``; return how many rows were fetched."""
    fetched = 0
    for collection in COLLECTIONS:
        url = f"/api/v1/{collection}/?updated_since={since}&page_size=2"
        while url:
            page = client.get(url).json()
            for row in page["results"]:
                copy[collection][key(collection, row)] = row
            fetched += len(page["results"])
            url = page["next"]
    gone = client.get(f"/api/v1/deletions/?since={since}&page_size=5000").json()["results"]
    for entry in gone:
        for collection in KIND_COLLECTIONS[entry["kind"]]:
            k = (
                (entry["kind"], entry["id"])
                if collection == "incidents"
                else (collection, entry["id"])
            )
            copy[collection].pop(k, None)
    return fetched


def make_world() -> dict:
    named, hidden_later = PersonFactory(name="Ales"), PersonFactory(name="Volha")
    organisation = OrganisationFactory()
    raids = [RaidFactory() for _ in range(4)]
    raids[0].target_people.add(named, hidden_later)
    raids[1].target_organisations.add(organisation)
    detentions = [DetentionFactory(raid=raids[2]) for _ in range(3)]
    source = SourceFactory()
    SourceLink.objects.create(source=source, raid=raids[2])
    return locals()


@pytest.mark.parametrize(
    "client_name", ["researcher_client", "anon_client", "staff_client", "staff_session_client"]
)
def test_incremental_sync_equals_a_fresh_export(request, client_name):
    client = request.getfixturevalue(client_name)
    with time_machine.travel(DAY_1, tick=False):
        world = make_world()
    with time_machine.travel(DAY_1 + datetime.timedelta(days=1), tick=False):
        copy = full_export(client)
    since = (DAY_1 + datetime.timedelta(days=1)).isoformat().replace("+00:00", "Z")
    with time_machine.travel(DAY_1 + datetime.timedelta(days=2), tick=False):
        RaidFactory().target_people.add(world["named"])  # insert
        DetentionFactory(person=world["named"])
        raid = world["raids"][3]
        raid.narrative = "Edited"  # edit
        raid.save()
        named = world["named"]
        named.name = "Ales B."  # a rename shows in the raids that name him
        named.save()
        unpublished = world["detentions"][0]
        unpublished.status = Status.IN_REVIEW  # unpublishing
        unpublished.save()
        # hidden in bulk, bypassing save()
        Person.objects.filter(pk=world["hidden_later"].pk).update(
            visibility=Visibility.CONFIDENTIAL
        )
        Raid.objects.get(pk=world["raids"][2].pk).delete()  # cascades to its source link
        world["organisation"].delete()  # drops out of the raid that targeted it
        SourceLink.objects.create(source=world["source"], detention=world["detentions"][1])
        Detention.objects.filter(pk=world["detentions"][2].pk).delete()
    with time_machine.travel(DAY_1 + datetime.timedelta(days=3), tick=False):
        fetched = sync(client, copy, since)
        fresh = full_export(client)
    assert copy == fresh
    assert fetched < sum(len(rows) for rows in fresh.values())


def test_an_edit_other_rows_do_not_show_resends_only_its_own_row(anon_client):
    with time_machine.travel(DAY_1, tick=False):
        person = PersonFactory()
        RaidFactory().target_people.add(person)
    with time_machine.travel(DAY_1 + datetime.timedelta(days=2), tick=False):
        person.occupation = "journalist"
        person.save()
    since = "updated_since=2026-01-02T12:00:00Z"
    assert anon_client.get(f"/api/v1/raids/?{since}").json()["results"] == []
    assert [p["id"] for p in anon_client.get(f"/api/v1/people/?{since}").json()["results"]] == [
        person.pk
    ]
