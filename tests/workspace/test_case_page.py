"""A case on one page: a raid with its detentions; a person's timeline; labels that tell
raids apart without a query per row."""

import datetime

import pytest
from django.urls import reverse

from incidents.models import Detention, Raid
from organisations.models import Organisation, Person
from tests.admin_forms import form_data
from tracker import workflow
from tracker.review import Status

RAID_ADD = reverse("admin:incidents_raid_add")
JULY_14 = datetime.date(2021, 7, 14)


def raid_change(raid) -> str:
    return reverse("admin:incidents_raid_change", args=[raid.pk])


def new_raid_data(client, **fields) -> dict:
    data = form_data(client.get(RAID_ADD))
    data.update(
        {
            "date": "2021-07-14",
            "settlement": "Minsk",
            "region": "BY-HM",
            "premises_type": "office",
            "visibility": "public",
            **fields,
        }
    )
    return data


def test_raid_page_enters_detentions_in_place_and_submits_the_case(editor_client, editor):
    viasna = Organisation.objects.create(name="Viasna", created_by=editor)
    ales = Person.objects.create(name="Ales Bialiatski", created_by=editor)
    data = new_raid_data(
        editor_client,
        target_organisations=[str(viasna.pk)],
        **{
            "detentions-0-person": str(ales.pk),
            "detentions-0-date": "2021-07-14",
            "detentions-0-custody_place": "Okrestina",
            "detentions-0-outcome": "in_custody",
            "detentions-0-visibility": "public",
            "_submit": "Save and submit for review",
        },
    )
    answer = editor_client.post(RAID_ADD, data)
    raid = Raid.objects.get()
    assert answer.status_code == 302
    assert answer.url == raid_change(raid)
    detention = raid.detentions.get()
    stay = detention.stays.get()  # the place written as the first stay, from the date
    assert (detention.person, stay.place.name, stay.since) == (ales, "Okrestina", JULY_14)
    assert (detention.settlement, detention.region) == ("Minsk", "BY-HM")  # from the raid
    assert (detention.created_by, detention.updated_by) == (editor, editor)
    assert detention.history.count() >= 1
    for record in (raid, detention, viasna, ales):
        record.refresh_from_db()
        assert record.status == Status.IN_REVIEW, record


def test_save_and_submit_leaves_colleagues_drafts_alone(editor_client, editor, reviewer):
    theirs = Person.objects.create(name="Marfa Rabkova", created_by=reviewer)
    data = new_raid_data(editor_client, target_people=[str(theirs.pk)], _submit="1")
    editor_client.post(RAID_ADD, data)
    assert Raid.objects.get().status == Status.IN_REVIEW
    theirs.refresh_from_db()
    assert theirs.status == Status.DRAFT


def test_a_published_detention_is_not_changed_from_the_raid_page(editor_client, editor, reviewer):
    raid = Raid.objects.create(date=JULY_14, premises_type="office", created_by=editor)
    person = Person.objects.create(name="Ales Bialiatski", created_by=editor)
    detention = Detention.objects.create(person=person, raid=raid, date=JULY_14, created_by=editor)
    workflow.publish(workflow.submit(detention, by=editor), by=reviewer)
    data = form_data(editor_client.get(raid_change(raid)))
    data["detentions-0-custody_place"] = "somewhere else"
    answer = editor_client.post(raid_change(raid), data)
    assert answer.status_code == 200
    assert "open it to send it back to draft" in answer.content.decode()
    detention.refresh_from_db()
    assert not detention.stays.exists()


def test_raid_label_names_targets_and_premises():
    raid = Raid(date=JULY_14, premises_type="office", settlement="Minsk")
    assert str(raid) == "Office raid, Minsk, 14 July 2021"


@pytest.mark.django_db
def test_saved_raid_label_names_its_targets(sample):
    raid = Raid.objects.get(date=JULY_14, premises_type="office", status=Status.PUBLISHED)
    assert str(raid) == "Viasna Human Rights Centre, Ales Bialiatski office, Minsk, 14 July 2021"


def test_raid_list_and_autocomplete_cost_the_same_for_any_number_of_raids(
    admin_client, sample, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    changelist = reverse("admin:incidents_raid_changelist")
    autocomplete = reverse("admin:autocomplete") + (
        "?app_label=incidents&model_name=detention&field_name=raid&term=Viasna"
    )
    with CaptureQueriesContext(connection) as before:
        admin_client.get(changelist)
        admin_client.get(autocomplete)
    viasna = Organisation.objects.get(name="Viasna Human Rights Centre")
    for day in range(1, 6):  # in the sample's month: the date hierarchy stays the same
        raid = Raid.objects.create(date=datetime.date(2021, 7, day), premises_type="home")
        raid.target_organisations.add(viasna)
    with CaptureQueriesContext(connection) as after:
        page = admin_client.get(changelist).content.decode()
        found = admin_client.get(autocomplete).json()["results"]
    assert len(after) == len(before)
    assert page.count('<td class="field-targets">Viasna Human Rights Centre</td>') >= 5
    assert "Viasna Human Rights Centre home, place unknown, 1 July 2021" in {
        r["text"] for r in found
    }


def test_person_page_shows_a_timeline_of_detentions_and_raids(admin_client, sample):
    ales = Person.objects.get(name="Ales Bialiatski")
    page = admin_client.get(reverse("admin:organisations_person_change", args=[ales.pk]))
    timeline = page.content.decode()
    timeline = timeline[timeline.index('id="person-timeline"') :]
    timeline = timeline[: timeline.index("</ol>")]
    assert "Detention" in timeline
    assert "Raid" in timeline
    assert "Ales Bialiatski detained 14 July 2021" in timeline


def test_timeline_is_not_shown_without_permission_to_view_detentions(
    client, sample, django_user_model
):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("narrow", password="x" * 16, is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_person"))
    client.force_login(user)
    ales = Person.objects.get(name="Ales Bialiatski")
    page = client.get(reverse("admin:organisations_person_change", args=[ales.pk]))
    assert page.status_code == 200
    assert "person-timeline" not in page.content.decode()
