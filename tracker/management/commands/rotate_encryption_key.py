from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tracker.fields import rotate_encrypted_values


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted value (history tables included) under the first key of "
        "FIELD_ENCRYPTION_KEY. Afterwards the older keys can be removed."
    )
    # The key check (tracker.E002) refuses unreadable values; this command must still run
    # to re-encrypt the readable ones and list the others.
    requires_system_checks = []

    def handle(self, *args, **options) -> None:
        counts, unreadable = rotate_encrypted_values()
        for column, count in counts.items():
            self.stdout.write(
                _("%(column)s: %(count)d values re-encrypted") % {"column": column, "count": count}
            )
        for value in unreadable:
            self.stderr.write(
                _("Cannot be read with any key: %(model)s id %(pk)s, field %(field)s")
                % value._asdict()
            )
        total = sum(counts.values())
        if unreadable:
            raise CommandError(
                _(
                    "%(total)d values re-encrypted; %(bad)d values no key can read (listed "
                    "above) were left as they are. Find the key they were written with and "
                    "run this again with it in FIELD_ENCRYPTION_KEY."
                )
                % {"total": total, "bad": len(unreadable)}
            )
        self.stdout.write(self.style.SUCCESS(_("Done: %(total)d values.") % {"total": total}))
