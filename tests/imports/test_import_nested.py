"""Other names, memberships and source links: read from the export's columns, with history."""

import csv
import io

from incidents.models import Detention, SourceLink
from organisations.models import Membership, Organisation, OrganisationName, Person, PersonName
from tests.factories import (
    DetentionFactory,
    OrganisationFactory,
    PersonFactory,
    SourceFactory,
)
from tracker.changes import RecordChange
from tracker.review import Status

PEOPLE = (
    "name,may_be_named,other_names.name,other_names.language,memberships.organisation_id,"
    "memberships.organisation_name,memberships.role,memberships.start_date,memberships.end_date"
)


def note(obj) -> str:
    return obj.history.latest().history_change_reason


def test_people_with_other_names_and_memberships(import_file, db):
    viasna = OrganisationFactory(name="Viasna")
    content = (
        f"{PEOPLE}\nAles Bialiatski,yes,Алесь Бяляцкі | Aleś Bialacki,be | be-Latn,,Viasna,"
        "chair,1996-01-01,\n"
    )
    result = import_file("people", content)
    assert result.errors == []
    person = Person.objects.get()
    names = list(person.other_names.order_by("id").values_list("name", "language"))
    assert names == [("Алесь Бяляцкі", "be"), ("Aleś Bialacki", "be-Latn")]
    membership = person.memberships.get()
    assert (membership.organisation, membership.role) == (viasna, "chair")
    assert note(membership) == "imported from records.csv, row 2"
    assert {note(n) for n in person.other_names.all()} == {"imported from records.csv, row 2"}
    assert Person.objects.matching("Aleś Bialacki").get() == person  # the search key knows it


def test_reimported_people_export_changes_nothing_and_keeps_withheld_rows(
    import_file, admin_client, db
):
    viasna = OrganisationFactory(name="Viasna", status=Status.DRAFT)
    named = PersonFactory(name="Ales Bialiatski", status=Status.DRAFT)
    unnamed = PersonFactory(name="Nina", may_be_named=False, pseudonym="N.", status=Status.DRAFT)
    for person in (named, unnamed):
        PersonName.objects.create(person=person, name=f"{person.name} other", language="be")
        Membership.objects.create(person=person, organisation=viasna, role="member")
    response = admin_client.get("/api/v1/export/people/?format=csv")
    content = b"".join(response.streaming_content).decode()
    assert "memberships.role" in content.splitlines()[0]
    result = import_file("people", content, update_by="id")
    assert (result.errors, result.count("updated")) == ([], 0)
    assert PersonName.objects.count() == 2
    assert Membership.objects.count() == 2
    # The export withholds an unnamed person's names and memberships: not emptied on import.
    rows = list(csv.DictReader(io.StringIO(content)))
    for row in rows:
        if row["name"] == "Ales Bialiatski":
            row["other_names.name"] = "Aleś Bialacki"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=rows[0].keys())
    writer.writeheader()
    writer.writerows(r for r in rows if not r["id"].startswith("#"))
    result = import_file("people", out.getvalue(), name="edited.csv", update_by="id")
    assert (result.errors, result.count("updated")) == ([], 1)
    assert list(named.other_names.values_list("name", flat=True)) == ["Aleś Bialacki"]
    assert unnamed.other_names.count() == 1
    assert unnamed.memberships.count() == 1
    assert named.history.latest().history_change_reason == "imported from edited.csv, row 2"
    removed = PersonName.history.filter(history_type="-").get()
    assert removed.history_change_reason == "imported from edited.csv, row 2"


def test_organisation_other_names(import_file, db):
    header = "name,kind,other_names.name,other_names.language"
    result = import_file("organisations", f"{header}\nViasna,human_rights,Вясна,be\n")
    assert result.errors == []
    name = OrganisationName.objects.get()
    assert (name.organisation.name, name.name, name.language) == ("Viasna", "Вясна", "be")
    assert Organisation.objects.matching("Вясна").get() == name.organisation


def test_bad_nested_values_name_their_row_and_column(import_file, db):
    OrganisationFactory(name="Viasna")
    people = (
        f"{PEOPLE}\nAles Bialiatski,yes,Aleś,klingon,,Viasna,chair,,\n"
        "Nina,yes,,,99999,,member,,\n"
        "Ihar,yes,,,,Viasna,boss,2020-01-01,2019-01-01\n"
    )
    errors = {(e.row, e.column) for e in import_file("people", people).errors}
    assert {
        (2, "other_names.language"),
        (3, "memberships.organisation_id"),
        (4, "memberships.role"),
        (4, "memberships.end_date"),
    } <= errors
    assert not Person.objects.exists()
    assert not Membership.objects.exists()
    person = PersonFactory()
    detentions = f"date,person.id,sources.id,sources.quote\n2021-07-14,{person.pk},99999,q\n"
    (error,) = import_file("detentions", detentions).errors
    assert (error.row, error.column) == (2, "sources.id")
    sources = "kind,title,links.kind,links.id,links.quote\nnews,A,rally,1,q\nnews,B,raid,99999,\n"
    errors = [(e.row, e.column) for e in import_file("sources", sources).errors]
    assert errors == [(2, "links.kind"), (3, "links.id")]
    assert not Detention.objects.exists()
    assert not SourceLink.objects.exists()


def test_detention_source_links_created_and_replaced(import_file, db):
    person = PersonFactory()
    first, second = SourceFactory(), SourceFactory()
    header = "date,person.id,sources.id,sources.title,sources.quote"
    content = f"{header}\n2021-07-14,{person.pk},{first.pk} | {second.pk},x | y,said | wrote\n"
    assert import_file("detentions", content).errors == []
    detention = Detention.objects.get()
    links = detention.source_links.order_by("id")
    assert list(links.values_list("source_id", "quote")) == [
        (first.pk, "said"),
        (second.pk, "wrote"),
    ]
    assert note(links[0]) == "imported from records.csv, row 2"
    logged = RecordChange.objects.filter(kind="source")
    assert set(logged.values_list("record_id", flat=True)) == {first.pk, second.pk}
    content = f"id,date,sources.id,sources.quote\n{detention.pk},2021-07-14,{second.pk},wrote\n"
    result = import_file("detentions", content, name="again.csv", update_by="id")
    assert (result.errors, result.count("updated")) == ([], 1)
    assert list(detention.source_links.values_list("source_id", flat=True)) == [second.pk]
    assert SourceLink.history.filter(history_change_reason="imported from again.csv, row 2")


def test_source_links_from_the_sources_side(import_file, db):
    detention, person = DetentionFactory(), PersonFactory()
    content = (
        "kind,title,links.kind,links.id,links.quote\n"
        f"news,Raids,detention | person,{detention.pk} | {person.pk},held | named\n"
    )
    assert import_file("sources", content).errors == []
    links = SourceLink.objects.order_by("id")
    assert [(link.detention_id, link.person_id, link.quote) for link in links] == [
        (detention.pk, None, "held"),
        (None, person.pk, "named"),
    ]
    assert note(links[0]) == "imported from records.csv, row 2"
