"""docker-compose.yml is the production path: check its shape without a Docker engine."""

import os
import re
import runpy
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_TEXT = (ROOT / "docker-compose.yml").read_text()
COMPOSE = yaml.safe_load(COMPOSE_TEXT)
SERVICES = COMPOSE["services"]
APP_SERVICES = ("web", "worker", "beat")


def env_example() -> dict[str, str]:
    lines = (ROOT / ".env.example").read_text().splitlines()
    pairs = (line.split("=", 1) for line in lines if line and not line.startswith("#"))
    return {key.strip(): value for key, value in pairs}


def command(service: str) -> str:
    value = SERVICES[service]["command"]
    return " ".join(value) if isinstance(value, list) else value


def test_it_has_the_five_services():
    assert set(SERVICES) == {"db", "redis", "web", "worker", "beat"}


def test_database_is_postgresql_15_or_newer():
    image, _, tag = SERVICES["db"]["image"].partition(":")
    assert image == "postgres"
    assert int(tag.split(".")[0].split("-")[0]) >= 15


def test_web_migrates_then_serves_with_gunicorn():
    web = command("web")
    assert web.index("manage.py migrate") < web.index("gunicorn tracker.wsgi")


def test_worker_and_beat_are_separate_celery_processes():
    assert "celery -A tracker worker" in command("worker")
    assert "celery -A tracker beat" in command("beat")
    assert not re.search(r"(\s-B\b|--beat)", command("worker"))


@pytest.mark.parametrize("service", list(SERVICES))
def test_every_service_has_a_health_check(service):
    assert SERVICES[service]["healthcheck"]["test"]


def test_app_services_share_one_image_and_the_env_file():
    for service in APP_SERVICES:
        assert SERVICES[service]["image"] == "rights-tracker"
        assert SERVICES[service]["env_file"] == ".env"
        assert "media:/app/var/media" in SERVICES[service]["volumes"]


def test_data_lives_in_named_volumes():
    assert {"pgdata", "redisdata", "media"} <= set(COMPOSE["volumes"])
    assert "pgdata:/var/lib/postgresql/data" in SERVICES["db"]["volumes"]


def test_every_variable_the_compose_file_uses_is_in_env_example():
    used = set(re.findall(r"\$\$?\{?([A-Z][A-Z0-9_]*)", COMPOSE_TEXT))
    assert used
    assert used <= set(env_example())


def test_env_example_holds_the_production_settings():
    example = env_example()
    required = {"SECRET_KEY", "FIELD_ENCRYPTION_KEY", "DATABASE_URL", "CELERY_BROKER_URL"}
    assert required | {"ALLOWED_HOSTS", "TRACKER_ENV"} <= set(example)
    assert example["TRACKER_ENV"] == "production"
    assert example["CELERY_BROKER_URL"].startswith("redis://redis:")
    assert "@db:5432/" in example["DATABASE_URL"]


def test_env_example_holds_every_variable_the_settings_read():
    settings_text = (ROOT / "tracker" / "settings.py").read_text()
    read = set(re.findall(r'env(?:\.[a-z]+)?\(\s*"([A-Z][A-Z0-9_]*)"', settings_text))
    assert {"SECRET_KEY", "DATABASE_URL", "REPORT_EMAILS"} <= read
    assert read <= set(env_example())


def test_web_port_is_published_on_loopback_only():
    ports = SERVICES["web"]["ports"]
    assert ports
    assert all(str(port).startswith("127.0.0.1:") for port in ports)


def test_compose_and_the_image_start_gunicorn_with_the_config_file():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "--config gunicorn.conf.py" in command("web")
    assert '"--config", "gunicorn.conf.py"' in dockerfile


def test_gunicorn_access_log_records_the_path_without_the_query(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = tmp_path / "gunicorn.log"
    env = {**os.environ, "DATABASE_URL": "sqlite:///:memory:", "WEB_CONCURRENCY": "1"}
    args = ["gunicorn", "tracker.wsgi:application", "--config", "gunicorn.conf.py"]
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", *args, "--bind", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_for_answer(f"http://127.0.0.1:{port}/admin/login/?q=Bialiatski")
        finally:
            server.terminate()
            server.wait(timeout=10)
    assert "GET /admin/login/ HTTP/1.1" in log.read_text()
    assert "Bialiatski" not in log.read_text()


def wait_for_answer(url: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=5).close()  # noqa: S310 (local URL)
            return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"gunicorn did not answer {url}")


def test_gunicorn_runs_threaded_workers_that_long_exports_do_not_time_out():
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert config["worker_class"] == "gthread"  # the timeout is the worker's heartbeat
    assert config["threads"] > 1
