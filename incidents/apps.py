from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "incidents"
    verbose_name = _("Incidents")

    def ready(self) -> None:
        # Modules with models are importable once the registry is ready.
        from incidents import custody_signals, dashboard, importing, reports
        from tracker import changes, workflow
        from tracker.importing import register

        # Rows shown inside a raid's, detention's or source's API row, and a raid's links.
        changes.track_rows(
            *map(
                self.get_model,
                ("SourceLink", "SeizedItem", "Charge", "Sentence", "CustodyStay", "CustodyFact",
                 "Hearing"),
            )
        )  # fmt: skip
        post_save.connect(
            custody_signals.place_changed, sender=self.get_model("PlaceOfCustody"),
            dispatch_uid="log-place-of-custody",
        )  # fmt: skip
        # Custody events for the staff who follow them (incidents.alerts).
        for model, receiver in (
            ("CustodyFact", custody_signals.fact_saved),
            ("CustodyStay", custody_signals.stay_saved),
            ("Hearing", custody_signals.hearing_saved),
            ("Detention", custody_signals.detention_saved),
        ):
            post_save.connect(receiver, sender=self.get_model(model), dispatch_uid=f"alert-{model}")
        raid = self.get_model("Raid")
        changes.track_links(raid.target_people, raid.target_organisations, raid.perpetrators)
        # Nightly reports may name a purged record: purging one discards them.
        workflow.purging.connect(reports.discard_reports_naming, dispatch_uid="discard-reports")
        dashboard.register_panels()
        register("raids", importing.RaidImporter)
        register("detentions", importing.DetentionImporter)
        register("sources", importing.SourceImporter)
