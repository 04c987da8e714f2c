from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "incidents"
    verbose_name = _("Incidents")

    def ready(self) -> None:
        from tracker.roles import sync_roles_after_migrate

        # Incidents migrate last, so every permission the roles need exists by then.
        post_migrate.connect(sync_roles_after_migrate, sender=self)

        from tracker import changes

        changes.connect()
