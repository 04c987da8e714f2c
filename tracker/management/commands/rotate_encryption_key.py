from django.core.management.base import BaseCommand

from tracker.fields import rotate_encrypted_values


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted value (history tables included) under the first key of "
        "FIELD_ENCRYPTION_KEY. Afterwards the older keys can be removed."
    )

    def handle(self, *args, **options) -> None:
        counts = rotate_encrypted_values()
        for column, count in counts.items():
            self.stdout.write(f"{column}: {count} values re-encrypted")
        self.stdout.write(self.style.SUCCESS(f"Done: {sum(counts.values())} values."))
