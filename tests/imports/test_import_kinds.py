"""Raids, people, organisations and sources import with the columns of their export."""

from incidents.models import Raid, Source
from organisations.models import Organisation, Person
from tests.factories import OrganisationFactory, PersonFactory
from tracker.review import Status

RAID_HEADER = (
    "date,region,premises_type,target_organisations.name,perpetrators.name,"
    "seized_items.kind,seized_items.count"
)


def test_raid_links_targets_and_perpetrators_and_lists_seized_items(import_file, db):
    viasna = OrganisationFactory(name="Viasna")
    kgb = OrganisationFactory(name="KGB", is_state_actor=True)
    import_file(
        "raids", f"{RAID_HEADER}\n2021-07-14,BY-HM,office,Вясна,KGB,computer | phone,3 | 5\n"
    )
    raid = Raid.objects.get()
    assert (list(raid.target_organisations.all()), list(raid.perpetrators.all())) == (
        [viasna],
        [kgb],
    )
    assert list(raid.seized_items.values_list("kind", "count")) == [("computer", 3), ("phone", 5)]


def test_raid_perpetrator_must_be_a_state_actor(import_file, db):
    OrganisationFactory(name="Viasna")
    result = import_file("raids", f"{RAID_HEADER}\n2021-07-14,BY-HM,office,,Viasna,,\n")
    assert [e.column for e in result.errors] == ["perpetrators.name"]


def test_new_organisation_is_created_only_when_the_row_says_so(import_file, db):
    header = f"{RAID_HEADER},create_organisation"
    import_file("raids", f"{header}\n2021-07-14,BY-HM,office,,Orsha police,,,yes\n")
    assert Organisation.objects.get().is_state_actor


def test_people_import_keeps_the_name_of_a_person_exported_by_pseudonym(import_file, db):
    person = PersonFactory(
        name="Real Name", may_be_named=False, pseudonym="A.", status=Status.DRAFT
    )
    content = f"id,name,may_be_named,occupation\n{person.pk},A.,false,editor\n"
    import_file("people", content, update_by="id")
    person.refresh_from_db()
    assert (person.name, person.occupation) == ("Real Name", "editor")


def test_organisation_and_source_rows_become_drafts(import_file, db):
    import_file("organisations", "name,kind,founded\nViasna,human_rights,1996-01-01\n")
    import_file("sources", "kind,title,source_url\nnews,Raids,https://example.org/a\n")
    assert Organisation.objects.get().status == Status.DRAFT
    assert Source.objects.get().url == "https://example.org/a"


def test_unchanged_row_leaves_no_history(import_file, db):
    person = PersonFactory(name="Nina", status=Status.DRAFT)
    result = import_file("people", f"id,name\n{person.pk},Nina\n", update_by="id")
    assert result.count("unchanged") == 1
    assert Person.history.filter(id=person.pk).count() == 1
