"""The staff's home page: panels of work, people in danger first."""

import datetime

from django.contrib.admin.models import ADDITION, LogEntry
from django.urls import reverse

from incidents.models import Charge, Detention, SeizedItem, SourceLink
from organisations.models import Membership, PersonName
from tests.factories import DetentionFactory
from tracker import workflow
from tracker.models import StatusChange
from tracker.review import Status


def home(client):
    answer = client.get(reverse("admin:index"))
    assert answer.status_code == 200
    return answer.content.decode()


def section(page: str, key: str) -> str:
    start = page.index(f'id="panel-{key}"')
    return page[start : page.index("</section>", start)]


def test_whereabouts_unknown_names_igor_kazmerchak_in_red(client, sample, editor):
    client.force_login(editor)
    panel = section(home(client), "whereabouts")
    assert "Igor Kazmerchak" in panel
    assert 'class="urgent"' in panel  # 14 July 2021 is long past: unknown for > 24 hours
    assert "Ales Bialiatski" not in panel  # whereabouts known


def test_whereabouts_unknown_longest_first_and_rejected_left_out(client, sample, editor):
    kazmerchak = Detention.objects.get(person__name="Igor Kazmerchak")
    newer = DetentionFactory(
        person=kazmerchak.person, date=datetime.date(2022, 1, 5), whereabouts_known=False
    )
    DetentionFactory(
        person=kazmerchak.person,
        date=datetime.date(2022, 2, 5),
        whereabouts_known=False,
        status=Status.REJECTED,
    )
    client.force_login(editor)
    panel = section(home(client), "whereabouts")
    assert panel.index(f"/detention/{kazmerchak.pk}/") < panel.index(f"/detention/{newer.pk}/")
    assert panel.count("<li") == 2


def test_in_custody_counts_people_held_now(client, sample, editor):
    client.force_login(editor)
    panel = section(home(client), "custody")
    held = Detention.objects.exclude(status=Status.REJECTED).in_custody().count()
    assert f'<strong id="in-custody-count">{held}</strong>' in panel
    assert held == 3


def test_my_work_lists_review_returned_and_drafts(client, editor, reviewer, raid_by):
    waiting = workflow.submit(raid_by(editor, settlement="Hrodna"), by=editor)
    workflow.send_back(
        workflow.submit(raid_by(editor, settlement="Brest"), by=editor),
        by=reviewer,
        reason="Add the source",
    )
    draft = raid_by(editor, settlement="Pinsk")
    client.force_login(editor)
    panel = section(home(client), "work")
    assert "Waiting for my review" not in panel  # data entry does not review
    returned_list = panel[panel.index('id="work-returned"') : panel.index('id="work-drafts"')]
    assert "Brest" in returned_list
    assert "Add the source" in returned_list
    assert "Pinsk" in panel[panel.index('id="work-drafts"') :]
    assert "Hrodna" not in panel
    client.force_login(reviewer)
    panel = section(home(client), "work")
    review_list = panel[panel.index('id="work-review"') : panel.index('id="work-returned"')]
    assert f"/raid/{waiting.pk}/" in review_list
    assert draft.settlement not in panel


def test_colleagues_changes_leave_out_my_own(client, editor, reviewer, raid_by):
    raid = raid_by(editor, settlement="Hrodna")
    for user in (editor, reviewer):
        LogEntry.objects.log_actions(
            user.pk, [raid], ADDITION, change_message=f"by {user.username}", single_object=True
        )
    client.force_login(reviewer)
    panel = section(home(client), "changes")
    assert "editor" in panel
    assert f"/raid/{raid.pk}/" in panel
    assert "reviewer:" not in panel


def test_quick_links_follow_permissions(client, editor, researcher):
    client.force_login(editor)
    panel = section(home(client), "add")
    assert reverse("admin:incidents_raid_add") in panel
    assert reverse("admin:incidents_detention_add") in panel


def test_rows_of_records_leave_the_home_page_but_keep_their_lists(admin_client, sample):
    page = home(admin_client)
    for model in (Charge, SeizedItem, SourceLink, Membership, PersonName, StatusChange):
        changelist = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert f'href="{changelist}"' not in page
        assert admin_client.get(changelist).status_code == 200
    assert reverse("admin:incidents_raid_changelist") in page


def test_home_page_query_count_does_not_grow_with_records(
    client, sample, editor, django_assert_max_num_queries
):
    client.force_login(editor)
    with django_assert_max_num_queries(30):
        home(client)


def test_home_page_is_for_staff_only(client, researcher):
    client.force_login(researcher)
    assert client.get(reverse("admin:index")).status_code == 302
