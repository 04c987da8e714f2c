"""Two people open the same record; the second to save is refused and loses nothing."""

import threading

import pytest
from django.db import connections, transaction
from django.test import Client
from django.urls import reverse

from incidents import workflow
from incidents.models import Raid
from tests.admin_forms import form_data

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
