from incidents.models import Raid
from tests.factories import RaidFactory
from tracker.review import Status, Visibility

SINCE = "/api/v1/deletions/?since=2000-01-01T00:00:00Z"


def gone(client) -> set:
    return {(row["kind"], row["id"]) for row in client.get(SINCE).json()["results"]}


def test_deleted_and_unpublished_records_are_listed(anon_client):
    deleted, unpublished, kept = RaidFactory(), RaidFactory(), RaidFactory()
    deleted_id = deleted.pk
    deleted.delete()
    unpublished.status = Status.IN_REVIEW
    unpublished.save()
    kept.narrative = "edited"
    kept.save()
    assert gone(anon_client) == {("raid", deleted_id), ("raid", unpublished.pk)}


def test_deletions_name_only_records_the_caller_could_see(
    anon_client, researcher_client, staff_client, staff_session_client
):
    restricted = RaidFactory(visibility=Visibility.RESTRICTED)
    draft = RaidFactory(status=Status.DRAFT)
    ids = [restricted.pk, draft.pk]
    Raid.objects.filter(pk__in=ids).delete()
    assert gone(anon_client) == set()
    assert gone(researcher_client) == {("raid", restricted.pk)}
    assert gone(staff_client) == {("raid", restricted.pk)}  # a token: the researcher's view
    assert gone(staff_session_client) == {("raid", ids[0]), ("raid", ids[1])}


def test_a_record_hidden_then_shown_again_is_not_listed(anon_client):
    raid = RaidFactory()
    Raid.objects.filter(pk=raid.pk).update(status=Status.IN_REVIEW)
    assert gone(anon_client) == {("raid", raid.pk)}
    Raid.objects.filter(pk=raid.pk).update(status=Status.PUBLISHED)
    assert gone(anon_client) == set()
