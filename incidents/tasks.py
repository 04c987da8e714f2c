"""Celery tasks: thin wrappers holding only the delivery and retry policy."""

import datetime

from celery import shared_task
from celery.signals import worker_ready
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from . import alerts, reports


@shared_task(
    name="incidents.make_nightly_reports",
    acks_late=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=30,
    retry_backoff_max=15 * 60,
    retry_jitter=True,
    max_retries=10,
)
def make_nightly_reports(day: str | None = None) -> list[str]:
    """Make the report of ``day`` (ISO date), or of yesterday and any missed day.

    Idempotent: a day already reported is skipped, so redelivery and retries are safe.
    """
    if day:
        days = [datetime.date.fromisoformat(day)]
    else:
        days = reports.due_days(today=timezone.localdate())
    return [reports.make_report(day=d).day.isoformat() for d in days]


@worker_ready.connect
def catch_up_on_start(**kwargs) -> None:
    """A worker coming back makes the missed or unfinished days at once.

    A worker killed as a whole (machine restart, out of memory) leaves its task unacknowledged
    in Redis until the visibility timeout; the catch-up need not wait for it.
    """
    make_nightly_reports.delay()


@shared_task(
    name="incidents.deliver_custody_event",
    acks_late=True,
    autoretry_for=(OperationalError, InterfaceError, OSError),
    retry_backoff=10,
    retry_backoff_max=5 * 60,
    max_retries=20,
)
def deliver_custody_event(event_id: int) -> int:
    """Notify the followers of one custody event; idempotent (see ``incidents.alerts``)."""
    return alerts.deliver(event_id)


@shared_task(name="incidents.sweep_custody_alerts", acks_late=True)
def sweep_custody_alerts(older_than_seconds: int = 60) -> int:
    """Deliver events and notices left pending (a dead worker, a lost message)."""
    return alerts.sweep(older_than=datetime.timedelta(seconds=older_than_seconds))


@worker_ready.connect
def sweep_on_start(**kwargs) -> None:
    """A worker coming back delivers at once what a killed one left unsent."""
    sweep_custody_alerts.delay(0)
