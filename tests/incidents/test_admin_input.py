"""What staff type into the admin reaches the server as typed, or is refused with a hint."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from incidents.models import Sentence
from tests.admin_forms import form_data
from tests.factories import DetentionFactory, RaidFactory, SeizedItemFactory
from tracker.review import Status


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def sentenced(db):
    detention = DetentionFactory(status=Status.DRAFT)
    Sentence.objects.create(
        detention=detention, court="Court", date=datetime.date(2021, 7, 20), kind="colony"
    )
    return detention


def change(client, record, **typed):
    """Open the record's page, type ``typed`` into its fields, save; return the answer."""
    url = reverse(f"admin:incidents_{record._meta.model_name}_change", args=[record.pk])
    return client.post(url, {**form_data(client.get(url)), **typed})


def inline_errors(response, prefix: str) -> dict:
    for inline in response.context["inline_admin_formsets"]:
        if inline.formset.prefix == prefix:
            return inline.formset.errors[0]
    raise AssertionError(prefix)


def test_a_term_typed_in_words_is_refused_with_a_hint_and_saves_nothing(editor_client, sentenced):
    response = change(editor_client, sentenced, **{"sentence-0-term_months": "14 years"})
    assert response.status_code == 200
    assert inline_errors(response, "sentence") == {
        "term_months": ["Enter a whole number of months, e.g. 168 for 14 years."]
    }
    sentenced.refresh_from_db()
    assert (sentenced.sentence.term_months, sentenced.version) == (None, 1)


def test_a_seized_item_count_in_letters_is_refused_and_saves_nothing(editor_client):
    raid = SeizedItemFactory(raid=RaidFactory(status=Status.DRAFT), count=2).raid
    response = change(editor_client, raid, **{"seized_items-0-count": "abc", "settlement": "Orsha"})
    assert "Enter how many in digits" in str(inline_errors(response, "seized_items")["count"])
    raid.refresh_from_db()
    assert (raid.settlement, raid.seized_items.get().count) == ("Minsk", 2)


def test_a_latitude_with_a_decimal_comma_is_stored_as_a_decimal_point(editor_client):
    raid = RaidFactory(status=Status.DRAFT, region="BY-HM")
    response = change(editor_client, raid, latitude="53,9", longitude="27,56")
    assert response.status_code == 302
    raid.refresh_from_db()
    assert (raid.latitude, raid.longitude) == (Decimal("53.9"), Decimal("27.56"))


def test_a_latitude_in_words_is_refused_with_a_hint(editor_client):
    raid = RaidFactory(status=Status.DRAFT)
    response = change(editor_client, raid, latitude="north of Minsk")
    assert response.context["adminform"].form.errors["latitude"] == [
        "Enter the latitude in decimal degrees, e.g. 53.9 for Minsk."
    ]


def test_numbers_are_typed_into_text_inputs_with_a_digits_keyboard(editor_client):
    page = editor_client.get(reverse("admin:incidents_raid_add")).content.decode()
    assert 'type="number"' not in page
    assert 'inputmode="numeric"' in page
    assert 'inputmode="decimal"' in page


def test_a_date_the_form_cannot_read_names_the_expected_form(editor_client):
    raid = RaidFactory(status=Status.DRAFT)
    response = change(editor_client, raid, date="14.07.2021")
    assert response.context["adminform"].form.errors["date"] == [
        "Enter the date as YYYY-MM-DD, e.g. 2021-07-14."
    ]
