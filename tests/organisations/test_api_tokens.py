import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from knox.models import AuthToken

from organisations.tokens import issue_token
from tests.factories import RaidFactory
from tracker.review import Status, Visibility


def restricted_ids(client: Client) -> set[int]:
    response = client.get("/api/v1/raids/")
    assert response.status_code == 200
    return {row["id"] for row in response.json()["results"]}


def test_issue_token_prints_the_token_as_last_word(researcher, capsys):
    call_command("issue_token", "researcher", "--days", "30")
    token = capsys.readouterr().out.split()[-1]
    raid = RaidFactory(visibility=Visibility.RESTRICTED)
    assert raid.pk in restricted_ids(Client(HTTP_AUTHORIZATION=f"Token {token}"))
    assert raid.pk not in restricted_ids(Client())


def test_tokens_are_stored_hashed(researcher, capsys):
    call_command("issue_token", "researcher")
    token = capsys.readouterr().out.split()[-1]
    stored = AuthToken.objects.get(user=researcher)
    assert token not in (stored.digest, stored.token_key)
    assert len(stored.token_key) < len(token)


def test_issue_token_for_unknown_user_fails(db):
    with pytest.raises(Exception, match="No active user"):
        call_command("issue_token", "nobody")


def test_revoked_token_is_refused(researcher_client, researcher):
    assert researcher_client.get("/api/v1/raids/").status_code == 200
    AuthToken.objects.filter(user=researcher).delete()
    assert researcher_client.get("/api/v1/raids/").status_code == 401


def test_expired_token_is_refused(researcher_client):
    with time_machine.travel(datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(days=400)):
        assert researcher_client.get("/api/v1/raids/").status_code == 401


def test_bad_token_is_refused(db):
    assert Client(HTTP_AUTHORIZATION="Token nonsense").get("/api/v1/").status_code == 401


def test_staff_issue_a_token_in_the_admin_and_see_it_once(admin_client, researcher):
    expiry = (timezone.localdate() + datetime.timedelta(days=90)).isoformat()
    response = admin_client.post(
        "/admin/knox/authtoken/add/",
        {"user": researcher.pk, "expiry_0": expiry, "expiry_1": "12:00:00"},
        follow=True,
    )
    messages = [str(m) for m in response.context["messages"]]
    message = next(m for m in messages if "shown only now" in m)
    token = message.split()[-1]
    assert Client(HTTP_AUTHORIZATION=f"Token {token}").get("/api/v1/raids/").status_code == 200
    listing = admin_client.get("/admin/knox/authtoken/").content.decode()
    assert token not in listing
    assert token[:8] in listing


def test_staff_revoke_a_token_in_the_admin(admin_client, researcher_client, researcher):
    token = AuthToken.objects.get(user=researcher)
    admin_client.post(f"/admin/knox/authtoken/{token.pk}/delete/", {"post": "yes"})
    assert researcher_client.get("/api/v1/raids/").status_code == 401


def test_anonymous_callers_are_throttled_with_retry_after(anon_client, settings):
    settings.API_THROTTLE_RATES = {"anonymous": "2/minute", "token": None}
    cache.clear()
    assert [anon_client.get("/api/v1/").status_code for _ in range(3)] == [200, 200, 429]
    assert int(anon_client.get("/api/v1/")["Retry-After"]) > 0


def test_each_token_has_its_own_allowance(researcher, settings):
    settings.API_THROTTLE_RATES = {"anonymous": None, "token": "1/minute"}
    cache.clear()
    first, second = (Client(HTTP_AUTHORIZATION=f"Token {issue_token(researcher)[1]}") for _ in "ab")
    assert first.get("/api/v1/").status_code == 200
    assert first.get("/api/v1/").status_code == 429
    assert second.get("/api/v1/").status_code == 200


def test_a_forged_forwarded_for_header_does_not_escape_the_limit(anon_client, settings):
    settings.API_THROTTLE_RATES = {"anonymous": "1/minute", "token": None}
    cache.clear()
    assert anon_client.get("/api/v1/", HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 200
    assert anon_client.get("/api/v1/", HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 429


def test_a_staff_token_from_issue_token_does_not_see_drafts(editor, capsys):
    call_command("issue_token", "editor")
    token = capsys.readouterr().out.split()[-1]
    draft, restricted = (
        RaidFactory(status=Status.DRAFT),
        RaidFactory(visibility=Visibility.RESTRICTED),
    )
    seen = restricted_ids(Client(HTTP_AUTHORIZATION=f"Token {token}"))
    assert restricted.pk in seen
    assert draft.pk not in seen


def test_issue_token_refuses_a_life_beyond_the_longest_allowed(researcher, settings):
    settings.API_TOKEN_MAX_DAYS = 90
    with pytest.raises(CommandError, match="between 1 and 90"):
        call_command("issue_token", "researcher", "--days", "91")
    assert not AuthToken.objects.exists()


def add_in_admin(admin_client, researcher, expiry: str):
    data = {"user": researcher.pk, "expiry_0": expiry, "expiry_1": "12:00:00" if expiry else ""}
    return admin_client.post("/admin/knox/authtoken/add/", data)


def test_the_admin_refuses_a_token_that_never_expires(admin_client, researcher):
    response = add_in_admin(admin_client, researcher, "")
    assert response.status_code == 200
    assert "Choose an expiry" in response.content.decode()
    assert not AuthToken.objects.exists()


def test_the_admin_refuses_a_token_beyond_the_longest_life(admin_client, researcher, settings):
    settings.API_TOKEN_MAX_DAYS = 90
    expiry = (timezone.localdate() + datetime.timedelta(days=120)).isoformat()
    assert add_in_admin(admin_client, researcher, expiry).status_code == 200
    assert not AuthToken.objects.exists()


@pytest.mark.parametrize("days", [None, 400])
def test_a_token_issued_before_the_cap_is_refused(researcher, days):
    expiry = None if days is None else datetime.timedelta(days=days)
    token = AuthToken.objects.create(user=researcher, expiry=expiry)[1]
    assert Client(HTTP_AUTHORIZATION=f"Token {token}").get("/api/v1/").status_code == 401
