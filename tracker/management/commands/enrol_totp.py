from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = (
        "Give a user a new TOTP device and print its otpauth:// URI for an authenticator app "
        "(the device's admin page shows it as a QR code). Needed before the first admin login "
        "in production."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="authenticator", help="A label for the device.")
        parser.add_argument(
            "--replace", action="store_true", help="Delete the user's other TOTP devices."
        )

    def handle(self, *args, username: str, name: str, replace: bool, **options) -> None:
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(_("No user named %(username)r.") % {"username": username}) from None
        if replace:
            TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(user=user, name=name, confirmed=True)
        self.stdout.write(device.config_url)
