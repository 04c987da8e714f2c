import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = "Create (or reset) the demo superuser with a new random password, and print it."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--username", default="demo")
        parser.add_argument("--port", type=int, default=8000, help="The port the server uses.")

    def handle(self, *args, username: str, port: int, **options) -> None:
        password = secrets.token_urlsafe(12)
        user, _created = get_user_model().objects.get_or_create(username=username)
        user.is_staff = user.is_superuser = user.is_active = True
        user.set_password(password)
        user.save()
        self.stdout.write(
            self.style.SUCCESS(
                _("Demo login: %(url)s  user %(username)s  password %(password)s")
                % {
                    "url": f"http://127.0.0.1:{port}/admin/",
                    "username": username,
                    "password": password,
                }
            )
        )
