"""The review queue: records in review, oldest submission first, with the submitter."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from incidents.models import Source
from tracker import workflow
from tracker.review import Status
from tracker.review_queue import PREVIEW_LIMIT

QUEUE = reverse("review_queue")


def test_queue_lists_records_in_review_oldest_first_with_submitter(
    reviewer_client, editor, reviewer, raid_by, time_machine
):
    time_machine.move_to("2026-01-02 10:00Z")
    later = workflow.submit(raid_by(editor), by=editor)
    time_machine.move_to("2026-01-01 10:00Z")
    source = Source.objects.create(kind=Source.Kind.NEWS, title="Euronews", created_by=reviewer)
    earlier = workflow.submit(source, by=reviewer)
    raid_by(editor)  # a draft: not in the queue
    rows = reviewer_client.get(QUEUE).context["rows"]
    assert [(row["record"], row["submitted_by"]) for row in rows] == [
        (earlier, "reviewer"),
        (later, "editor"),
    ]


def test_queue_costs_the_same_for_any_number_of_records(reviewer_client, editor, raid_by):
    # The oldest records are previewed (a few queries each); the rest cost nothing more.
    for _ in range(PREVIEW_LIMIT + 1):
        raid_by(editor, status=Status.IN_REVIEW)
    with CaptureQueriesContext(connection) as few:
        reviewer_client.get(QUEUE)
    for _ in range(5):
        raid_by(editor, status=Status.IN_REVIEW)
    with CaptureQueriesContext(connection) as many:
        response = reviewer_client.get(QUEUE)
    assert len(response.context["rows"]) == PREVIEW_LIMIT + 6
    assert len(many) == len(few)


def test_admin_index_links_to_the_queue(reviewer_client):
    assert QUEUE.encode() in reviewer_client.get(reverse("admin:index")).content
