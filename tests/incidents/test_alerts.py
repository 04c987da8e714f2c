"""Alerts the same hour: who hears of which custody event, once, and what the mail says."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from incidents import alerts
from incidents.models import CustodyEvent, Follow, Hearing, Notice, PlaceOfCustody
from tests.factories import DetentionFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db(transaction=True)  # delivery runs on commit


@pytest.fixture
def staff(django_user_model):
    def make(name: str):
        return django_user_model.objects.create_user(
            name, f"{name}@example.org", "x" * 16, is_staff=True
        )

    return make


def test_whereabouts_unknown_notifies_the_follower_once_and_nobody_else(staff):
    person = PersonFactory(name="Igor Kazmerchak")
    detention = DetentionFactory(person=person, region="BY-VI")
    follower, other = staff("olga"), staff("ivan")
    Follow.objects.create(user=follower, person=person)
    Follow.objects.create(user=other, region="BY-BR")
    mail.outbox.clear()
    fact = detention.custody_facts.create(aspect="whereabouts", state="unknown",
                                          since=detention.date)  # fmt: skip
    fact.save()  # saved again: the same event
    assert [m.to for m in mail.outbox] == [["olga@example.org"]]
    assert "Kazmerchak" not in mail.outbox[0].subject
    assert f"#{detention.pk}" in mail.outbox[0].subject
    assert [n.event.kind for n in alerts.unread_notices(follower)] == ["whereabouts"]
    assert not alerts.unread_notices(other).exists()


def test_urgent_followers_hear_of_transfers_and_hearings_within_48_hours(staff):
    watcher = staff("duty")
    Follow.objects.create(user=watcher, everything_urgent=True)
    detention = DetentionFactory()
    first, second = (PlaceOfCustody.objects.create(name=n) for n in ("Okrestina", "SIZO-1"))
    detention.stays.create(place=first, since=detention.date)
    detention.stays.create(place=second, since=detention.date + datetime.timedelta(days=3))
    now = timezone.now()
    Hearing.objects.create(detention=detention, starts_at=now + datetime.timedelta(hours=20),
                           court="Court", kind="trial")  # fmt: skip
    Hearing.objects.create(detention=detention, starts_at=now + datetime.timedelta(days=5),
                           court="Court", kind="trial")  # fmt: skip
    detention.save()  # a change: only for followers of the person, organisation or region
    kinds = sorted(n.event.kind for n in alerts.unread_notices(watcher))
    assert kinds == ["hearing", "transferred"]


def test_organisation_followers_hear_of_their_members_records(staff):
    from organisations.models import Membership

    organisation = OrganisationFactory()
    person = PersonFactory()
    Membership.objects.create(person=person, organisation=organisation, role="member")
    follower = staff("org")
    Follow.objects.create(user=follower, organisation=organisation)
    DetentionFactory(person=person)
    assert [n.event.kind for n in alerts.unread_notices(follower)] == ["changed"]


def test_sweep_sends_what_was_left_pending_once(staff):
    follower = staff("olga")
    detention = DetentionFactory()
    Follow.objects.create(user=follower, everything_urgent=True)
    event = CustodyEvent.objects.create(key="test:1", kind="whereabouts", detention=detention)
    mail.outbox.clear()
    assert alerts.sweep() == 1
    assert alerts.sweep() == 0
    assert len(mail.outbox) == 1
    assert Notice.objects.get(event=event).sent_at is not None


def test_mark_read_leaves_the_notice_out_of_the_unread_list(staff):
    follower = staff("olga")
    detention = DetentionFactory()
    Follow.objects.create(user=follower, person=detention.person)
    detention.save()
    notices = list(alerts.unread_notices(follower))
    assert alerts.mark_read(follower, [n.pk for n in notices]) == len(notices) > 0
    assert not alerts.unread_notices(follower).exists()
