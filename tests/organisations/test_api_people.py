import re

import pytest

from incidents.models import SourceLink
from organisations.models import Membership, Person, PersonName
from tests.factories import (
    DetentionFactory,
    OrganisationFactory,
    PersonFactory,
    RaidFactory,
    SourceFactory,
)
from tracker.review import Status


def unnamed_person():
    person = PersonFactory(
        name="Real Name", may_be_named=False, pseudonym="Witness C", birth_year=1980
    )
    PersonName.objects.create(person=person, name="Другое Имя")
    return person


def test_a_person_who_may_not_be_named_shows_only_the_pseudonym(anon_client):
    person = unnamed_person()
    row = anon_client.get(f"/api/v1/people/{person.pk}/").json()
    assert (row["name"], row["may_be_named"], row["other_names"]) == ("Witness C", False, [])
    assert row["birth_year"] is None
    assert "confidential_notes" not in row
    assert "contact_details" not in row


def test_the_pseudonym_is_used_in_every_nested_row(anon_client):
    person = unnamed_person()
    RaidFactory().target_people.add(person)
    DetentionFactory(person=person)
    for url in ("/api/v1/raids/", "/api/v1/detentions/", "/api/v1/incidents/"):
        content = anon_client.get(url).content.decode()
        assert "Witness C" in content
        assert "Real Name" not in content


def test_people_filter_by_organisation(anon_client):
    viasna, other = OrganisationFactory(), OrganisationFactory()
    member = PersonFactory()
    Membership.objects.create(person=member, organisation=viasna, role="chair")
    Membership.objects.create(person=PersonFactory(), organisation=other, role="member")
    rows = anon_client.get(f"/api/v1/people/?organisation={viasna.pk}").json()["results"]
    assert [r["id"] for r in rows] == [member.pk]
    assert rows[0]["memberships"][0]["organisation_id"] == viasna.pk


def test_membership_of_a_hidden_organisation_is_left_out(anon_client):
    person = PersonFactory()
    hidden = OrganisationFactory(status=Status.DRAFT)
    Membership.objects.create(person=person, organisation=hidden, role="member")
    assert anon_client.get(f"/api/v1/people/{person.pk}/").json()["memberships"] == []
    assert anon_client.get(f"/api/v1/people/?organisation={hidden.pk}").json()["results"] == []


def test_organisations_filter_by_name_in_any_script_and_kind(anon_client, sample):
    rows = anon_client.get("/api/v1/organisations/?q=Наша Ніва").json()["results"]
    assert [r["name"] for r in rows] == ["Nasha Niva"]
    media = anon_client.get("/api/v1/organisations/?kind=media").json()["results"]
    assert {r["kind"] for r in media} == {"media"}
    agencies = anon_client.get("/api/v1/organisations/?is_state_actor=true").json()["results"]
    assert agencies
    assert all(r["is_state_actor"] for r in agencies)


def test_sources_filter_and_links(anon_client):
    person = PersonFactory()
    hidden_raid = RaidFactory(status=Status.DRAFT)
    source = SourceFactory(title="Court ruling", kind="official")
    SourceLink.objects.create(source=source, person=person, quote="named")
    SourceLink.objects.create(source=source, raid=hidden_raid)
    SourceFactory(title="Other")
    rows = anon_client.get(f"/api/v1/sources/?person={person.pk}&q=court").json()["results"]
    assert [r["id"] for r in rows] == [source.pk]
    assert rows[0]["links"] == [{"kind": "person", "id": person.pk, "quote": "named"}]
    assert anon_client.get("/api/v1/sources/?kind=rumour").status_code == 400


DETAILS = rb"PLANT-|volunteer|female|BY-HR"  # birth year: see the test of the safe fields
SAFE_FIELDS = {"id", "name", "may_be_named", "status", "visibility", "updated_at", "url"}


@pytest.fixture
def unnamed_volunteer(db):
    """A person who may not be named, with everything that could pick them out."""
    person = unnamed_person()
    Person.objects.filter(pk=person.pk).update(
        gender="female", occupation="PLANT-OCCUPATION", home_region="BY-HR"
    )
    organisation = OrganisationFactory(name="PLANT-VIASNA")
    Membership.objects.create(person=person, organisation=organisation, role="volunteer")
    return person


@pytest.mark.parametrize("role", ["anon_client", "researcher_client"])
def test_an_unnamed_person_is_published_with_the_safe_fields_only(request, unnamed_volunteer, role):
    row = request.getfixturevalue(role).get(f"/api/v1/people/{unnamed_volunteer.pk}/").json()
    assert {field for field, value in row.items() if value not in ("", None, [])} == SAFE_FIELDS
    assert row["name"] == "Witness C"


@pytest.mark.parametrize("role", ["anon_client", "researcher_client"])
def test_no_format_of_the_people_tells_an_unnamed_persons_details(request, unnamed_volunteer, role):
    client = request.getfixturevalue(role)
    for url in ("/api/v1/people/", f"/api/v1/people/{unnamed_volunteer.pk}/"):
        for fmt in ("json", "csv"):
            content = client.get(f"{url}?format={fmt}").content
            assert b"Witness C" in content
            assert not re.search(DETAILS, content), (url, fmt)
    for fmt in ("json", "ndjson", "csv"):
        content = b"".join(client.get(f"/api/v1/export/people/?format={fmt}").streaming_content)
        assert b"Witness C" in content
        assert not re.search(DETAILS, content), fmt


def test_the_organisation_filter_does_not_tell_an_unnamed_persons_membership(
    anon_client, unnamed_volunteer
):
    organisation = unnamed_volunteer.memberships.get().organisation
    rows = anon_client.get(f"/api/v1/people/?organisation={organisation.pk}").json()["results"]
    assert rows == []
