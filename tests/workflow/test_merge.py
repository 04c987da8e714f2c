"""Merging duplicate people keeps every fact and the stricter naming rule."""

import datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from incidents.models import Detention, Source, SourceLink
from organisations.merging import merge_people
from organisations.models import Membership, Organisation, Person
from tracker import workflow


@pytest.fixture
def duplicates(draft):
    keep = Person.objects.create(name="Ales Bialiatski", may_be_named=True, birth_year=1962)
    duplicate = Person.objects.create(
        name="Алесь Бяляцкі", may_be_named=False, pseudonym="A. B.", confidential_notes="Lawyer: X"
    )
    Detention.objects.create(person=duplicate, date=datetime.date(2021, 7, 14))
    viasna = Organisation.objects.create(name="Viasna", kind=Organisation.Kind.HUMAN_RIGHTS)
    Membership.objects.create(person=duplicate, organisation=viasna, role="chair")
    source = Source.objects.create(kind=Source.Kind.NEWS, title="Euronews")
    SourceLink.objects.create(source=source, person=duplicate, quote="could not be reached")
    draft.target_people.add(duplicate)
    return keep, duplicate


def test_merge_moves_every_fact_to_the_kept_person(duplicates, reviewer, draft):
    keep, duplicate = duplicates
    merged = merge_people(keep=keep, duplicate=duplicate, by=reviewer, reason="same")
    assert not Person.objects.filter(pk=duplicate.pk).exists()
    assert merged.detentions.count() == 1
    assert merged.memberships.get().role == "chair"
    assert merged.source_links.get().quote == "could not be reached"
    assert list(draft.target_people.all()) == [merged]
    assert Person.objects.matching("Бяляцкі").get() == merged
    assert (merged.may_be_named, merged.pseudonym) == (False, "A. B.")
    assert merged.confidential_notes == "Lawyer: X"
    assert merged.history.first().history_change_reason == f"merged person #{duplicate.pk}: same"


def test_data_entry_cannot_merge(duplicates, editor):
    keep, duplicate = duplicates
    with pytest.raises(workflow.WorkflowError):
        merge_people(keep=keep, duplicate=duplicate, by=editor)
    assert Person.objects.filter(pk=duplicate.pk).exists()


def test_merge_through_the_admin_asks_which_to_keep(duplicates, reviewer_client):
    keep, duplicate = duplicates
    changelist = reverse("admin:organisations_person_changelist")
    data = {"action": "merge_selected", ACTION_CHECKBOX_NAME: [keep.pk, duplicate.pk]}
    assert b'name="keep"' in reviewer_client.post(changelist, data).content
    reviewer_client.post(changelist, {**data, "apply": "1", "keep": keep.pk})
    assert list(Person.objects.values_list("pk", flat=True)) == [keep.pk]


def test_merge_needs_exactly_two_people(duplicates, reviewer_client):
    keep, _duplicate = duplicates
    changelist = reverse("admin:organisations_person_changelist")
    response = reviewer_client.post(
        changelist, {"action": "merge_selected", ACTION_CHECKBOX_NAME: [keep.pk]}, follow=True
    )
    assert "exactly two" in response.content.decode()
    assert Person.objects.count() == 2
