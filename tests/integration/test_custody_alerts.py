"""Custody alerts through a real Celery worker on Redis, mailing into a directory.

As in ``test_celery_stack``: a transactional test, so that the worker sees the committed
rows; every wait bounded; every process stopped.
"""

import os
import signal
import time
from pathlib import Path

import pytest
from django.db import connection

from incidents.models import CustodyEvent, Follow
from tests.factories import DetentionFactory, PersonFactory
from tests.integration.test_celery_stack import WORKER, wait_for, waiting_for_a_lock
from tracker.celery import app as celery_app

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def mailbox(environment, tmp_path) -> Path:
    """The worker's mail goes to files in this directory, one per message."""
    directory = tmp_path / "mail"
    directory.mkdir()
    environment["EMAIL_URL"] = f"filemail:///{directory}"  # an absolute path
    return directory


def mails_to(mailbox: Path, address: str, kind: str = "") -> list[str]:
    """Mails to ``address`` (whose subject begins with ``kind``, if given)."""
    texts = [path.read_text() for path in mailbox.iterdir()]
    subject = f"Subject: [Rights Tracker] {kind}"
    return [text for text in texts if f"To: {address}" in text and subject in text]


def alerts_to(mailbox: Path, address: str) -> list[str]:
    return mails_to(mailbox, address, "whereabouts unknown")


@pytest.fixture
def queued_on_broker(environment):
    """Tasks queued by this process go to the broker, for the worker, not run in-process."""
    conf = celery_app.conf
    saved = conf.task_always_eager, conf.broker_url
    conf.task_always_eager, conf.broker_url = False, environment["CELERY_BROKER_URL"]
    yield
    conf.task_always_eager, conf.broker_url = saved


@pytest.fixture
def followed(django_user_model, queued_on_broker):
    person = PersonFactory(name="Igor Kazmerchak")
    detention = DetentionFactory(person=person, region="BY-VI")
    follower = django_user_model.objects.create_user(
        "olga", "olga@example.org", "x" * 16, is_staff=True
    )
    django_user_model.objects.create_user("ivan", "ivan@example.org", "x" * 16, is_staff=True)
    Follow.objects.create(user=follower, person=person)
    return detention


def mark_missing(detention) -> None:
    detention.custody_facts.create(aspect="whereabouts", state="unknown", since=detention.date)


def test_whereabouts_unknown_mails_the_follower_once_and_no_one_else(
    start, mailbox, followed, tmp_path
):
    start("worker", *WORKER, "--loglevel=INFO")
    mark_missing(followed)
    wait_for(lambda: alerts_to(mailbox, "olga@example.org"), "the alert", tmp_path)
    time.sleep(3)  # a second mail would come now
    (message,) = alerts_to(mailbox, "olga@example.org")
    assert "Kazmerchak" not in message.split("\n\n")[0]  # the headers, subject included
    assert mails_to(mailbox, "ivan@example.org") == []


def test_a_worker_killed_before_sending_sends_after_restart_still_once(
    start, mailbox, followed, tmp_path
):
    # The event is queued before a worker runs, and its row locked as by a transaction
    # still open: the worker that takes it waits, and is killed before it sends anything.
    mark_missing(followed)
    event = CustodyEvent.objects.get(kind="whereabouts")
    locker = connection.get_new_connection(connection.get_connection_params())
    locker.execute("SELECT 1 FROM incidents_custodyevent WHERE id = %s FOR UPDATE", [event.pk])
    killed = start("killed-worker", *WORKER)
    wait_for(waiting_for_a_lock, "the worker to start delivering", tmp_path)
    os.killpg(killed.pid, signal.SIGKILL)
    locker.close()
    assert alerts_to(mailbox, "olga@example.org") == []
    start("worker", *WORKER)
    wait_for(lambda: alerts_to(mailbox, "olga@example.org"), "the alert after restart", tmp_path)
    time.sleep(3)
    assert len(alerts_to(mailbox, "olga@example.org")) == 1
    assert mails_to(mailbox, "ivan@example.org") == []
