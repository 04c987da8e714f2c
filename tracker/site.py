"""The admin site: Django's, with a second factor (TOTP) when ``REQUIRE_2FA``, and the
staff's dashboard as its home page."""

from django.conf import settings
from django.contrib.admin import AdminSite
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user, match_token
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite

from tracker import dashboard


class TOTPLoginForm(OTPAdminAuthenticationForm):
    """Password and code in one step, with one answer for every failure.

    A wrong or missing code must not tell that the password was right: every failure gets
    the same message and the same page (no device list, no password kept), and counts as
    a failed login for the lockout (django-axes) and the audit log, which otherwise hear of
    wrong passwords only.
    """

    error_messages = {
        **OTPAdminAuthenticationForm.error_messages,
        "invalid_login": _(
            "Please enter the correct %(username)s, password and code for a staff account. "
            "Note that the username and password may be case-sensitive."
        ),
    }

    def clean(self) -> dict:
        try:
            return super().clean()
        except ValidationError:
            if self.user_cache is not None:
                user_login_failed.send(
                    sender=__name__,
                    credentials={"username": self.cleaned_data.get("username")},
                    request=self.request,
                )
                self.user_cache = None
                self.fields["password"].widget.render_value = False
            raise self.get_invalid_login_error() from None

    def _chosen_device(self, user):
        device = super()._chosen_device(user)
        if device is None:
            devices = list(devices_for_user(user, confirmed=True, for_verify=True))
            if len(devices) == 1:
                device = devices[0]
        return device

    def _verify_token(self, user, token, device=None):
        # The page never lists devices (that would tell the password was right), so a user
        # with several devices is matched by the code.
        if device is None:
            device = match_token(user, token)
            if device is None:
                raise ValidationError(self.otp_error_messages["invalid_token"])
            return device
        return super()._verify_token(user, token, device)


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

    def index(self, request, extra_context=None):
        """The home page: the dashboard's panels (``tracker.dashboard``), then the lists."""
        context = {"dashboard": dashboard.panels(request), **(extra_context or {})}
        return super().index(request, context)

    def has_permission(self, request) -> bool:
        if settings.REQUIRE_2FA:
            return super().has_permission(request)
        return AdminSite.has_permission(self, request)
