import json
import logging

import pytest
import time_machine
from django.core.management import call_command
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tracker import audit

LOGIN = "/admin/login/"
PASSWORD = "x" * 16
ONE_MESSAGE = (
    "Please enter the correct username, password and code for a staff account. "
    "Note that the username and password may be case-sensitive."
)


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def require_2fa(settings):
    settings.REQUIRE_2FA = True


def current_code(device: TOTPDevice) -> str:
    token = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    return f"{token:0{device.digits}d}"


def sign_in(client, username: str, password: str = PASSWORD, ip: str = "192.0.2.1", **extra):
    data = {"username": username, "password": password, "next": "/admin/", **extra}
    return client.post(LOGIN, data, REMOTE_ADDR=ip)


def test_production_admin_refuses_a_password_without_a_code(client, superuser, require_2fa):
    TOTPDevice.objects.create(user=superuser, name="phone", confirmed=True)
    response = sign_in(client, "admin")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [ONE_MESSAGE]
    assert client.get("/admin/").status_code == 302


def test_production_admin_lets_in_with_password_and_code(client, superuser, require_2fa, caplog):
    caplog.set_level(logging.INFO, logger="tracker.audit")
    device = TOTPDevice.objects.create(user=superuser, name="phone", confirmed=True)
    response = sign_in(client, "admin", otp_token=current_code(device))
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    assert audit_lines(caplog)[-1]["two_factor"] is True


def test_production_admin_refuses_a_wrong_code(client, superuser, require_2fa):
    device = TOTPDevice.objects.create(user=superuser, name="phone", confirmed=True)
    wrong = f"{(int(current_code(device)) + 1) % 10**6:06d}"
    assert sign_in(client, "admin", otp_token=wrong).status_code == 200
    assert client.get("/admin/").status_code == 302


def wrong_code(device: TOTPDevice) -> str:
    return f"{(int(current_code(device)) + 1) % 10**6:06d}"


def test_a_wrong_code_looks_the_same_with_a_right_or_a_wrong_password(
    client, superuser, require_2fa
):
    device = TOTPDevice.objects.create(user=superuser, name="phone", confirmed=True)
    right = sign_in(client, "admin", otp_token=wrong_code(device))
    wrong = sign_in(client, "admin", password="wrong" * 4, otp_token=wrong_code(device))
    assert right.context["form"].errors == wrong.context["form"].errors
    assert right.context["form"].non_field_errors() == [ONE_MESSAGE]
    assert b"otp_device" not in right.content
    assert PASSWORD.encode() not in right.content


def test_a_wrong_code_counts_as_a_failed_login_for_the_lockout(client, superuser, require_2fa):
    device = TOTPDevice.objects.create(user=superuser, name="phone", confirmed=True)
    for attempt in range(100):
        sign_in(client, "admin", otp_token=wrong_code(device), ip=f"198.51.100.{attempt % 250}")
    assert sign_in(client, "admin", otp_token=current_code(device)).status_code == 429


def test_a_user_with_several_devices_signs_in_with_any_of_them(client, superuser, require_2fa):
    TOTPDevice.objects.create(user=superuser, name="phone", confirmed=True)
    tablet = TOTPDevice.objects.create(user=superuser, name="tablet", confirmed=True)
    assert sign_in(client, "admin", otp_token=current_code(tablet)).status_code == 302


def test_production_admin_turns_away_a_session_signed_in_without_second_factor(
    admin_client, require_2fa
):
    response = admin_client.get("/admin/incidents/raid/")
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


def test_development_admin_needs_only_the_password(client, superuser):
    assert sign_in(client, "admin").status_code == 302
    assert client.get("/admin/").status_code == 200


def test_enrol_totp_prints_an_otpauth_uri_of_a_working_device(superuser, capsys):
    call_command("enrol_totp", "admin")
    uri = capsys.readouterr().out.strip()
    device = TOTPDevice.objects.get(user=superuser)
    assert uri == device.config_url
    assert uri.startswith("otpauth://totp/")
    assert device.verify_token(current_code(device))


def test_account_locks_after_100_failures_from_any_addresses(client, superuser):
    for attempt in range(100):
        sign_in(client, "admin", password="wrong", ip=f"198.51.100.{attempt % 250}")
    assert sign_in(client, "admin", ip="203.0.113.9").status_code == 429
    assert sign_in(client, "someone-else", ip="203.0.113.9").status_code == 200


def test_address_locks_after_100_failures_over_any_accounts(client, superuser):
    for attempt in range(100):
        sign_in(client, f"guess{attempt}", password="wrong", ip="198.51.100.7")
    assert sign_in(client, "admin", ip="198.51.100.7").status_code == 429
    assert sign_in(client, "admin", ip="198.51.100.8").status_code == 302


def test_99_failures_do_not_lock(client, superuser):
    for _attempt in range(99):
        sign_in(client, "admin", password="wrong")
    assert sign_in(client, "admin").status_code == 302


def test_session_ends_after_30_minutes_idle(client, superuser):
    with time_machine.travel("2030-01-05 09:00Z", tick=False) as clock:
        client.force_login(superuser)
        assert client.get("/admin/").status_code == 200
        clock.shift(29 * 60)
        assert client.get("/admin/").status_code == 200
        clock.shift(31 * 60)
        assert client.get("/admin/").status_code == 302


def test_session_ends_after_12_hours_however_active(client, superuser):
    with time_machine.travel("2030-01-05 09:00Z", tick=False) as clock:
        client.force_login(superuser)
        for _step in range(28):  # every 25 minutes until 11 h 40
            assert client.get("/admin/").status_code == 200
            clock.shift(25 * 60)
        assert client.get("/admin/").status_code == 200
        clock.shift(25 * 60)
        assert client.get("/admin/").status_code == 302


def test_session_cookie_is_httponly_and_samesite(client, superuser):
    sign_in(client, "admin")
    cookie = client.cookies["sessionid"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def audit_lines(caplog) -> list[dict]:
    formatter = audit.JsonFormatter()
    return [json.loads(formatter.format(r)) for r in caplog.records if r.name == "tracker.audit"]


def test_sign_in_and_failure_are_logged_as_json_without_names(client, superuser, caplog):
    caplog.set_level(logging.INFO, logger="tracker.audit")
    sign_in(client, "admin", password="wrong")
    sign_in(client, "admin")
    failed, signed_in = audit_lines(caplog)
    assert failed["event"] == "sign_in_failed"
    assert signed_in["event"] == "sign_in"
    assert failed["user_id"] == signed_in["user_id"] == superuser.pk
    assert failed["request_id"]
    assert failed["request_id"] != signed_in["request_id"]
    assert signed_in["time"].endswith("+00:00")
    assert "admin" not in json.dumps([failed, signed_in])


def test_refused_access_logs_user_kind_and_id(rf, researcher, caplog):
    caplog.set_level(logging.INFO, logger="tracker.audit")
    request = rf.get("/api/people/7/")
    request.user = researcher
    audit.refused_access(request, "person", 7)
    (line,) = audit_lines(caplog)
    assert line["event"] == "access_refused"
    assert (line["user_id"], line["kind"], line["pk"]) == (researcher.pk, "person", "7")


def test_every_response_carries_its_request_id(client, db):
    assert len(client.get("/admin/login/")["X-Request-ID"]) == 32
    given = client.get("/admin/login/", headers={"X-Request-ID": "proxy-42"})
    assert given["X-Request-ID"] == "proxy-42"
