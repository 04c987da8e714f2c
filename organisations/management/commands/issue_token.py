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
            raise CommandError(f"No active user {username!r}.") from None
        if days is not None and not 1 <= days <= settings.API_TOKEN_MAX_DAYS:
            raise CommandError(
                _("--days must be between 1 and %(days)d.") % {"days": settings.API_TOKEN_MAX_DAYS}
            )
        if not (access.is_researcher(user) or access.is_staff(user)):
            self.stderr.write(
                f"Note: {username} is not in the {access.RESEARCHER_GROUP!r} group, so the "
                "token sees only published public records."
            )
        instance, token = issue_token(user, days=days or default_days())
        self.stdout.write(f"Token for {username}, valid until {instance.expiry:%Y-%m-%d}: {token}")
