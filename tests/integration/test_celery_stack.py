"""The production processes, natively: celery worker, celery beat and gunicorn.

They run against the real Redis and against this test run's PostgreSQL database (a
transactional test, so that they see its committed rows). Every wait is bounded and every
process is stopped, whatever happens.
"""

import contextlib
import datetime
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from celery import Celery
from django.db import connection
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from incidents.models import NightlyReport, Raid
from incidents.tasks import make_nightly_reports
from tests.nightly_report_data import load_sample_as_entered

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
BROKER = os.environ.get("TEST_CELERY_BROKER_URL", "redis://127.0.0.1:6379/3")
WORKER = (
    "celery",
    "-A",
    "tracker",
    "worker",
    "--pool=solo",
    "--without-mingle",
    "--without-gossip",
)
TIMEOUT = 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(check: Callable[[], bool], what: str, logs: Path) -> None:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.5)
    output = "\n".join(f"--- {p.name}\n{p.read_text()[-3000:]}" for p in logs.glob("*.log"))
    pytest.fail(f"Timed out waiting for {what}.\n{output}")


@pytest.fixture
def environment(settings, tmp_path) -> dict[str, str]:
    db = settings.DATABASES["default"]
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    settings.MEDIA_ROOT = tmp_path / "media"
    Celery(broker=BROKER).control.purge()  # tasks left over by an interrupted run
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}{password}@{host}/{db['NAME']}",
        "CELERY_BROKER_URL": BROKER,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "TRACKER_ENV": "development",
        "MPLCONFIGDIR": str(tmp_path / "matplotlib"),
    }


@pytest.fixture
def start(environment, tmp_path) -> Iterator[Callable[..., subprocess.Popen]]:
    processes: list[subprocess.Popen] = []

    def start(name: str, *args: str) -> subprocess.Popen:
        log = (tmp_path / f"{name}.log").open("w")
        process = subprocess.Popen(
            [sys.executable, "-m", *args],
            cwd=ROOT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        processes.append(process)
        return process

    yield start
    for process in processes:
        with contextlib.suppress(ProcessLookupError):  # killed by the test
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def status_of(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (local URL)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def report_made(day: str) -> Callable[[], bool]:
    return NightlyReport.objects.filter(day=day, made_at__isnull=False).exists


def test_worker_beat_and_gunicorn_make_and_guard_the_report(start, tmp_path):
    load_sample_as_entered()
    PeriodicTask.objects.create(
        name="test: report through beat",
        task=make_nightly_reports.name,
        kwargs='{"day": "2021-07-14"}',
        interval=IntervalSchedule.objects.create(every=1, period=IntervalSchedule.SECONDS),
        one_off=True,
    )
    port = free_port()
    start("worker", *WORKER, "--loglevel=INFO")
    start(
        "beat",
        "celery",
        "-A",
        "tracker",
        "beat",
        "--max-interval=1",
        "--loglevel=INFO",
        f"--pidfile={tmp_path / 'beat.pid'}",
    )
    start(
        "gunicorn",
        "gunicorn",
        "tracker.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "1",
    )

    Celery(broker=BROKER).send_task(make_nightly_reports.name, args=["2021-07-15"])

    wait_for(report_made("2021-07-15"), "the report sent through the broker", tmp_path)
    wait_for(report_made("2021-07-14"), "the report scheduled by beat", tmp_path)
    report = NightlyReport.objects.get(day=datetime.date(2021, 7, 15))
    assert report.figures["custody"]["urgent"] == 1
    assert Path(report.html.path).read_text().count("URGENT") == 1
    base = f"http://127.0.0.1:{port}"
    wait_for(lambda: status_of(f"{base}/admin/login/") == 200, "gunicorn", tmp_path)
    assert status_of(f"{base}/reports/2021-07-15/") == 404


def waiting_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )
        return cursor.fetchone()[0] > 0


def test_a_report_cut_off_by_a_killed_worker_is_made_when_a_worker_comes_back(start, tmp_path):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    report = NightlyReport.objects.create(day=yesterday)
    locker = connection.get_new_connection(connection.get_connection_params())
    locker.execute("SELECT 1 FROM incidents_nightlyreport WHERE id = %s FOR UPDATE", [report.pk])
    killed = start("killed-worker", *WORKER)
    Celery(broker=BROKER).send_task(make_nightly_reports.name, args=[yesterday.isoformat()])
    wait_for(waiting_for_a_lock, "the worker to start the report", tmp_path)
    os.killpg(killed.pid, signal.SIGKILL)
    locker.close()
    start("worker", *WORKER)
    wait_for(report_made(yesterday.isoformat()), "the report after the restart", tmp_path)


def export_session() -> int | None:
    """The pid of the database session holding an export's transaction open, if any."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND xact_start IS NOT NULL"
        )
        found = cursor.fetchone()
    return found[0] if found else None


def test_gunicorn_drops_an_export_cut_by_the_database_without_ending_it(start, tmp_path):
    # The first chunk (10 MB) outgrows the socket buffers: the worker waits on the socket,
    # before reading the second chunk, until the client reads on.
    raid = {"date": datetime.date(2021, 7, 14), "settlement": "Minsk", "narrative": "x" * 2000}
    raids = (
        Raid(**raid, status="published", visibility="public") for _ in range(6000)
    )  # > CHUNK_SIZE
    Raid.objects.bulk_create(raids)
    port = free_port()
    start("gunicorn", "gunicorn", "tracker.wsgi:application", "--config", "gunicorn.conf.py",
          "--bind", f"127.0.0.1:{port}", "--workers", "1")  # fmt: skip
    wait_for(
        lambda: status_of(f"http://127.0.0.1:{port}/admin/login/") == 200, "gunicorn", tmp_path
    )
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    client.request("GET", "/api/v1/export/raids/?format=ndjson")
    response = client.getresponse()
    first = response.read(100)
    wait_for(lambda: export_session() is not None, "the export's database session", tmp_path)
    connection.cursor().execute("SELECT pg_terminate_backend(%s)", [export_session()])
    with pytest.raises(http.client.IncompleteRead) as cut:
        response.read()
    client.close()
    assert response.chunked
    assert b'"complete"' not in first + cut.value.partial
