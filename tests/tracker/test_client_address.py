"""One client address behind 0, 1 or 2 proxies, for the lockout, the API throttle and the log."""

import json
import logging

import pytest
from django.core.cache import cache

from tracker import audit
from tracker.clients import client_address

LOGIN = "/admin/login/"
PROXIES = ["10.0.0.1", "10.0.0.2"]


def via_proxies(client_ip: str, proxies: int, forged: str | None = None) -> dict[str, str]:
    """The request as it reaches the app through ``proxies`` proxies that append hops."""
    chain = [*([forged] if forged else []), client_ip, *PROXIES[:proxies]]
    meta = {"REMOTE_ADDR": chain[-1]}
    if len(chain) > 1:
        meta["HTTP_X_FORWARDED_FOR"] = ", ".join(chain[:-1])
    return meta


def fail_sign_in(client, username: str, meta: dict[str, str]):
    return client.post(LOGIN, {"username": username, "password": "wrong"}, **meta)


@pytest.mark.parametrize("proxies", [0, 1, 2])
@pytest.mark.parametrize("forged", [None, "203.0.113.66", "not-an-address"])
def test_client_address_is_the_right_most_entry_the_proxies_did_not_add(
    rf, settings, proxies, forged
):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = rf.get("/", **via_proxies("198.51.100.7", proxies, forged))
    assert client_address(request) == "198.51.100.7"


@pytest.mark.parametrize("proxies", [1, 2])
def test_proxied_failures_of_one_client_do_not_lock_out_another(
    client, superuser, settings, proxies
):
    settings.TRUSTED_PROXY_COUNT = proxies
    for attempt in range(100):
        fail_sign_in(client, f"guess{attempt}", via_proxies("198.51.100.7", proxies))
    data = {"username": "admin", "password": "x" * 16, "next": "/admin/"}
    assert client.post(LOGIN, data, **via_proxies("198.51.100.8", proxies)).status_code == 302


@pytest.mark.parametrize("proxies", [0, 1, 2])
def test_forged_forwarded_for_does_not_escape_the_address_lock(client, db, settings, proxies):
    settings.TRUSTED_PROXY_COUNT = proxies
    for attempt in range(100):
        meta = via_proxies("198.51.100.7", proxies, forged=f"203.0.113.{attempt}")
        fail_sign_in(client, f"guess{attempt}", meta)
    meta = via_proxies("198.51.100.7", proxies, forged="203.0.113.200")
    assert fail_sign_in(client, "someone", meta).status_code == 429


@pytest.mark.parametrize("proxies", [0, 1, 2])
def test_audit_log_records_the_client_address(client, db, settings, caplog, proxies):
    settings.TRUSTED_PROXY_COUNT = proxies
    caplog.set_level(logging.INFO, logger="tracker.audit")
    fail_sign_in(client, "someone", via_proxies("198.51.100.7", proxies, forged="203.0.113.1"))
    (record,) = [r for r in caplog.records if r.name == "tracker.audit"]
    assert json.loads(audit.JsonFormatter().format(record))["ip"] == "198.51.100.7"


@pytest.mark.parametrize("proxies", [0, 1, 2])
def test_api_throttle_counts_the_client_address(anon_client, settings, proxies):
    settings.TRUSTED_PROXY_COUNT = proxies
    settings.API_THROTTLE_RATES = {"anonymous": "1/minute", "token": None}
    cache.clear()
    first = via_proxies("198.51.100.7", proxies, forged="203.0.113.1")
    assert anon_client.get("/api/v1/", **first).status_code == 200
    forged = via_proxies("198.51.100.7", proxies, forged="203.0.113.2")
    assert anon_client.get("/api/v1/", **forged).status_code == 429
    assert anon_client.get("/api/v1/", **via_proxies("198.51.100.8", proxies)).status_code == 200
