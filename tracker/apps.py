from django.apps import AppConfig
from django.apps import apps as django_apps
from django.contrib.admin.apps import AdminConfig
from django.db import models
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from tracker.lookups import AnyOf
from tracker.roles import sync_roles_after_migrate


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = _("Rights Tracker")

    def ready(self) -> None:
        # Modules with models or receivers are imported once the registry is ready.
        # checks: the encryption-key checks; signals: the sign-in log receivers; language:
        # the stored language restored at sign-in.
        from tracker import changes, checks, language, signals, tasks, workflow  # noqa: F401

        changes.track_deletions()
        # Full dumps may show a purged record: purging one discards them (and rebuilds).
        workflow.purging.connect(tasks.discard_dumps_showing, dispatch_uid="discard-dumps")
        models.IntegerField.register_lookup(AnyOf)
        models.ForeignKey.register_lookup(AnyOf)
        # After the last app's migrations, when every permission exists, the roles get
        # those of new models.
        last_app = list(django_apps.get_app_configs())[-1]
        post_migrate.connect(sync_roles_after_migrate, sender=last_app)


class TrackerAdminConfig(AdminConfig):
    """Django's admin with the site that asks for a second factor (``TrackerAdminSite``)."""

    default_site = "tracker.site.TrackerAdminSite"
