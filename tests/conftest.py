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


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    """Tests create many users; the production hasher is slow by design."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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


def _user_in_group(django_user_model, username: str, group: str, *, staff: bool):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(username, f"{username}@example.org", "x" * 16)
    user.is_staff = staff
    user.save()
    user.groups.add(Group.objects.get_or_create(name=group)[0])
    return user


@pytest.fixture
def researcher(db, django_user_model):
    from tracker.access import RESEARCHER_GROUP

    return _user_in_group(django_user_model, "researcher", RESEARCHER_GROUP, staff=False)


@pytest.fixture
def editor(db, django_user_model):
    """Data-entry staff."""
    return _user_in_group(django_user_model, "editor", "data entry", staff=True)


@pytest.fixture
def reviewer(db, django_user_model):
    return _user_in_group(django_user_model, "reviewer", "reviewer", staff=True)


@pytest.fixture(autouse=True)
def _no_api_throttling(settings) -> None:
    """Throttling has its own tests; elsewhere many quick requests must not be refused."""
    settings.API_THROTTLE_RATES = {"anonymous": None, "token": None}


def _token_client(user):
    from django.test import Client

    from organisations.tokens import issue_token

    return Client(HTTP_AUTHORIZATION=f"Token {issue_token(user)[1]}")


@pytest.fixture
def anon_client(db):
    from django.test import Client

    return Client()


@pytest.fixture
def researcher_client(researcher):
    """A researcher calling the API with a token."""
    return _token_client(researcher)


@pytest.fixture
def staff_client(editor):
    """Data-entry staff calling the API with a token: the researcher's view, no more."""
    return _token_client(editor)


@pytest.fixture
def staff_session_client(client, editor):
    """Data-entry staff signed in to the admin, without 2FA (development): staff's view."""
    client.force_login(editor)
    return client


@pytest.fixture
def verified_staff_client(client, editor, settings):
    """Data-entry staff signed in with their second factor where it is required."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.REQUIRE_2FA = True
    client.force_login(editor)
    session = client.session
    device = TOTPDevice.objects.create(user=editor, name="phone", confirmed=True)
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client
