"""Lists: search raids and detentions by date, people by pseudonym; columns that fit."""

import datetime

import pytest
from django.urls import reverse

from incidents.models import Raid
from organisations.models import Person
from tracker.dates import searched_period

JULY = (datetime.date(2021, 7, 1), datetime.date(2021, 7, 31))
JULY_14 = (datetime.date(2021, 7, 14),) * 2


@pytest.mark.parametrize(
    ("term", "days"),
    [
        ("2021-07-14", JULY_14),
        ("14.07.2021", JULY_14),
        ("14 July 2021", JULY_14),
        ("14 ліпеня 2021", JULY_14),
        ("14 июля 2021", JULY_14),
        ("2021-07", JULY),
        ("July 2021", JULY),
        ("jul 2021", JULY),
        ("Ліпень 2021", JULY),
        ("ліпеня 2021", JULY),
        ("июль 2021", JULY),
        ("июля 2021", JULY),
        ("июль 2021 г.", JULY),
        ("14 июля 2021 года", JULY_14),
        ("2021", (datetime.date(2021, 1, 1), datetime.date(2021, 12, 31))),
        ("2021-02-30", None),
        ("Minsk", None),
        ("July", None),
        ("", None),
    ],
)
def test_searched_period(term, days):
    assert searched_period(term) == days


def listed(client, model: str, term: str) -> list:
    answer = client.get(reverse(f"admin:{model}_changelist"), {"q": term})
    assert answer.status_code == 200
    return list(answer.context["cl"].result_list)


@pytest.mark.parametrize("term", ["2021-07-14", "July 2021", "ліпень 2021", "июля 2021"])
def test_raids_and_detentions_are_found_by_date(editor_client, sample, term):
    raids = listed(editor_client, "incidents_raid", term)
    assert raids
    assert all(raid.date.month == 7 and raid.date.year == 2021 for raid in raids)
    assert len(raids) == Raid.objects.filter(date__range=searched_period(term)).count()
    people = {d.person.name for d in listed(editor_client, "incidents_detention", term)}
    assert people == {"Ales Bialiatski", "Igor Kazmerchak"}


def test_raids_are_still_found_by_place_and_target(editor_client, sample):
    assert {r.settlement for r in listed(editor_client, "incidents_raid", "Homel")} == {"Homel"}
    assert listed(editor_client, "incidents_raid", "Вясна")


def test_people_are_found_by_pseudonym_by_staff(editor_client, sample):
    found = listed(editor_client, "organisations_person", "Viasna member A")
    assert [p.name for p in found] == ["Viasna member, Homel"]
    assert listed(editor_client, "organisations_person", "Бяляцкі")[0].name == "Ales Bialiatski"


def test_lists_show_status_and_visibility(admin_client, sample):
    for model in (
        "incidents_raid",
        "incidents_detention",
        "incidents_source",
        "organisations_person",
        "organisations_organisation",
    ):
        page = admin_client.get(reverse(f"admin:{model}_changelist")).content.decode()
        assert "column-status" in page, model
        assert "column-visibility" in page, model
    assert Person.objects.exists()
