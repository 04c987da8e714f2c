"""Importing straight into review: a submit's rules and records, for those who may submit."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from incidents.models import Detention
from organisations.models import Person
from tests.factories import DetentionFactory, PersonFactory
from tracker import importing
from tracker.changes import RecordChange
from tracker.models import StatusChange
from tracker.review import Status

URL = "/admin/incidents/detention/import/"
HEADER = "date,person.name,person.pseudonym,create_person,region"
ROWS = f"{HEADER}\n2021-07-14,Ales Bialiatski,,,BY-HM\n2021-07-15,Nina New,N.,yes,BY-HM\n"


@pytest.fixture
def importer_only(db, django_user_model):
    """Staff given the import permission alone, without the right to submit."""
    user = django_user_model.objects.create_user("importer", "i@example.org", "x" * 16)
    user.is_staff = True
    user.save()
    codenames = ("import_records", "view_detention", "add_detention", "change_detention")
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


def test_records_imported_into_review_are_submitted_as_a_submit_would(import_file, superuser):
    linked = PersonFactory(name="Ales Bialiatski", status=Status.DRAFT)
    result = import_file("detentions", ROWS, status=Status.IN_REVIEW)
    assert result.errors == []
    detentions = list(Detention.objects.order_by("date"))
    created_person = Person.objects.get(name="Nina New")
    assert {d.status for d in detentions} == {Status.IN_REVIEW}
    assert created_person.status == Status.IN_REVIEW  # created by a row, submitted with it
    linked.refresh_from_db()
    assert linked.status == Status.DRAFT  # only linked to: left as it was
    for detention in detentions:
        reasons = list(
            detention.history.order_by("history_id").values_list(
                "history_change_reason", "status", "history_user"
            )
        )
        assert reasons[-1] == ("submitted for review", Status.IN_REVIEW, superuser.pk)
        assert reasons[0][0].startswith("imported from records.csv, row ")
        assert detention.version == 2
    changes = StatusChange.objects.filter(to_status=Status.IN_REVIEW)
    assert changes.count() == 3
    assert {(c.from_status, c.by_id) for c in changes} == {(Status.DRAFT, superuser.pk)}
    logged = RecordChange.objects.filter(kind="detention", status=Status.DRAFT)
    assert set(logged.values_list("record_id", flat=True)) == {d.pk for d in detentions}


def test_never_published_and_records_in_review_stay_in_review(import_file, db):
    detention = DetentionFactory(status=Status.IN_REVIEW)
    date = detention.date.isoformat()
    content = f"id,date,settlement\n{detention.pk},{date},Pishchalauski\n"
    result = import_file("detentions", content, update_by="id", status=Status.IN_REVIEW)
    assert result.errors == []
    detention.refresh_from_db()
    assert (detention.status, detention.settlement) == (Status.IN_REVIEW, "Pishchalauski")
    assert not StatusChange.objects.exists()
    with pytest.raises(importing.FileRefused):
        import_file("detentions", ROWS, status=Status.PUBLISHED)
    assert not Detention.objects.filter(status=Status.PUBLISHED).exists()


def test_dry_run_into_review_writes_nothing(import_file, db):
    PersonFactory(name="Ales Bialiatski")
    result = import_file("detentions", ROWS, dry_run=True, status=Status.IN_REVIEW)
    assert (result.count("created"), result.errors) == (2, [])
    assert not Detention.objects.exists()
    assert not StatusChange.objects.exists()
    assert not RecordChange.objects.exists()


def test_only_those_who_may_submit_import_into_review(tmp_path, importer_only, client):
    path = tmp_path / "records.csv"
    path.write_text(ROWS)
    with pytest.raises(importing.FileRefused, match="does not allow"):
        importing.run(
            "detentions", path, by=importer_only, file_name="records.csv", dry_run=True,
            status=Status.IN_REVIEW,
        )  # fmt: skip
    client.force_login(importer_only)
    page = client.get(URL)
    assert page.status_code == 200
    assert b'value="in_review"' not in page.content
    response = client.post(
        URL, {"file": SimpleUploadedFile("d.csv", ROWS.encode()), "status": Status.IN_REVIEW}
    )
    assert "status" in response.context["form"].errors
    assert not Detention.objects.exists()


def test_admin_page_imports_into_review(reviewer_client, reviewer):
    PersonFactory(name="Ales Bialiatski")
    content = f"{HEADER}\n2021-07-14,Ales Bialiatski,,,BY-HM\n".encode()
    page = reviewer_client.get(URL)
    assert b'value="in_review"' in page.content
    response = reviewer_client.post(
        URL, {"file": SimpleUploadedFile("d.csv", content), "status": Status.IN_REVIEW}
    )
    assert b"will be submitted for review" in response.content
    reviewer_client.post(URL, {"token": response.context["token"]})
    detention = Detention.objects.get()
    assert detention.status == Status.IN_REVIEW
    assert StatusChange.objects.get().by == reviewer


def test_command_imports_into_review_for_a_user_who_may_submit(tmp_path, reviewer):
    PersonFactory(name="Ales Bialiatski")
    path = tmp_path / "records.csv"
    path.write_text(f"{HEADER}\n2021-07-14,Ales Bialiatski,,,BY-HM\n")
    with pytest.raises(CommandError, match="does not allow"):
        call_command("import_records", "detentions", str(path), "--status", "review")
    assert not Detention.objects.exists()
    call_command(
        "import_records", "detentions", str(path), "--status", "review", "--user", "reviewer"
    )
    assert Detention.objects.get().status == Status.IN_REVIEW
