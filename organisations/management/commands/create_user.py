"""Create a staff or API user in one of the roles (see tracker/roles.py)."""

import os
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from tracker.roles import DATA_ENTRY_GROUP, RESEARCHER_GROUP, REVIEWER_GROUP

ADMIN = "admin"
# role on the command line: (group, staff)
ROLES = {
    "data-entry": (DATA_ENTRY_GROUP, True),
    "reviewer": (REVIEWER_GROUP, True),
    "researcher": (RESEARCHER_GROUP, False),
    ADMIN: (None, True),
}
PASSWORD_VARIABLE = "TRACKER_NEW_USER_PASSWORD"  # noqa: S105 (a variable name)


class Command(BaseCommand):
    help = (
        "Create a user in a role: data-entry, reviewer, researcher (API only) or admin "
        "(superuser). Prints a generated password, or takes it from the environment "
        f"variable {PASSWORD_VARIABLE}."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=sorted(ROLES))
        parser.add_argument("--email", default="")

    def handle(self, *args, username: str, role: str, email: str, **options) -> None:
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            raise CommandError(
                _("A user named %(username)r already exists.") % {"username": username}
            )
        given = os.environ.get(PASSWORD_VARIABLE, "")
        password = given or secrets.token_urlsafe(18)
        group, staff = ROLES[role]
        user = User(username=username, email=email, is_staff=staff, is_superuser=role == ADMIN)
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(f"{PASSWORD_VARIABLE}: {' '.join(error.messages)}") from None
        with transaction.atomic():
            user.set_password(password)
            user.save()
            if group:
                user.groups.add(Group.objects.get(name=group))
        created = _("Created %(username)s (%(role)s).") % {"username": username, "role": role}
        self.stdout.write(self.style.SUCCESS(created))
        if not given:
            self.stdout.write(_("Password (shown once): %(password)s") % {"password": password})
