"""Alerts the same hour: custody events told to the staff who follow them, once each.

An event (``CustodyEvent``) is written in the transaction of the change that caused it,
under a key naming it, so retries store it once. After the commit a task fans it out: one
``Notice`` per follower (unique per event and user) is stored, then mailed, and marked sent
under a row lock. A worker that dies before sending leaves the event or notice pending;
``sweep`` (at a worker's start and every minute) finishes it. Mail subjects name no one.
"""

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from organisations.models import Membership, public_name

from .models import CustodyEvent, Detention, Follow, Notice

logger = logging.getLogger(__name__)


def record_event(*, kind: str, detention_id: int, key: str) -> CustodyEvent | None:
    """Store the event once; return it if it is new (to be delivered after the commit)."""
    event, created = CustodyEvent.objects.get_or_create(
        key=key, defaults={"kind": kind, "detention_id": detention_id}
    )
    return event if created else None


def followers(event: CustodyEvent) -> QuerySet:
    """Active staff following the detained person, an organisation of theirs or by whom they
    were detained, the region, or (for urgent events) everything urgent."""
    detention = Detention.objects.get(pk=event.detention_id)
    organisations = Membership.objects.filter(person_id=detention.person_id).values(
        "organisation_id"
    )
    follows = Q(person_id=detention.person_id) | Q(organisation_id__in=organisations)
    if detention.region:
        follows |= Q(region=detention.region)
    if detention.authority_id:
        follows |= Q(organisation_id=detention.authority_id)
    if event.kind in CustodyEvent.URGENT:
        follows |= Q(everything_urgent=True)
    users = Follow.objects.filter(follows).values("user_id")
    return get_user_model().objects.filter(pk__in=users, is_active=True, is_staff=True)


def deliver(event_id: int) -> int:
    """Store a notice for every follower of the event, then mail each one not yet sent."""
    with transaction.atomic():
        event = CustodyEvent.objects.select_for_update().filter(pk=event_id).first()
        if event is None:
            return 0
        if event.fanned_out_at is None:
            Notice.objects.bulk_create(
                [Notice(event=event, user=user) for user in followers(event)],
                ignore_conflicts=True,
            )
            event.fanned_out_at = timezone.now()
            event.save(update_fields=["fanned_out_at"])
    unsent = Notice.objects.filter(event_id=event_id, sent_at=None).values_list("pk", flat=True)
    return sum(send_notice(pk) for pk in unsent)


def send_notice(notice_id: int) -> bool:
    """Mail one notice unless sent; the row stays locked until it is marked sent."""
    with transaction.atomic():
        notice = (
            Notice.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("user", "event__detention__person")
            .filter(pk=notice_id, sent_at=None)
            .first()
        )
        if notice is None:
            return False
        if notice.user.email:
            message(notice).send()
        notice.sent_at = timezone.now()
        notice.save(update_fields=["sent_at"])
    return True


def message(notice: Notice) -> EmailMessage:
    """The mail of a notice: the kind and the record's number in the subject, no name."""
    event = notice.event
    language = getattr(getattr(notice.user, "preferences", None), "language", None)
    with translation.override(language or settings.REPORT_LANGUAGE):
        kind = event.get_kind_display()
        subject = _("%(kind)s: detention #%(id)d") % {"kind": kind, "id": event.detention_id}
        person = event.detention.person
        name = public_name(
            name=person.name, pseudonym=person.pseudonym, may_be_named=person.may_be_named
        )
        path = reverse("admin:incidents_detention_change", args=[event.detention_id])
        body = _("%(kind)s: %(name)s, detention #%(id)d.\n\nOpen the record: %(path)s") % {
            "kind": kind,
            "name": name,
            "id": event.detention_id,
            "path": path,
        }
    return EmailMessage(f"[{_('Rights Tracker')}] {subject}", body, to=[notice.user.email])


def sweep(*, older_than: datetime.timedelta = datetime.timedelta(0)) -> int:
    """Deliver what a dead worker or a lost task left pending; returns the mails sent."""
    before = timezone.now() - older_than
    sent = 0
    pending = CustodyEvent.objects.filter(fanned_out_at=None, at__lte=before)
    for event_id in pending.order_by("at").values_list("pk", flat=True):
        sent += deliver(event_id)
    unsent = Notice.objects.filter(sent_at=None, created_at__lte=before)
    for notice_id in unsent.order_by("created_at").values_list("pk", flat=True):
        sent += send_notice(notice_id)
    return sent


def unread_notices(user) -> QuerySet:
    """A staff member's unread notices, newest first, with what a dashboard lists of them."""
    return (
        Notice.objects.unread()
        .filter(user=user)
        .select_related("event__detention__person")
        .order_by("-created_at", "-id")
    )


def mark_read(user, notice_ids: list[int]) -> int:
    return Notice.objects.filter(user=user, pk__in=notice_ids, read_at=None).update(
        read_at=timezone.now()
    )
