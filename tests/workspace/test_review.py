"""One review panel per record; the queue previews records and publishes them with the
records they name, all or none."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from incidents.models import Detention, Raid, Source, SourceLink
from organisations.models import Organisation, Person
from tracker import workflow
from tracker.models import StatusChange
from tracker.review import Status

QUEUE = reverse("review_queue")
PUBLISH = reverse("review_queue_publish")


def change_url(record) -> str:
    meta = record._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[record.pk])


def key(record) -> str:
    return f"{record._meta.label_lower}:{record.pk}"


def case_in_review(editor, raid_by):
    """A raid naming a new organisation, with a detention of a new person, all in review."""
    raid = raid_by(editor)
    organisation = Organisation.objects.create(name="Viasna", created_by=editor)
    person = Person.objects.create(name="Valiantsin Stefanovich", created_by=editor)
    raid.target_organisations.add(organisation)
    detention = Detention.objects.create(
        person=person, raid=raid, date=datetime.date(2021, 7, 14), created_by=editor
    )
    source = Source.objects.create(kind=Source.Kind.NEWS, title="Euronews", created_by=editor)
    SourceLink.objects.create(source=source, raid=raid, quote="searched")
    for record in (raid, organisation, person, detention, source):
        workflow.submit(record, by=editor)
    return raid, [organisation, person, detention, source]


def test_record_page_has_one_review_panel_with_publish_first(reviewer_client, editor, raid_by):
    raid = workflow.submit(raid_by(editor), by=editor)
    page = reviewer_client.get(change_url(raid)).content.decode()
    assert page.count('id="workflow"') == 1
    assert page.count(">Review</h2>") == 1
    assert 'class="button review-publish default"' in page
    assert 'class="button review-reject"' in page
    danger = page[page.index('id="purge-zone"') :]
    assert "<details" in page[page.index('id="workflow"') : page.index('id="purge-zone"') + 30]
    assert f"number, {raid.pk}, to confirm" in danger


def test_reviewer_who_edited_the_record_is_told_why_they_may_not_publish(
    reviewer_client, reviewer, raid_by
):
    raid = workflow.submit(raid_by(reviewer), by=reviewer)
    page = reviewer_client.get(change_url(raid)).content.decode()
    assert 'id="workflow-publish"' not in page
    assert 'id="publish-refusal"' in page
    assert "another reviewer must publish it" in page


def test_queue_previews_a_new_record_with_its_sources_and_linked_records(
    reviewer_client, editor, raid_by
):
    raid, linked = case_in_review(editor, raid_by)
    page = reviewer_client.get(QUEUE).content.decode()
    preview = page[page.index(f'id="preview-incidentsraid{raid.pk}"') :]
    assert "New record, never published" in preview
    assert "Euronews" in preview  # its source
    assert "4 linked records are not published yet" in preview
    for record in linked:
        assert f'value="{key(record)}" checked' in preview


def test_queue_shows_what_changed_since_the_record_was_last_published(
    reviewer_client, editor, reviewer, raid_by
):
    raid = workflow.publish(workflow.submit(raid_by(editor), by=editor), by=reviewer)
    raid = workflow.send_back(raid, by=reviewer, reason="Say which office")
    raid.settlement = "Homel"
    raid.updated_by = editor
    raid.save()
    raid.seized_items.create(kind="phone", count=4)
    workflow.submit(raid, by=editor)
    page = reviewer_client.get(QUEUE).content.decode()
    preview = page[page.index(f'id="preview-incidentsraid{raid.pk}"') :]
    assert "Changed since it was last published" in preview
    assert "Minsk &rarr; Homel" in preview
    assert "4 × mobile phone" in preview


def test_publish_a_raid_with_its_linked_records_in_one_post(
    reviewer_client, reviewer, editor, raid_by
):
    raid, linked = case_in_review(editor, raid_by)
    answer = reviewer_client.post(PUBLISH, {"record": [key(raid), *map(key, linked)]})
    assert answer.status_code == 302
    for record in (raid, *linked):
        record.refresh_from_db()
        assert record.status == Status.PUBLISHED
        assert record.history.first().history_user == reviewer
        assert StatusChange.objects.filter(
            content_type=ContentType.objects.get_for_model(record),
            object_id=record.pk,
            to_status=Status.PUBLISHED,
            by=reviewer,
        ).exists()


def test_one_refusal_publishes_nothing(reviewer_client, reviewer, editor, raid_by):
    raid, linked = case_in_review(editor, raid_by)
    own = workflow.submit(Organisation.objects.create(name="BAJ", created_by=reviewer), by=reviewer)
    answer = reviewer_client.post(
        PUBLISH, {"record": [key(raid), *map(key, linked), key(own)]}, follow=True
    )
    assert "Nothing was published" in answer.content.decode()
    for record in (raid, *linked, own):
        record.refresh_from_db()
        assert record.status == Status.IN_REVIEW
    assert not StatusChange.objects.filter(to_status=Status.PUBLISHED).exists()


def test_queue_does_not_offer_a_linked_record_the_reviewer_may_not_publish(
    reviewer_client, reviewer, editor, raid_by
):
    raid = raid_by(editor)
    own = workflow.submit(Person.objects.create(name="Ales", created_by=reviewer), by=reviewer)
    raid.target_people.add(own)
    draft = Person.objects.create(name="Marfa Rabkova", created_by=editor)
    raid.target_people.add(draft)
    workflow.submit(raid, by=editor)
    page = reviewer_client.get(QUEUE).content.decode()
    start = page.index(f'id="preview-incidentsraid{raid.pk}"')
    preview = page[start : page.index("</form>", start)]
    assert f'value="{key(own)}"' not in preview
    assert "another reviewer must publish it" in preview
    assert f'value="{key(draft)}"' not in preview
    assert "a draft, not submitted for review" in preview
    assert f'value="{key(raid)}"' in preview


def test_data_entry_cannot_publish_through_the_queue(editor_client, editor, raid_by):
    raid, _linked = case_in_review(editor, raid_by)
    editor_client.post(PUBLISH, {"record": [key(raid)]})
    raid.refresh_from_db()
    assert raid.status == Status.IN_REVIEW


def test_publish_post_refuses_unknown_and_non_record_keys(reviewer_client, superuser):
    answer = reviewer_client.post(PUBLISH, {"record": ["incidents.raid:x"]}, follow=True)
    assert "Unknown record" in answer.content.decode()
    assert (
        reviewer_client.post(PUBLISH, {"record": [f"auth.user:{superuser.pk}"]}).status_code == 403
    )
    assert reviewer_client.get(PUBLISH).status_code == 405
    assert Raid.objects.count() == 0
