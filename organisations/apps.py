from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "organisations"
    verbose_name = _("People and organisations")

    def ready(self) -> None:
        # Modules with models are importable once the registry is ready.
        from organisations import importing
        from tracker import changes
        from tracker.importing import register

        # Rows shown inside a person's or organisation's API row.
        changes.track_rows(*map(self.get_model, ("Membership", "OrganisationName", "PersonName")))
        register("people", importing.PersonImporter)
        register("organisations", importing.OrganisationImporter)
