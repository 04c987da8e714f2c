"""Records and people for the review-workflow tests."""

import datetime

import pytest
from django.contrib.auth.models import Group

from incidents.models import Raid, SeizedItem
from tracker.review import Status
from tracker.roles import REVIEWER_GROUP


def make_raid(author, **fields) -> Raid:
    defaults = {
        "date": datetime.date(2021, 7, 14),
        "premises_type": Raid.Premises.OFFICE,
        "settlement": "Minsk",
        "narrative": "Equipment, computers and cell phones were seized.",
        "created_by": author,
        "updated_by": author,
    }
    raid = Raid.objects.create(**{**defaults, **fields})
    SeizedItem.objects.create(raid=raid, kind=SeizedItem.Kind.COMPUTER, count=2)
    return raid


@pytest.fixture
def raid_by():
    """Make a raid with one seized item, entered by the given user."""
    return make_raid


@pytest.fixture
def draft(editor) -> Raid:
    """A draft raid entered by data-entry staff."""
    return make_raid(editor)


@pytest.fixture
def in_review(editor) -> Raid:
    return make_raid(editor, status=Status.IN_REVIEW)


@pytest.fixture
def published(editor) -> Raid:
    return make_raid(editor, status=Status.PUBLISHED)


@pytest.fixture
def second_reviewer(django_user_model):
    user = django_user_model.objects.create_user("reviewer2", password="x" * 16, is_staff=True)
    user.groups.add(Group.objects.get(name=REVIEWER_GROUP))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def reviewer_client(client, reviewer):
    client.force_login(reviewer)
    return client
