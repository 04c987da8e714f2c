import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.db import DatabaseError
from django.test import Client
from django.urls import path

from tracker.audit import WithholdErrorDetails

PLANTED = "Planted Detainee Name 5e1c"
ROOT = Path(django_settings.BASE_DIR)
PRODUCTION_ENV = {
    "TRACKER_ENV": "production",
    "SECRET_KEY": "s" * 30 + "production-only-secret-for-the-check",
    "FIELD_ENCRYPTION_KEY": "bXVzdC1iZS0zMi11cmwtc2FmZS1iYXNlNjQtYnl0ZXM=",
    "ALLOWED_HOSTS": "tracker.example.org",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/unused",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_deploy_check_passes_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_an_encryption_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "FIELD_ENCRYPTION_KEY"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "Set FIELD_ENCRYPTION_KEY" in result.stderr


def test_production_refuses_to_start_with_two_factor_turned_off():
    result = manage("check", env={**PRODUCTION_ENV, "REQUIRE_2FA": "false"})
    assert result.returncode != 0
    assert "REQUIRE_2FA" in result.stderr


def failing_view(request):
    detainee = request.POST.get("name", PLANTED)
    raise RuntimeError(f"failed on record {len(detainee)}")


def failing_query(request):
    raise DatabaseError(f'duplicate key: Key (name)=({PLANTED}) already exists."')


urlpatterns = [path("fail/", failing_view), path("fail-query/", failing_query)]


@pytest.fixture
def failing_site(settings):
    settings.ROOT_URLCONF = sys.modules[__name__]
    settings.ADMINS = [("Operations", "ops@example.org")]
    return Client(raise_request_exception=False)


def report_text() -> str:
    (report,) = mail.outbox
    return report.subject + report.body + "".join(a[0] for a in report.alternatives)


def test_error_report_hides_local_variables_and_post_data(failing_site, db):
    response = failing_site.post(f"/fail/?q={PLANTED}", {"name": PLANTED})
    assert response.status_code == 500
    text = report_text()
    assert "RuntimeError" in text
    assert "failing_view" in text
    assert PLANTED not in text


def test_error_report_hides_the_message_of_a_database_error(failing_site, db):
    assert failing_site.get("/fail-query/").status_code == 500
    text = report_text()
    assert "DatabaseError" in text
    assert PLANTED not in text


def test_logged_database_error_keeps_its_traceback_but_not_its_message():
    try:
        raise DatabaseError(f"Key (name)=({PLANTED}) already exists")
    except DatabaseError:
        record = logging.LogRecord("django.request", 40, "", 0, "boom", None, sys.exc_info())
    WithholdErrorDetails().filter(record)
    assert "DatabaseError" in record.exc_text
    assert "test_hardening.py" in record.exc_text
    assert PLANTED not in record.exc_text
