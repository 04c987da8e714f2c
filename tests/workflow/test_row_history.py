"""A record's rows (charges, sentence, seized items, quotes, names, memberships) are part of
its history: each change shows in the version of the save that made it, and a revert puts
the rows back as they were."""

import datetime
import html
import re

import pytest
import time_machine
from django.urls import reverse

from incidents.models import Charge, Detention, Raid, SeizedItem, Sentence, SourceLink
from organisations.models import Membership, Person, PersonName
from tests.factories import OrganisationFactory, SourceFactory
from tests.incidents.test_api_sync import full_export, sync
from tracker import workflow
from tracker.review import Status, Visibility


def save_version(record, by) -> None:
    """What the admin does first on every save: a new version of the record."""
    record.updated_by = by
    workflow.save_noted(record, by=by, note="")


def edit_rows(rows, **fields) -> None:
    """Change rows one by one, as the admin's inline forms do (with a history row each)."""
    for row in rows:
        for name, value in fields.items():
            setattr(row, name, value)
        row.save()


def history_cell(client, record) -> str:
    """The text of the record's history table, as a reader sees it."""
    meta = record._meta
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[record.pk])
    page = client.get(url).content.decode()
    table = page[page.index('id="record-history"') :]
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", table)))


@pytest.fixture
def detention(editor) -> Detention:
    person = Person.objects.create(name="Igor Kazmerchak", may_be_named=True)
    detention = Detention.objects.create(
        person=person, date=datetime.date(2021, 7, 14), settlement="Orsha", created_by=editor
    )
    Charge.objects.create(detention=detention, code_article="Criminal Code 342")
    return detention


def test_a_changed_charge_shows_old_and_new_in_its_version(reviewer_client, editor, detention):
    save_version(detention, editor)
    charge = detention.charges.get()
    charge.code_article = "Criminal Code 361"
    charge.save()
    text = history_cell(reviewer_client, detention)
    assert "code article: Criminal Code 342 → Criminal Code 361" in text
    assert text.index("Criminal Code 361") < text.index("Created")  # in version 2, not 1


def test_added_and_removed_rows_show_in_the_history(reviewer_client, editor, draft):
    save_version(draft, editor)
    draft.seized_items.get().delete()
    SeizedItem.objects.create(raid=draft, kind=SeizedItem.Kind.PHONE, count=3)
    text = history_cell(reviewer_client, draft)
    assert "Seized item removed: 2 × computer → —" in text
    assert "Seized item added: — → 3 × mobile phone" in text


def test_revert_restores_changed_added_and_removed_charges(reviewer, editor, detention):
    first = detention.history.first()
    save_version(detention, editor)
    edit_rows(detention.charges.all(), code_article="Criminal Code 361")
    Charge.objects.create(detention=detention, code_article="Administrative Code 24.23")
    workflow.revert(detention, history_id=first.history_id, by=reviewer)
    assert list(detention.charges.values_list("code_article", flat=True)) == ["Criminal Code 342"]
    assert detention.history.first().version == 3


def test_revert_restores_a_removed_sentence(reviewer, editor, detention):
    Sentence.objects.create(
        detention=detention, court="Orsha court", date=datetime.date(2021, 9, 1), kind="prison"
    )
    with_sentence = detention.history.first()
    save_version(detention, editor)
    detention.sentence.delete()
    workflow.revert(detention, history_id=with_sentence.history_id, by=reviewer)
    assert Sentence.objects.get(detention=detention).court == "Orsha court"


def test_revert_restores_a_source_links_quote(reviewer, editor, draft):
    link = SourceLink.objects.create(source=SourceFactory(), raid=draft, quote="was searched")
    quoted = draft.history.first()
    save_version(draft, editor)
    link.quote = "was not searched"
    link.save()
    workflow.revert(draft, history_id=quoted.history_id, by=reviewer)
    assert SourceLink.objects.get(pk=link.pk).quote == "was searched"


