from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "organisations"
    verbose_name = _("People and organisations")

    def ready(self) -> None:
        from tracker import changes  # defines a model: importable once the registry is ready

        # Rows shown inside a person's or organisation's API row.
        changes.track_rows(*map(self.get_model, ("Membership", "OrganisationName", "PersonName")))
