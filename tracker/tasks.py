"""Celery tasks of the core: the full dumps (thin: delivery and retry policy)."""

from celery import shared_task
from django.db import InterfaceError, OperationalError, transaction

from tracker import dumps


@shared_task(
    name="tracker.build_dumps",
    acks_late=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=60,
    retry_backoff_max=30 * 60,
    retry_jitter=True,
    max_retries=5,
)
def build_dumps() -> int:
    """Build a set of full dumps; the number of files (0 when another build was running).

    Safe to redeliver: a second build while one runs skips, and a finished one only adds a
    newer set.
    """
    made = dumps.build()
    return len(made or [])


def discard_dumps_showing(sender, record, **kwargs):
    """Receiver of ``tracker.workflow.purging``: the dumps taken while the record existed go,
    and a new set is built once the purge is committed."""
    files = dumps.discard(made_since=record.created_at)
    if files:
        transaction.on_commit(build_dumps.delay)
    return files
