"""Receivers that turn custody changes into events for the staff who follow them.

Connected in ``IncidentsConfig.ready``. Each stores the event in the transaction of the
change (``alerts.record_event``) and queues its delivery for after the commit, so a change
rolled back alerts nobody and a committed one is never lost (``alerts.sweep``).
"""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from tracker import changes

from . import alerts, tasks
from .models import CustodyEvent, CustodyFact, CustodyStay, Detention, Hearing

SOON = datetime.timedelta(hours=48)


def _alert(kind: str, detention_id: int, key: str) -> None:
    event = alerts.record_event(kind=kind, detention_id=detention_id, key=key)
    if event is not None:
        transaction.on_commit(lambda: tasks.deliver_custody_event.delay(event.pk))


def _held(detention_id: int) -> bool:
    return Detention.objects.in_custody().filter(pk=detention_id).exists()


def fact_saved(sender, instance: CustodyFact, raw: bool = False, **kwargs) -> None:
    """Whereabouts become unknown (or denied): the latest whereabouts fact says so."""
    if raw or instance.aspect != CustodyFact.Aspect.WHEREABOUTS:
        return
    if instance.state not in CustodyFact.WHEREABOUTS_MISSING:
        return
    later = CustodyFact.objects.filter(
        Q(since__gt=instance.since) | Q(since=instance.since, pk__gt=instance.pk),
        detention_id=instance.detention_id,
        aspect=instance.aspect,
    )
    if not later.exists() and _held(instance.detention_id):
        key = f"whereabouts:{instance.pk}:{instance.state}"
        _alert(CustodyEvent.Kind.WHEREABOUTS_UNKNOWN, instance.detention_id, key)


def stay_saved(sender, instance: CustodyStay, created: bool, raw: bool = False, **kwargs) -> None:
    """A new stay after another is a transfer."""
    if raw or not created:
        return
    earlier = CustodyStay.objects.filter(
        detention_id=instance.detention_id, since__lte=instance.since
    ).exclude(pk=instance.pk)
    if earlier.exists():
        _alert(CustodyEvent.Kind.TRANSFERRED, instance.detention_id, f"transfer:{instance.pk}")


def hearing_saved(sender, instance: Hearing, raw: bool = False, **kwargs) -> None:
    """A hearing (newly) set within the next 48 hours."""
    now = timezone.now()
    if raw or not now <= instance.starts_at <= now + SOON:
        return
    key = f"hearing:{instance.pk}:{instance.starts_at:%Y%m%d%H%M}"
    _alert(CustodyEvent.Kind.HEARING_SOON, instance.detention_id, key)


def detention_saved(sender, instance: Detention, raw: bool = False, **kwargs) -> None:
    """Any change of a detention, for those who follow the person, organisation or region."""
    if not raw:
        key = f"changed:{instance.pk}:{instance.version}"
        _alert(CustodyEvent.Kind.CHANGED, instance.pk, key)


def place_changed(sender, instance, **kwargs) -> None:
    """A renamed or reclassified place shows in the rows of the detentions held there."""
    stays = CustodyStay.objects.filter(place=instance).values_list("detention_id", flat=True)
    changes.touch(Detention, stays)
