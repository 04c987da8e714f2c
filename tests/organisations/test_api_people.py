from incidents.models import SourceLink
from organisations.models import Membership, PersonName
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
