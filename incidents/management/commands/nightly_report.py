import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from incidents import reports


def iso_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            _("--date: %(value)r is not a date in the form YYYY-MM-DD.") % {"value": value}
        ) from None


class Command(BaseCommand):
    help = "Make the nightly report for a day (default: yesterday); a made report is kept."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--date", type=str, help="Day covered, YYYY-MM-DD.")

    def handle(self, *args, date: str | None, **options) -> None:
        yesterday = timezone.localdate() - datetime.timedelta(days=1)
        day = iso_date(date) if date else yesterday
        if day >= timezone.localdate():
            raise CommandError(
                _("--date: %(day)s is not over yet; only past days can be reported.") % {"day": day}
            )
        report = reports.make_report(day=day)
        custody = report.figures["custody"]
        made_at = timezone.localtime(report.made_at)
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Report for %(day)s: %(in_custody)d in custody, %(urgent)d urgent; "
                    "made at %(made_at)s."
                )
                % {
                    "day": report.day,
                    "in_custody": custody["in_custody"],
                    "urgent": custody["urgent"],
                    "made_at": f"{made_at:%Y-%m-%d %H:%M %Z}",
                }
            )
        )
