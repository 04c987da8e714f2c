"""The workflow through the admin: buttons, changelist actions, read-only decided records."""

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from incidents.models import Raid, SeizedItem, Source
from tracker import workflow
from tracker.review import Status


def change_url(record) -> str:
    return reverse("admin:incidents_raid_change", args=[record.pk])


def step_url(record) -> str:
    return reverse("admin:incidents_raid_workflow", args=[record.pk])


CHANGELIST = reverse("admin:incidents_raid_changelist")


def test_data_entry_submits_from_the_change_page(editor_client, draft):
    response = editor_client.post(step_url(draft), {"action": "submit"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.IN_REVIEW


def test_change_page_offers_only_the_users_steps(editor_client, draft, in_review):
    assert b'id="workflow-submit"' in editor_client.get(change_url(draft)).content
    assert b'id="workflow-' not in editor_client.get(change_url(in_review)).content


def test_publish_button_refuses_a_record_changed_since_it_was_opened(reviewer_client, in_review):
    seen = in_review.version
    in_review.narrative = "Changed while the reviewer read it"
    in_review.save()
    response = reviewer_client.post(
        step_url(in_review), {"action": "publish", "version": seen}, follow=True
    )
    assert "changed since you opened it" in response.content.decode()
    in_review.refresh_from_db()
    assert in_review.status == Status.IN_REVIEW


def test_refused_button_step_shows_why_and_changes_nothing(editor_client, in_review):
    response = editor_client.post(step_url(in_review), {"action": "publish"}, follow=True)
    assert "Your role does not allow this step." in response.content.decode()
    in_review.refresh_from_db()
    assert in_review.status == Status.IN_REVIEW


def test_reviewer_rejects_from_the_changelist_after_giving_a_reason(reviewer_client, in_review):
    data = {"action": "reject_selected", ACTION_CHECKBOX_NAME: [in_review.pk]}
    asked = reviewer_client.post(CHANGELIST, data)
    assert b'name="reason"' in asked.content
    reviewer_client.post(CHANGELIST, {**data, "apply": "1", "reason": "Unconfirmed"})
    in_review.refresh_from_db()
    assert (in_review.status, in_review.status_reason) == (Status.REJECTED, "Unconfirmed")


def test_bulk_publish_writes_history_for_each_record(reviewer_client, editor, raid_by):
    raids = [raid_by(editor, status=Status.IN_REVIEW) for _ in range(3)]
    data = {"action": "publish_selected", ACTION_CHECKBOX_NAME: [r.pk for r in raids]}
    reviewer_client.post(CHANGELIST, data)
    for raid in raids:
        latest = raid.history.first()
        assert (latest.status, latest.history_user.username) == ("published", "reviewer")


def test_data_entry_has_no_publish_action(editor_client, in_review):
    actions = editor_client.get(CHANGELIST).context["action_form"].fields["action"].choices
    names = {name for name, _label in actions}
    assert "submit_selected" in names
    assert names.isdisjoint({"publish_selected", "purge_selected", "delete_selected"})
    editor_client.post(
        CHANGELIST, {"action": "publish_selected", ACTION_CHECKBOX_NAME: in_review.pk}
    )
    in_review.refresh_from_db()
    assert in_review.status == Status.IN_REVIEW


def test_published_record_is_read_only(editor_client, reviewer_client, published):
    page = editor_client.get(change_url(published))
    assert page.context["has_change_permission"] is False
    assert not page.context["inline_admin_formsets"][0].has_add_permission
    for client in (editor_client, reviewer_client):
        refused = client.post(change_url(published), {"settlement": "Orsha"})
        assert refused.status_code == 200  # the form comes back with the input, not a 403
        assert "read-only" in refused.context["adminform"].form.non_field_errors()[0]
    published.refresh_from_db()
    assert published.settlement == "Minsk"


def test_published_record_changes_after_being_sent_back(reviewer, editor_client, published):
    workflow.send_back(published, by=reviewer, reason="Wrong city")
    assert editor_client.get(change_url(published)).context["has_change_permission"] is True


def test_change_page_shows_the_history_field_by_field(editor_client, draft):
    draft.settlement = "Orsha"
    draft.save()
    versions = editor_client.get(change_url(draft)).context["record_versions"]
    assert [(c["field"], c["old"], c["new"]) for c in versions[0].changes] == [
        ("Settlement", "Minsk", "Orsha")
    ]
    assert versions[-1].history_type == "+"


def test_history_names_status_changes_by_their_labels(editor_client, editor, draft):
    workflow.submit(draft, by=editor)
    latest = editor_client.get(change_url(draft)).context["record_versions"][0]
    assert [(c["field"], c["old"], c["new"]) for c in latest.changes] == [
        ("Review status", "draft", "in review")
    ]
    assert latest.history_change_reason == "submitted for review"


def test_a_new_raid_saves_with_its_seized_items_and_sources(editor_client, editor):
    source = Source.objects.create(kind=Source.Kind.NEWS, title="Euronews")
    data = {
        "date": "2021-07-14",
        "date_precision": "day",
        "region": "BY-HM",
        "premises_type": "office",
        "visibility": "public",
        "detentions-TOTAL_FORMS": "0",
        "detentions-INITIAL_FORMS": "0",
        "seized_items-TOTAL_FORMS": "1",
        "seized_items-INITIAL_FORMS": "0",
        "seized_items-0-kind": "phone",
        "seized_items-0-count": "2",
        "source_links-TOTAL_FORMS": "1",
        "source_links-INITIAL_FORMS": "0",
        "source_links-0-source": source.pk,
        "source_links-0-quote": "cell phones",
    }
    response = editor_client.post(reverse("admin:incidents_raid_add"), data)
    assert response.status_code == 302
    raid = Raid.objects.get()
    assert (raid.created_by, raid.status) == (editor, Status.DRAFT)
    assert raid.source_links.get().quote == "cell phones"
    assert raid.seized_items.get().count == 2


def test_history_on_the_change_page_costs_the_same_for_any_length(editor_client, draft):
    with CaptureQueriesContext(connection) as short:
        editor_client.get(change_url(draft))
    for town in ("Orsha", "Brest", "Hrodna", "Homiel", "Viciebsk"):
        draft.settlement = town
        draft.save()
    with CaptureQueriesContext(connection) as long:
        editor_client.get(change_url(draft))
    assert len(long) == len(short)


def test_reviewer_reverts_to_an_earlier_version(reviewer_client, draft):
    first = draft.history.last()
    draft.settlement, draft.narrative = "Orsha", "Wrong"
    draft.save()
    reviewer_client.post(step_url(draft), {"action": "revert", "history_id": first.history_id})
    draft.refresh_from_db()
    assert (draft.settlement, draft.narrative, draft.version) == ("Minsk", first.narrative, 3)
    latest = draft.history.first()
    assert latest.history_change_reason == "reverted to version 1"
    assert latest.history_user.username == "reviewer"


def test_data_entry_cannot_revert(editor_client, draft):
    first = draft.history.last()
    draft.settlement = "Orsha"
    draft.save()
    editor_client.post(step_url(draft), {"action": "revert", "history_id": first.history_id})
    draft.refresh_from_db()
    assert draft.settlement == "Orsha"


def test_revert_of_a_bad_version_id_is_an_error_message(reviewer_client, draft):
    response = reviewer_client.post(
        step_url(draft), {"action": "revert", "history_id": "x"}, follow=True
    )
    assert response.status_code == 200
    assert "does not exist" in response.content.decode()


def test_simple_history_form_cannot_bypass_the_workflow(reviewer_client, draft):
    version = draft.history.last()
    url = reverse("admin:incidents_raid_simple_history", args=[draft.pk, version.history_id])
    assert reviewer_client.get(url).status_code == 200
    assert reviewer_client.post(url, {"settlement": "Orsha"}).status_code == 403


def test_rows_of_a_record_are_edited_only_on_its_page(editor_client, published):
    item = published.seized_items.get()
    url = reverse("admin:incidents_seizeditem_change", args=[item.pk])
    assert editor_client.get(url).status_code == 200
    response = editor_client.post(url, {"raid": published.pk, "kind": "phone", "count": 9})
    assert response.status_code == 403
    assert SeizedItem.objects.get(pk=item.pk).count == 2
