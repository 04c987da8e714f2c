"""The admin site: Django's, with a second factor (TOTP) when ``REQUIRE_2FA``."""

from django.conf import settings
from django.contrib.admin import AdminSite
from django.contrib.admin.forms import AdminAuthenticationForm
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite


class TOTPLoginForm(OTPAdminAuthenticationForm):
    """Password and code in one step: a user with a single device need not pick it."""

    def _chosen_device(self, user):
        device = super()._chosen_device(user)
        if device is None:
            devices = list(devices_for_user(user, confirmed=True, for_verify=True))
            if len(devices) == 1:
                device = devices[0]
        return device


class TrackerAdminSite(OTPAdminSite):
    """Asks for a TOTP code at login and lets in only verified staff when ``REQUIRE_2FA``.

    Without it (the development default) the site is Django's plain admin, so that
    ``make run`` needs no authenticator app.
    """

    site_header = _("Rights Tracker")
    site_title = _("Rights Tracker")

    def __init__(self, name: str = "admin") -> None:
        super().__init__(name)

    @property
    def login_form(self):
        return TOTPLoginForm if settings.REQUIRE_2FA else AdminAuthenticationForm

    @property
    def login_template(self):
        return OTPAdminSite.login_template if settings.REQUIRE_2FA else None

    def has_permission(self, request) -> bool:
        if settings.REQUIRE_2FA:
            return super().has_permission(request)
        return AdminSite.has_permission(self, request)
