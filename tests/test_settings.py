"""Production mode refuses unsafe settings; migrations match the models."""

import os
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

SAFE_PRODUCTION_ENV = {
    "TRACKER_ENV": "production",
    "SECRET_KEY": "p" * 64,
    "FIELD_ENCRYPTION_KEY": "2bW5u0cJk2pQkA1lZl8cZ0bm3xqf8fXqXcM4cJ0zGko=",
    "DATABASE_URL": "sqlite:///:memory:",
    "ALLOWED_HOSTS": "tracker.example.org",
}


def django_check(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in SAFE_PRODUCTION_ENV}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", "check", *args],
        env=environment,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        timeout=120,
        check=False,
    )


def test_production_settings_start_with_safe_values():
    result = django_check(**SAFE_PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"SECRET_KEY": ""}, "Set SECRET_KEY"),
        ({"DEBUG": "true"}, "DEBUG must be off"),
        ({"FIELD_ENCRYPTION_KEY": ""}, "Set FIELD_ENCRYPTION_KEY"),
        ({"FIELD_ENCRYPTION_KEY": "not-a-fernet-key"}, "not a valid Fernet key"),
    ],
)
def test_production_refuses_to_start_with_unsafe_settings(override, message):
    env = {**SAFE_PRODUCTION_ENV, **override}
    env = {k: v for k, v in env.items() if v}
    result = django_check(**env)
    assert result.returncode != 0
    assert message in result.stderr


def test_check_deploy_fails_with_an_invalid_encryption_key():
    env = {"FIELD_ENCRYPTION_KEY": "not-a-fernet-key", "DATABASE_URL": "sqlite:///:memory:"}
    result = django_check("--deploy", **env)
    assert result.returncode != 0
    assert "tracker.E001" in result.stderr


def test_migrations_match_the_models(db):
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"FILE_STORAGE": "ftp"}, 'FILE_STORAGE must be "local" or "s3"'),
        ({"FILE_STORAGE": "s3"}, "S3_BUCKET"),
    ],
)
def test_file_storage_is_local_or_a_named_s3_bucket(env, message):
    result = django_check(DATABASE_URL="sqlite:///:memory:", **env)
    assert result.returncode != 0
    assert message in result.stderr
