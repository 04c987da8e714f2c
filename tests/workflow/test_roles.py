"""Roles come from a data migration; create_user puts a person in one."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.urls import reverse

from tracker.access import RESEARCHER_GROUP
from tracker.roles import DATA_ENTRY_GROUP, REVIEWER_GROUP


def codenames(group: str) -> set[str]:
    return set(Group.objects.get(name=group).permissions.values_list("codename", flat=True))


def test_roles_exist_with_their_permissions(db):
    data_entry, reviewer = codenames(DATA_ENTRY_GROUP), codenames(REVIEWER_GROUP)
    assert {"add_raid", "change_raid", "submit_record", "delete_seizeditem"} <= data_entry
    assert data_entry.isdisjoint({"publish_record", "purge_record", "delete_raid"})
    assert data_entry | {"publish_record", "revert_record", "merge_people", "purge_record"} <= (
        reviewer
    )
    assert codenames(RESEARCHER_GROUP) == set()


@pytest.mark.parametrize(
    ("role", "group", "staff", "superuser"),
    [
        ("data-entry", DATA_ENTRY_GROUP, True, False),
        ("reviewer", REVIEWER_GROUP, True, False),
        ("researcher", RESEARCHER_GROUP, False, False),
        ("admin", None, True, True),
    ],
)
def test_create_user_puts_the_user_in_the_role(db, capsys, role, group, staff, superuser):
    call_command("create_user", "olga", role=role)
    user = get_user_model().objects.get(username="olga")
    assert (user.is_staff, user.is_superuser) == (staff, superuser)
    assert list(user.groups.values_list("name", flat=True)) == ([group] if group else [])
    password = capsys.readouterr().out.split("Password (shown once): ")[1].strip()
    assert user.check_password(password)


def test_create_user_takes_the_password_from_the_environment(db, capsys, monkeypatch):
    monkeypatch.setenv("TRACKER_NEW_USER_PASSWORD", "a long enough passphrase")
    call_command("create_user", "olga", role="reviewer")
    assert "Password" not in capsys.readouterr().out
    assert get_user_model().objects.get().check_password("a long enough passphrase")


def test_create_user_refuses_an_existing_name_and_a_weak_password(editor, monkeypatch):
    with pytest.raises(CommandError, match="already exists"):
        call_command("create_user", "editor", role="reviewer")
    monkeypatch.setenv("TRACKER_NEW_USER_PASSWORD", "short")
    with pytest.raises(CommandError, match="too short"):
        call_command("create_user", "olga", role="reviewer")
    assert not get_user_model().objects.filter(username="olga").exists()


def test_researchers_have_no_admin(client, researcher):
    client.force_login(researcher)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
