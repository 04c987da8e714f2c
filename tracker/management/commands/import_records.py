from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tracker import importing
from tracker.review import Status

STATUSES = {"draft": Status.DRAFT, "review": Status.IN_REVIEW}


class Command(BaseCommand):
    help = (
        "Import records from a CSV or XLSX file, all rows or none (docs/import.md). "
        "New records enter as drafts, or in review with --status review."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("kind", choices=sorted(importing.IMPORTERS))
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help=_("Check; write nothing."))
        parser.add_argument(
            "--update-by", help=_("Column that names the record a row updates: id, external_ref")
        )
        parser.add_argument("--user", help=_("Username the history entries name."))
        parser.add_argument(
            "--status",
            choices=["draft", "review"],
            default="draft",
            help=_("Enter the records as drafts, or submit them for review (needs --user)."),
        )

    def handle(self, *args, kind: str, file: Path, **options) -> None:
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(_("No user is called %(name)s.") % {"name": options["user"]})
        if not file.is_file():
            raise CommandError(_("No file at %(path)s.") % {"path": file})
        try:
            result = importing.run(
                kind,
                file,
                by=user,
                file_name=file.name,
                dry_run=options["dry_run"],
                update_by=options["update_by"],
                status=STATUSES[options["status"]],
            )
        except importing.FileRefused as refused:
            raise CommandError(str(refused)) from None
        for error in result.errors:
            self.stderr.write(
                _("row %(row)d, column %(column)s: %(message)s")
                % {"row": error.row, "column": error.column or "—", "message": error.message}
            )
        counts = {o: result.count(o) for o in (importing.CREATED, importing.UPDATED)}
        counts["unchanged"] = result.count(importing.UNCHANGED)
        summary = (
            _("%(created)d to create, %(updated)d to update, %(unchanged)d unchanged") % counts
        )
        if result.errors:
            raise CommandError(
                ngettext(
                    "%(count)d error: nothing was saved (%(summary)s).",
                    "%(count)d errors: nothing was saved (%(summary)s).",
                    len(result.errors),
                )
                % {"count": len(result.errors), "summary": summary}
            )
        if result.dry_run:
            self.stdout.write(_("Dry run, nothing saved: %(summary)s.") % {"summary": summary})
        else:
            self.stdout.write(_("Saved: %(summary)s.") % {"summary": summary})