def test_revert_restores_other_names_and_memberships(reviewer, editor):
    person = Person.objects.create(name="Ales Bialiatski", may_be_named=True, created_by=editor)
    PersonName.objects.create(person=person, name="Алесь Бяляцкі")
    viasna = OrganisationFactory(name="Viasna")
    Membership.objects.create(person=person, organisation=viasna, role="chair")
    before = person.history.first()
    save_version(person, editor)
    person.other_names.all().delete()
    edit_rows(person.memberships.all(), role="member")
    workflow.revert(person, history_id=before.history_id, by=reviewer)
    assert list(person.other_names.values_list("name", flat=True)) == ["Алесь Бяляцкі"]
    assert person.memberships.get().role == "chair"


def test_membership_changes_show_on_the_organisations_history(reviewer_client, editor):
    viasna = OrganisationFactory(name="Viasna", created_by=editor)
    person = Person.objects.create(name="Valiantsin Stefanovich", may_be_named=True)
    membership = Membership.objects.create(person=person, organisation=viasna, role="member")
    save_version(viasna, editor)
    membership.role = "chair"
    membership.save()
    text = history_cell(reviewer_client, viasna)
    assert "role: member → chair" in text


def test_a_row_whose_source_is_gone_refuses_the_revert_and_changes_nothing(reviewer, editor, draft):
    source = SourceFactory()
    SourceLink.objects.create(source=source, raid=draft)
    linked = draft.history.first()
    save_version(draft, editor)
    source.delete()
    with pytest.raises(workflow.WorkflowError, match="source"):
        workflow.revert(draft, history_id=linked.history_id, by=reviewer)
    assert Raid.objects.get(pk=draft.pk).version == 2


def test_sync_after_a_revert_equals_a_fresh_export(anon_client, reviewer, editor, detention):
    day = datetime.datetime(2027, 1, 1, 12, tzinfo=datetime.UTC)
    Detention.objects.filter(pk=detention.pk).update(
        status=Status.PUBLISHED, visibility=Visibility.PUBLIC
    )
    Person.objects.update(status=Status.PUBLISHED, visibility=Visibility.PUBLIC)
    with time_machine.travel(day, tick=False):
        detention.refresh_from_db()
        save_version(detention, editor)
        edit_rows(detention.charges.all(), code_article="Criminal Code 361")
        with_361 = detention.history.first()
        copy = full_export(anon_client)
    with time_machine.travel(day + datetime.timedelta(days=1), tick=False):
        Detention.objects.filter(pk=detention.pk).update(status=Status.DRAFT)
        edit_rows(detention.charges.all(), code_article="Criminal Code 130")
        workflow.revert(detention, history_id=with_361.history_id, by=reviewer)
        Detention.objects.filter(pk=detention.pk).update(status=Status.PUBLISHED)
    with time_machine.travel(day + datetime.timedelta(days=2), tick=False):
        sync(anon_client, copy, "2027-01-02T11:00:00Z")
        assert copy == full_export(anon_client)
    assert copy["detentions"][("detentions", detention.pk)]["charges"][0]["code_article"] == (
        "Criminal Code 361"
    )


def test_sentence_quote_and_other_name_changes_show_old_and_new(reviewer_client, editor, detention):
    sentence = Sentence.objects.create(
        detention=detention, court="Orsha court", date=datetime.date(2021, 9, 1), kind="prison"
    )
    link = SourceLink.objects.create(source=SourceFactory(), detention=detention, quote="taken")
    name = PersonName.objects.create(person=detention.person, name="Ігар Казьмерчак")
    save_version(detention, editor)
    save_version(detention.person, editor)
    edit_rows([sentence], term_months=36)
    edit_rows([link], quote="taken somewhere")
    edit_rows([name], name="Игорь Казмерчак")
    text = history_cell(reviewer_client, detention)
    assert "term (months): — → 36" in text
    assert "supporting quote: taken → taken somewhere" in text
    assert "name: Ігар Казьмерчак → Игорь Казмерчак" in history_cell(
        reviewer_client, detention.person
    )


def test_a_partial_date_reads_as_known_in_the_history(reviewer_client, editor, detention):
    detention.date, detention.date_precision = datetime.date(2021, 7, 1), "month"
    save_version(detention, editor)
    assert "Date: 2021-07-14 → July 2021" in history_cell(reviewer_client, detention)
