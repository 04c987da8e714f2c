"""A database made before the review logs moved to ``tracker`` upgrades without losing a row."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tracker.changes import RecordChange
from tracker.models import PurgeLog, StatusChange

BEFORE_THE_MOVE = [("tracker", None)]  # unapplies incidents 0007 too, which depends on it


def migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())


def insert_old_rows(user_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO incidents_statuschange"
            " (content_type_id, object_id, from_status, to_status, at, reason, by_id)"
            " SELECT id, 7, 'draft', 'in_review', now(), 'two sources', %s"
            " FROM django_content_type WHERE app_label = 'incidents' AND model = 'raid'",
            [user_id],
        )
        cursor.execute(
            "INSERT INTO incidents_purgelog (kind, object_id, purged_at, purged_by_id)"
            " VALUES ('organisations.person', 12, now(), %s)",
            [user_id],
        )
        cursor.execute(
            "INSERT INTO incidents_recordchange (kind, record_id, at, status, visibility)"
            " VALUES ('raid', 7, now(), 'published', 'public')"
        )


@pytest.mark.django_db(transaction=True)
def test_upgrade_keeps_the_rows_and_the_permissions_of_the_moved_models(django_user_model):
    user = django_user_model.objects.create_user("reviewer", "r@example.org", "x" * 16)
    migrate(BEFORE_THE_MOVE)
    try:
        insert_old_rows(user.pk)
        submit = Permission.objects.get(
            content_type__app_label="incidents", codename="submit_record"
        )
        group = Group.objects.create(name="old reviewers")
        group.permissions.add(submit)
        user.groups.add(group)
    finally:
        migrate(None)
    change = StatusChange.objects.get()
    assert (change.object_id, change.reason, change.by) == (7, "two sources", user)
    assert change.content_type.model_class()._meta.label == "incidents.Raid"
    assert PurgeLog.objects.get().purged_by == user
    assert RecordChange.objects.values_list("kind", "record_id").get() == ("raid", 7)
    moved = ContentType.objects.filter(model__in=["statuschange", "purgelog", "recordchange"])
    assert {ct.app_label for ct in moved} == {"tracker"}
    assert django_user_model.objects.get(pk=user.pk).has_perm("tracker.submit_record")
