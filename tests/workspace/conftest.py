"""Records for the staff workspace tests (home page, review, case page, lists)."""

import pytest

from tests.workflow.conftest import make_raid


@pytest.fixture
def raid_by():
    """Make a raid with one seized item, entered by the given user."""
    return make_raid


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def reviewer_client(client, reviewer):
    client.force_login(reviewer)
    return client
