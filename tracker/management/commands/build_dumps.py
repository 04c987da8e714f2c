"""Build a set of full dumps now, in this process (the nightly task does the same)."""

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat

from tracker import dumps


class Command(BaseCommand):
    help = "Build the full dumps of every collection, for each access level, now."

    def handle(self, *args, **options) -> None:
        made = dumps.build()
        if made is None:
            raise CommandError("Another build of the dumps is running; try again later.")
        for dump in made:
            self.stdout.write(
                f"{dump.level:<10} {dump.filename:<22} {dump.rows:>10} rows "
                f"{filesizeformat(dump.size):>10}  {dump.sha256}"
            )
        if made:
            since = made[0].updated_since.isoformat()
            self.stdout.write(f"updated_since for the next sync: {since}")
