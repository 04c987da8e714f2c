"""Purge erases a record, its dependent rows, history, admin log and files; an id remains."""

import datetime
import os

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from incidents import reports
from incidents.models import Detention, NightlyReport, Raid, SeizedItem, Source, SourceLink
from organisations.models import Person
from tests.factories import DetentionFactory
from tracker import workflow
from tracker.models import PurgeLog, StatusChange

SECRET = "Hidden at 12 Lenin St"
HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_purge_leaves_only_kind_id_who_and_when(draft, editor, reviewer):
    draft.narrative = SECRET
    draft.save()
    source = Source.objects.create(kind=Source.Kind.WITNESS, title="Witness")
    SourceLink.objects.create(source=source, raid=draft, quote=SECRET)
    workflow.submit(draft, by=editor)
    content_type = ContentType.objects.get_for_model(Raid)
    LogEntry.objects.log_actions(editor.pk, [draft], CHANGE, change_message=SECRET)
    pk = draft.pk
    entry = workflow.purge(draft, by=reviewer)
    assert not Raid.objects.filter(pk=pk).exists()
    assert not Raid.history.filter(id=pk).exists()
    assert not SeizedItem.history.filter(raid_id=pk).exists()
    assert not SourceLink.history.filter(raid_id=pk).exists()
    assert not LogEntry.objects.filter(content_type=content_type, object_id=str(pk)).exists()
    assert not StatusChange.objects.filter(content_type=content_type, object_id=pk).exists()
    assert (entry.kind, entry.object_id, entry.purged_by) == ("incidents.raid", pk, reviewer)
    assert Source.objects.filter(pk=source.pk).exists()


def test_purge_erases_the_history_of_rows_deleted_before(draft, reviewer, raid_by, editor):
    item = draft.seized_items.get()
    item.description = SECRET
    item.save()
    item.delete()
    other = raid_by(editor)
    Detention.objects.create(
        person=Person.objects.create(name="P", may_be_named=True), date=draft.date, raid=draft
    )
    workflow.purge(draft, by=reviewer)
    assert not SeizedItem.history.filter(id=item.pk).exists()
    assert SeizedItem.history.filter(raid_id=other.pk).exists()
    assert Detention.history.filter(raid_id=draft.pk).exists()  # a living detention's past


def test_purge_erases_a_person_from_past_versions_of_raids(draft, reviewer):
    person = Person.objects.create(name="P", may_be_named=True)
    draft.target_people.add(person)
    past_targets = Raid.history.model.target_people.model.objects
    assert past_targets.filter(person=person).exists()
    workflow.purge(person, by=reviewer)
    assert not past_targets.filter(person_id=person.pk).exists()
    assert Raid.history.filter(id=draft.pk).exists()


def test_purge_deletes_uploaded_files_of_every_version(
    media, reviewer, django_capture_on_commit_callbacks
):
    source = Source.objects.create(kind=Source.Kind.WITNESS, title="Witness")
    source.file.save("first.txt", ContentFile(SECRET.encode()))
    first = source.file.name
    source.file.save("second.txt", ContentFile(b"second"))
    second = source.file.name
    with django_capture_on_commit_callbacks(execute=True):
        workflow.purge(source, by=reviewer)
    assert not default_storage.exists(first)
    assert not default_storage.exists(second)


def test_a_person_with_detentions_is_purged_after_them(reviewer, in_review):
    person = Person.objects.create(name="Ihar", pseudonym="I.", may_be_named=False)
    detention = Detention.objects.create(person=person, date=in_review.date)
    with pytest.raises(workflow.WorkflowError, match="detentions"):
        workflow.purge(person, by=reviewer)
    assert Person.objects.filter(pk=person.pk).exists()
    workflow.purge(detention, by=reviewer)
    workflow.purge(person, by=reviewer)
    assert list(PurgeLog.objects.values_list("kind", flat=True)) == [
        "organisations.person",
        "incidents.detention",
    ]


def test_data_entry_cannot_purge(editor, draft):
    with pytest.raises(workflow.WorkflowError):
        workflow.purge(draft, by=editor)
    assert Raid.objects.filter(pk=draft.pk).exists()


def test_purge_through_the_admin_asks_for_confirmation(reviewer_client, draft):
    changelist = reverse("admin:incidents_raid_changelist")
    data = {"action": "purge_selected", ACTION_CHECKBOX_NAME: [draft.pk]}
    assert b'name="confirm"' in reviewer_client.post(changelist, data).content
    assert Raid.objects.filter(pk=draft.pk).exists()
    reviewer_client.post(changelist, {**data, "apply": "1", "confirm": "on"})
    assert not Raid.objects.filter(pk=draft.pk).exists()
    assert PurgeLog.objects.get().object_id == draft.pk


def test_purge_button_needs_the_record_number_typed(reviewer_client, draft):
    url = reverse("admin:incidents_raid_workflow", args=[draft.pk])
    reviewer_client.post(url, {"action": "purge"})
    reviewer_client.post(url, {"action": "purge", "confirm": str(draft.pk + 1)})
    assert Raid.objects.filter(pk=draft.pk).exists()
    response = reviewer_client.post(url, {"action": "purge", "confirm": f"#{draft.pk}"})
    assert response.url == reverse("admin:incidents_raid_changelist")
    assert not Raid.objects.filter(pk=draft.pk).exists()


def test_reviewers_read_the_purge_log_which_holds_no_content(reviewer_client, reviewer, draft):
    draft.narrative = SECRET
    draft.save()
    workflow.purge(draft, by=reviewer)
    page = reviewer_client.get(reverse("admin:tracker_purgelog_changelist")).content.decode()
    assert "incidents.raid" in page
    assert SECRET not in page


def test_purge_discards_reports_made_since_the_record_existed(
    media, reviewer, django_capture_on_commit_callbacks
):
    older = reports.make_report(day=datetime.date(2021, 7, 14))
    detention = DetentionFactory(date=datetime.date(2021, 7, 14))
    NightlyReport.objects.filter(pk=older.pk).update(made_at=detention.created_at - HOUR)
    newer = reports.make_report(day=datetime.date(2021, 7, 15))
    assert str(detention.pk) in newer.csv.read().decode()
    path = newer.csv.path
    with django_capture_on_commit_callbacks(execute=True):
        workflow.purge(detention, by=reviewer)
    assert list(NightlyReport.objects.all()) == [older]
    assert not os.path.exists(path)
