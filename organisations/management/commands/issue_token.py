from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from organisations.tokens import default_days, issue_token
from tracker import access


class Command(BaseCommand):
    help = (
        "Issue an API token to a user; the token is the last word printed. It sees at most "
        "the researcher's view, whoever holds it."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--days", type=int, default=None, help="Days until it expires.")

    def handle(self, *args, username: str, days: int | None, **options) -> None:
        try:
            user = get_user_model().objects.get(username=username, is_active=True)
        except get_user_model().DoesNotExist:
            raise CommandError(_("No active user %(username)r.") % {"username": username}) from None
        if days is not None and not 1 <= days <= settings.API_TOKEN_MAX_DAYS:
            raise CommandError(
                _("--days must be between 1 and %(days)d.") % {"days": settings.API_TOKEN_MAX_DAYS}
            )
        if not (access.is_researcher(user) or access.is_staff(user)):
            note = _(
                "Note: %(username)s is not in the %(group)r group, so the token sees only "
                "published public records."
            )
            self.stderr.write(note % {"username": username, "group": access.RESEARCHER_GROUP})
        instance, token = issue_token(user, days=days or default_days())
        line = _("Token for %(username)s, valid until %(expiry)s: %(token)s")
        expiry = f"{instance.expiry:%Y-%m-%d}"
        self.stdout.write(line % {"username": username, "expiry": expiry, "token": token})
