import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from incidents import reports


def iso_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--date: {value!r} is not a date in the form YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = "Make the nightly report for a day (default: yesterday); a made report is kept."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--date", type=str, help="Day covered, YYYY-MM-DD.")

    def handle(self, *args, date: str | None, **options) -> None:
        yesterday = timezone.localdate() - datetime.timedelta(days=1)
        day = iso_date(date) if date else yesterday
        if day >= timezone.localdate():
            raise CommandError(f"--date: {day} is not over yet; only past days can be reported.")
        report = reports.make_report(day=day)
        custody = report.figures["custody"]
        made_at = timezone.localtime(report.made_at)
        self.stdout.write(
            self.style.SUCCESS(
                f"Report for {report.day}: {custody['in_custody']} in custody, "
                f"{custody['urgent']} urgent; made at {made_at:%Y-%m-%d %H:%M %Z}."
            )
        )
