"""Two people open the same record; the second to save is refused and loses nothing."""

import threading

import pytest
from django.db import connections, transaction
from django.test import Client
from django.urls import reverse

from incidents.models import Raid
from tests.admin_forms import form_data
from tracker import workflow

ORIGINAL_NARRATIVE = "Equipment, computers and cell phones were seized."


@pytest.fixture
def sessions(editor, reviewer):
    first, second = Client(), Client()
    first.force_login(editor)
    second.force_login(reviewer)
    return first, second


def test_second_save_is_refused_with_who_and_when(sessions, draft):
    first, second = sessions
    url = reverse("admin:incidents_raid_change", args=[draft.pk])
    mine, theirs = form_data(first.get(url)), form_data(second.get(url))
    mine["settlement"] = "Orsha"
    assert first.post(url, mine).status_code == 302
    theirs["narrative"] = "A second account of the search."
    refused = second.post(url, theirs)
    assert refused.status_code == 200
    errors = refused.context["adminform"].form.non_field_errors()
    assert "changed by editor at" in errors[0]
    assert refused.context["adminform"].form["narrative"].value() == theirs["narrative"]
    draft.refresh_from_db()
    assert (draft.settlement, draft.narrative) == ("Orsha", ORIGINAL_NARRATIVE)


def test_second_save_of_inline_rows_is_refused_too(sessions, draft):
    first, second = sessions
    url = reverse("admin:incidents_raid_change", args=[draft.pk])
    mine, theirs = form_data(first.get(url)), form_data(second.get(url))
    assert first.post(url, mine).status_code == 302
    theirs["seized_items-0-count"] = "7"
    assert second.post(url, theirs).status_code == 200
    assert draft.seized_items.get().count == 2


def test_a_status_change_meanwhile_also_refuses_the_stale_form(sessions, draft, editor):
    first, _second = sessions
    url = reverse("admin:incidents_raid_change", args=[draft.pk])
    mine = form_data(first.get(url))
    workflow.submit(draft, by=editor)
    mine["settlement"] = "Orsha"
    assert first.post(url, mine).status_code == 200
    draft.refresh_from_db()
    assert draft.settlement == "Minsk"


def test_an_unchallenged_save_goes_through_and_bumps_the_version(sessions, draft):
    first, _second = sessions
    url = reverse("admin:incidents_raid_change", args=[draft.pk])
    data = form_data(first.get(url))
    data["settlement"] = "Orsha"
    assert first.post(url, data).status_code == 302
    draft.refresh_from_db()
    assert (draft.settlement, draft.version, draft.updated_by.username) == ("Orsha", 2, "editor")


def test_a_save_waits_for_a_save_in_progress_and_is_then_refused(
    transactional_db, reviewer, editor, raid_by
):
    draft = raid_by(editor)
    client = Client()
    client.force_login(reviewer)
    url = reverse("admin:incidents_raid_change", args=[draft.pk])
    data = {**form_data(client.get(url)), "narrative": "Saved a moment too late"}
    outcome = {}

    def save_in_another_session() -> None:
        try:
            outcome["status"] = client.post(url, data).status_code
        finally:
            connections.close_all()

    with transaction.atomic():
        first = Raid.objects.select_for_update().get(pk=draft.pk)
        first.settlement = "Orsha"
        first.save()
        second = threading.Thread(target=save_in_another_session)
        second.start()
        second.join(timeout=1)
        assert second.is_alive()  # waiting for the row lock
    second.join(timeout=30)
    assert outcome["status"] == 200
    draft.refresh_from_db()
    assert (draft.settlement, draft.narrative) == ("Orsha", ORIGINAL_NARRATIVE)


def test_saving_a_record_published_since_it_was_opened_keeps_the_input_and_says_who(
    sessions, in_review, reviewer
):
    first, _second = sessions
    url = reverse("admin:incidents_raid_change", args=[in_review.pk])
    mine = {**form_data(first.get(url)), "narrative": "Three laptops, not two."}
    workflow.publish(in_review, by=reviewer)
    refused = first.post(url, mine)
    assert refused.status_code == 200
    error = refused.context["adminform"].form.non_field_errors()[0]
    assert error.startswith("This record was published by reviewer at")
    assert "read-only" in error
    assert refused.context["adminform"].form["narrative"].value() == "Three laptops, not two."
    in_review.refresh_from_db()
    assert in_review.narrative == ORIGINAL_NARRATIVE


def test_saving_a_record_rejected_since_it_was_opened_gives_the_reviewers_reason(
    sessions, in_review, reviewer
):
    first, _second = sessions
    url = reverse("admin:incidents_raid_change", args=[in_review.pk])
    mine = {**form_data(first.get(url)), "seized_items-0-count": "3"}
    workflow.reject(in_review, by=reviewer, reason="Only one source")
    refused = first.post(url, mine)
    error = refused.context["adminform"].form.non_field_errors()[0]
    assert "rejected by reviewer" in error
    assert "Reason: Only one source" in error
    items = next(
        inline.formset
        for inline in refused.context["inline_admin_formsets"]
        if inline.formset.prefix == "seized_items"
    )
    assert items.forms[0]["count"].value() == "3"
    assert in_review.seized_items.get().count == 2


def test_saving_a_record_sent_back_since_it_was_opened_says_so(sessions, in_review, reviewer):
    first, _second = sessions
    url = reverse("admin:incidents_raid_change", args=[in_review.pk])
    mine = {**form_data(first.get(url)), "settlement": "Orsha"}
    workflow.send_back(in_review, by=reviewer, reason="Check the date")
    error = first.post(url, mine).context["adminform"].form.non_field_errors()[0]
    assert "sent back to draft by reviewer" in error
    assert "open the record in a new tab" in error
    in_review.refresh_from_db()
    assert in_review.settlement == "Minsk"


def test_a_decided_record_posted_with_its_current_version_still_saves_nothing(sessions, published):
    first, _second = sessions
    url = reverse("admin:incidents_raid_change", args=[published.pk])
    data = {"date": "2021-07-14", "date_precision": "day", "region": "unknown"}
    data |= {"premises_type": "office", "settlement": "Orsha", "visibility": "public"}
    data |= {"seen_version": published.version}
    for prefix in ("seized_items", "source_links"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    assert first.post(url, data).status_code == 200
    published.refresh_from_db()
    assert published.settlement == "Minsk"


def test_after_a_refused_save_the_heading_names_the_stored_record(sessions, draft):
    first, _second = sessions
    url = reverse("admin:incidents_raid_change", args=[draft.pk])
    refused = first.post(url, {**form_data(first.get(url)), "settlement": "Orsha", "date": ""})
    assert refused.status_code == 200
    assert refused.context["subtitle"] == "Office raid, Minsk, 14 July 2021"
    page = refused.content.decode()
    assert "<h2>Office raid, Minsk, 14 July 2021</h2>" in page
    assert "Office raid, Orsha" not in page
