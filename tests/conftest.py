"""Shared fixtures. The suite runs on the real PostgreSQL at DATABASE_URL (see Makefile)."""

import psycopg
import pytest
from django.conf import settings


def pytest_configure(config) -> None:
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql":
        pytest.exit("The tests need PostgreSQL: run them with `make test`.", returncode=2)
    try:
        psycopg.connect(
            host=database["HOST"] or None,
            port=database["PORT"] or None,
            user=database["USER"],
            password=database["PASSWORD"] or None,
            dbname="postgres",
            connect_timeout=3,
        ).close()
    except psycopg.OperationalError:
        where = f"{database['HOST'] or 'localhost'}:{database['PORT'] or 5432}"
        pytest.exit(
            f"PostgreSQL is not reachable at {where} (DATABASE_URL); start it and retry.",
            returncode=2,
        )


@pytest.fixture
def sample(db) -> None:
    """The worked example of the July 2021 raids."""
    from incidents import sample_data

    sample_data.load()


@pytest.fixture
def superuser(db, django_user_model):
    return django_user_model.objects.create_superuser("admin", "admin@example.org", "x" * 16)


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client
