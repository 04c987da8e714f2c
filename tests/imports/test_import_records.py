"""Rows become drafts, link people by name in any script, and update only what they change."""

import csv
import io

from django.core.management import call_command

from incidents.models import Charge, Detention
from organisations.models import Person
from tests.factories import DetentionFactory, OrganisationFactory, PersonFactory
from tracker.review import Status

HEADER = "date,person.name,region,charges.code_article,charges.text"


def history_count() -> int:
    return Detention.history.count() + Person.history.count() + Charge.history.count()


def test_dry_run_writes_nothing_and_counts_what_it_would_do(import_file, db):
    PersonFactory(name="Ales Bialiatski")
    before = (Detention.objects.count(), Charge.objects.count(), history_count())
    content = f"{HEADER}\n2021-07-14,Ales Bialiatski,BY-HM,CC 342 | CC 361,riots | calls\n"
    result = import_file("detentions", content, dry_run=True)
    assert (result.count("created"), result.errors) == (1, [])
    assert (Detention.objects.count(), Charge.objects.count(), history_count()) == before


def test_imported_detention_is_a_draft_with_its_charges_and_a_history_note(import_file, db):
    PersonFactory(name="Ales Bialiatski")
    import_file("detentions", f"{HEADER}\n2021-07-14,Ales Bialiatski,BY-HM,CC 342 | CC 361,a | b\n")
    detention = Detention.objects.get()
    assert detention.status == Status.DRAFT
    assert list(detention.charges.values_list("code_article", flat=True)) == ["CC 342", "CC 361"]
    assert detention.history.get().history_change_reason == "imported from records.csv, row 2"


def test_name_in_another_script_links_the_existing_person(import_file, db):
    person = PersonFactory(name="Ales Bialiatski")
    import_file("detentions", f"{HEADER}\n2021-07-14,Алесь Бяляцкі,BY-HM,,\n")
    assert Detention.objects.get().person == person


def test_ambiguous_name_is_an_error_listing_the_candidates(import_file, db):
    first, second = PersonFactory(name="Ivan Ivanou"), PersonFactory(name="Ivan Ivanou")
    result = import_file("detentions", f"{HEADER}\n2021-07-14,Ivan Ivanou,BY-HM,,\n")
    (error,) = result.errors
    assert error.column == "person.name"
    assert f"id {first.pk}" in error.message
    assert f"id {second.pk}" in error.message


def test_unknown_person_is_created_only_when_the_row_says_so(import_file, db):
    header = "date,person.name,person.pseudonym,create_person,region"
    result = import_file("detentions", f"{header}\n2021-07-14,Nina New,N.,,BY-HM\n")
    assert result.errors[0].column == "person.name"
    assert not Person.objects.exists()
    import_file("detentions", f"{header}\n2021-07-14,Nina New,N.,yes,BY-HM\n")
    assert Detention.objects.get().person.name == "Nina New"


def test_every_validation_error_is_reported_with_row_and_column(import_file, db):
    PersonFactory(name="Ales Bialiatski")
    header = "date,date_precision,person.name,region,release_date,outcome"
    rows = ["2021-07-15,month,Ales Bialiatski,BY-HM,,", "2021-07-14,,Ales Bialiatski,BY-XX,,"]
    rows.append("2021-07-14,,Ales Bialiatski,BY-HM,2021-07-01,released")
    result = import_file("detentions", "\n".join([header, *rows]))
    found = {(e.row, e.column) for e in result.errors}
    assert found == {(2, "date"), (3, "region"), (4, "release_date")}


def test_published_record_is_not_updated(import_file, db):
    detention = DetentionFactory(status=Status.PUBLISHED)
    content = f"id,date,person.id,region\n{detention.pk},2021-07-15,{detention.person_id},BY-HM\n"
    result = import_file("detentions", content, update_by="id")
    assert "send it back to draft" in result.errors[0].message


def test_update_by_external_ref(import_file, db):
    detention = DetentionFactory(status=Status.DRAFT, external_ref="V-17", region="BY-HM")
    content = f"external_ref,date,person.id,region\nV-17,2021-07-14,{detention.person_id},BY-BR\n"
    import_file("detentions", content, update_by="external_ref")
    assert Detention.objects.get().region == "BY-BR"


def test_authority_linked_by_name(import_file, db):
    kgb = OrganisationFactory(name="KGB", is_state_actor=True)
    person = PersonFactory()
    import_file(
        "detentions", f"date,person.id,authority.name,region\n2021-07-14,{person.pk},KGB,BY-HM\n"
    )
    assert Detention.objects.get().authority == kgb


def test_round_trip_of_an_export_changes_exactly_the_edited_records(admin_client, tmp_path):
    drafts = DetentionFactory.create_batch(3, status=Status.DRAFT, region="BY-HM")
    response = admin_client.get("/api/v1/export/detentions/?format=csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    rows[0]["legal_track"], rows[1]["settlement"] = "administrative", "Orsha"
    path = tmp_path / "detentions.csv"
    with path.open("w", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=rows[0].keys())
        writer.writeheader()
        writer.writerows(rows)
    call_command("import_records", "detentions", str(path), "--update-by", "id")
    changed = [d for d in drafts if d.history.count() > 1]
    assert len(changed) == 2
    notes = {d.history.latest().history_change_reason for d in changed}
    assert all(n.startswith("imported from detentions.csv") for n in notes)


def test_row_with_an_id_is_refused_unless_updating_by_id(import_file, db):
    detention = DetentionFactory(status=Status.DRAFT)
    content = f"id,date,person.id,region\n{detention.pk},2021-07-14,{detention.person_id},BY-HM\n"
    result = import_file("detentions", content)
    assert [(e.row, e.column) for e in result.errors] == [(2, "id")]
    assert Detention.objects.count() == 1


def export_csv(client, kind: str) -> str:
    response = client.get(f"/api/v1/export/{kind}/?format=csv")
    return b"".join(response.streaming_content).decode()


def test_queries_do_not_grow_with_the_rows(import_file, admin_client, db):
    """New rows are looked up and inserted per chunk; an unchanged re-import reads per chunk."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import SourceFactory

    people = [PersonFactory(name=name) for name in ("Ales Bialiatski", "Nina Bahinskaya")]
    source = SourceFactory()
    counts = []
    for rows in (3, 6):
        lines = [f"{HEADER},sources.id,sentence.court,sentence.date,sentence.kind"]
        lines += [
            f"2021-07-14,{people[n % 2].name},BY-HM,CC 342 | CC 361,a | b,{source.pk},"
            "Minsk City Court,2022-01-10,colony"
            for n in range(rows)
        ]
        with CaptureQueriesContext(connection) as queries:
            result = import_file("detentions", "\n".join(lines) + "\n")
        assert (result.errors, result.count("created")) == ([], rows)
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert Detention.objects.count() == 9
    assert Charge.objects.filter(detention__in=Detention.objects.all()).count() == 18
    counts = []
    for rows in (4, 9):
        Detention.objects.filter(pk__in=Detention.objects.order_by("pk")[rows:]).update(
            status=Status.PUBLISHED
        )
        content = export_csv(admin_client, "detentions")
        content = "\n".join(line for line in content.splitlines() if ",published," not in line)
        with CaptureQueriesContext(connection) as queries:
            result = import_file("detentions", content + "\n", update_by="id")
        assert result.errors == []
        assert result.count("unchanged") == rows
        counts.append(len(queries))
        Detention.objects.update(status=Status.DRAFT)
    assert counts[0] == counts[1]
