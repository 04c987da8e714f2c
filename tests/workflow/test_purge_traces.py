"""A purged person's name is left nowhere: not in any table of a database dump, not in a
file under MEDIA_ROOT, not in a log line; and SQLite overwrites what it deletes."""

import datetime
import subprocess

import pytest
from django.contrib.admin.models import LogEntry
from django.db import connection
from django.db.backends.sqlite3 import base as sqlite_base
from django.db.utils import ConnectionHandler
from django.urls import reverse

from incidents import reports
from incidents.models import Detention, Raid
from organisations.models import Organisation, Person
from tests.admin_forms import form_data
from tests.factories import OrganisationFactory, SourceFactory
from tracker import workflow
from tracker.review import Status

NAME = "Zmicier Qwertyhoff"
DAY = datetime.date(2021, 7, 14)


def admin_post(client, url: str, **typed) -> None:
    """Post the admin page at ``url`` as a browser would after ``typed`` was entered."""
    response = client.post(url, {**form_data(client.get(url)), **typed})
    assert response.status_code == 302, response.context and response.context["errors"]


def add(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")


def database_dump() -> str:
    db = connection.settings_dict
    server = ["-h", db["HOST"] or "127.0.0.1", "-p", str(db["PORT"] or 5432), "-U", db["USER"]]
    command = ["pg_dump", "--data-only", *server, db["NAME"]]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def files_naming(root) -> list:
    return [p for p in root.rglob("*") if p.is_file() and NAME.encode() in p.read_bytes()]


def enter_through_every_admin_page(client) -> Person:
    """The person, a membership from the organisation's page, a raid, a detention, sources."""
    source = SourceFactory(status=Status.DRAFT)
    rows = {"other_names-0-name": f"{NAME} Jr", "source_links-0-source": source.pk}
    admin_post(client, add(Person), name=NAME, may_be_named="on", **rows)
    person = Person.objects.get(name=NAME)
    organisation = OrganisationFactory(status=Status.DRAFT)
    membership = {"memberships-TOTAL_FORMS": "1", "memberships-0-person": person.pk}
    change = reverse("admin:organisations_organisation_change", args=[organisation.pk])
    admin_post(client, change, **membership, **{"memberships-0-role": "chair"})
    place = {"date": DAY, "date_precision": "day", "region": "BY-HM", "settlement": "Minsk"}
    admin_post(client, add(Raid), **place, premises_type="home", target_people=[person.pk])
    admin_post(client, add(Detention), **place, person=person.pk, legal_track="criminal")
    return person


@pytest.mark.django_db(transaction=True)
def test_a_purged_person_is_named_nowhere(admin_client, superuser, settings, tmp_path, caplog):
    settings.MEDIA_ROOT = tmp_path
    person = enter_through_every_admin_page(admin_client)
    reports.make_report(day=DAY)
    assert NAME in database_dump()
    assert files_naming(tmp_path)
    workflow.purge(Detention.objects.get(), by=superuser)
    workflow.purge(person, by=superuser)
    assert NAME not in database_dump()
    assert files_naming(tmp_path) == []
    assert NAME not in caplog.text
    (entry,) = LogEntry.objects.filter(object_repr=Organisation.objects.get().name)
    assert entry.get_change_message() == "Added membership “a purged record”."


def test_sqlite_connections_overwrite_what_they_delete(db, tmp_path, monkeypatch):
    """``make run``'s SQLite file must not keep a purged name in its freed pages.

    Debian builds SQLite with secure delete on; python.org's and macOS's do not: the test
    connects as with such a build.
    """
    connect = sqlite_base.Database.connect

    def connect_without_secure_delete(*args, **kwargs):
        sqlite = connect(*args, **kwargs)
        sqlite.execute("PRAGMA secure_delete = OFF")
        return sqlite

    monkeypatch.setattr(sqlite_base.Database, "connect", connect_without_secure_delete)
    databases = ConnectionHandler({"default": {"ENGINE": "django.db.backends.sqlite3"}})
    databases["default"].settings_dict["NAME"] = str(tmp_path / "db.sqlite3")
    with databases["default"].cursor() as cursor:
        cursor.execute("PRAGMA secure_delete")
        assert cursor.fetchone() == (1,)
    databases.close_all()
