from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from incidents import sample_data


class Command(BaseCommand):
    help = "Load the worked example (Belarus, July 2021). Running it again changes nothing."

    def handle(self, *args, **options) -> None:
        counts = sample_data.load()
        summary = ", ".join(f"{name}: {count}" for name, count in counts.items())
        self.stdout.write(
            self.style.SUCCESS(_("Sample case loaded: %(summary)s.") % {"summary": summary})
        )
