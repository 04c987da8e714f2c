"""History covers every path that changes data, QuerySet.update() and bulk_update() included."""

from django.db.models import Count
from django.http import HttpResponse
from simple_history.middleware import HistoryRequestMiddleware

from incidents.models import Raid
from organisations.models import Person, PersonName
from tests.factories import OrganisationFactory
from tracker import workflow


def test_queryset_update_writes_a_history_row_and_a_new_version(draft):
    before = draft.history.count()
    assert Raid.objects.filter(pk=draft.pk).update(settlement="Orsha") == 1
    draft.refresh_from_db()
    latest = draft.history.first()
    assert draft.history.count() == before + 1
    assert (latest.settlement, latest.history_type, latest.version) == ("Orsha", "~", 2)
    assert draft.version == 2


def test_update_of_an_annotated_queryset_as_admin_actions_use(draft, raid_by, editor):
    other = raid_by(editor)
    queryset = Raid.objects.annotate(items=Count("seized_items")).filter(
        pk__in=[draft.pk, other.pk]
    )
    assert queryset.update(visibility="public") == 2
    for raid in (draft, other):
        assert raid.history.first().visibility == "public"


def test_bulk_update_writes_history_too(draft, raid_by, editor):
    raids = [draft, raid_by(editor)]
    for raid, town in zip(raids, ("Orsha", "Brest"), strict=True):
        raid.settlement = town
    Raid.objects.bulk_update(raids, ["settlement"])
    assert [raid.history.first().settlement for raid in raids] == ["Orsha", "Brest"]


def test_update_touches_only_the_rows_it_matches(draft, raid_by, editor):
    other = raid_by(editor)
    Raid.objects.filter(pk=draft.pk).update(settlement="Orsha")
    assert other.history.count() == 1


def test_derived_search_keys_change_without_a_new_version(editor):
    person = Person.objects.create(name="Ales Bialiatski", may_be_named=True)
    PersonName.objects.create(person=person, name="Алесь Бяляцкі")
    person.refresh_from_db()
    assert person.version == 1
    assert person.history.count() == 1
    assert Person.objects.matching("Бяляцкі").get() == person


def test_update_inside_a_request_records_the_user(draft, reviewer, rf):
    request = rf.post("/")
    request.user = reviewer

    def view(request):
        Raid.objects.filter(pk=draft.pk).update(settlement="Orsha")
        return HttpResponse()

    HistoryRequestMiddleware(view)(request)
    assert draft.history.first().history_user == reviewer


def test_revert_restores_the_links_of_the_earlier_version(reviewer, draft):
    viasna, lawtrend = OrganisationFactory(name="Viasna"), OrganisationFactory(name="Lawtrend")
    draft.target_organisations.set([viasna])
    with_viasna = draft.history.first()
    draft.target_organisations.set([lawtrend])
    workflow.revert(draft, history_id=with_viasna.history_id, by=reviewer)
    assert list(draft.target_organisations.all()) == [viasna]
    assert draft.history.first().history_change_reason == "reverted to version 1"
