from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = _("Rights Tracker")

    def ready(self) -> None:
        from tracker import (  # noqa: F401  (registers the key checks and sign-in log receivers)
            checks,
            signals,
        )


class TrackerAdminConfig(AdminConfig):
    """Django's admin with the site that asks for a second factor (``TrackerAdminSite``)."""

    default_site = "tracker.admin.TrackerAdminSite"
