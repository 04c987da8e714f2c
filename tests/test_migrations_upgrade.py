"""Databases made by earlier versions upgrade without losing a row or a search key."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from organisations.models import Organisation, Person, PersonName
from tracker import names
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


@pytest.mark.django_db(transaction=True)
def test_upgrade_gives_existing_people_and_organisations_the_new_name_key():
    migrate([("organisations", "0002_roles")])
    try:
        person = Person.objects.bulk_create(
            [Person(name="Алесь Бяляцкі", may_be_named=True, search_key=" alies ~ls ")]
        )[0]
        PersonName.objects.bulk_create([PersonName(person=person, name="Ales Bialiatski")])
        niva = Organisation.objects.bulk_create([Organisation(name="Наша Ніва")])[0]
    finally:
        migrate(None)
    person.refresh_from_db()
    assert person.search_key == names.search_key(["Алесь Бяляцкі", "Ales Bialiatski"])
    assert Person.objects.matching("Беляцкий").get() == person
    assert Organisation.objects.matching("Nasha Niva").get() == niva
