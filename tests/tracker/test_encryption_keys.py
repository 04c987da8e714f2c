"""A key that cannot read the stored values stops the start; rotation lists such values."""

import subprocess
import sys

import pytest
from cryptography.fernet import Fernet
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import CommandError, SystemCheckError
from django.db import connection

from organisations.models import Person

STRANGER = Fernet.generate_key().decode()
NEW = Fernet.generate_key().decode()


def write_under_a_stranger_key() -> Person:
    """The newest person with notes, saved while the server ran with another valid key."""
    person = Person.objects.exclude(confidential_notes="").order_by("-pk").first()
    token = Fernet(STRANGER).encrypt(b"Written under the wrong key").decode()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE organisations_person SET confidential_notes = %s WHERE id = %s",
            [token, person.pk],
        )
    return person


def test_check_refuses_a_valid_key_that_cannot_read_the_stored_values(sample, settings):
    settings.FIELD_ENCRYPTION_KEYS = [STRANGER]
    with pytest.raises(SystemCheckError, match=r"tracker\.E002"):
        call_command("check")


def test_check_refuses_the_right_key_once_values_were_written_under_another(sample, settings):
    write_under_a_stranger_key()
    with pytest.raises(SystemCheckError, match=r"organisations\.Person\.confidential_notes"):
        call_command("check")


def test_check_accepts_the_keys_that_read_the_stored_values(sample, settings):
    settings.FIELD_ENCRYPTION_KEYS = [NEW, *settings.FIELD_ENCRYPTION_KEYS]
    call_command("check")


def test_rotation_lists_unreadable_values_without_content_and_rotates_the_rest(
    sample, settings, capsys
):
    person = write_under_a_stranger_key()
    settings.FIELD_ENCRYPTION_KEYS = [NEW, *settings.FIELD_ENCRYPTION_KEYS]
    with pytest.raises(CommandError, match="no key can read"):
        call_command("rotate_encryption_key")
    err = capsys.readouterr().err
    assert f"organisations.Person id {person.pk}, field confidential_notes" in err
    assert "wrong key" not in err
    settings.FIELD_ENCRYPTION_KEYS = [NEW]
    assert {h.confidential_notes for h in Person.history.filter(id=person.pk)} - {""}


def test_migrate_runs_on_a_fresh_database_with_the_key_check(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        env=env,
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
