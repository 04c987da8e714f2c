"""System checks on the encryption keys (``manage.py check``, ``migrate``, the web process).

A key that is not a Fernet key, or a valid key other than the one the data was written
with, must stop the process before it writes confidential notes nobody can read later.
"""

from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError
from django.utils.translation import gettext as _

from tracker.fields import fernet, unreadable_columns

ENCRYPTION = "encryption"


@checks.register(ENCRYPTION, checks.Tags.security)
def encryption_keys_are_fernet_keys(**kwargs) -> list[checks.CheckMessage]:
    try:
        fernet()
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="tracker.E001")]
    return []


@checks.register(ENCRYPTION, checks.Tags.database)
def encryption_keys_read_the_stored_values(**kwargs) -> list[checks.CheckMessage]:
    """Queries the database even for a plain ``check``: a wrong key must stop every start."""
    try:
        fernet()
        columns = unreadable_columns()
    except (ImproperlyConfigured, DatabaseError):
        return []  # reported by tracker.E001, or by whatever needs the database next
    return [
        checks.Error(
            _("The keys in FIELD_ENCRYPTION_KEY cannot read the values stored in %(column)s.")
            % {"column": column},
            hint=_(
                "Start with the key the data was written with (first, before any new key). "
                "rotate_encryption_key lists the values no key can read."
            ),
            id="tracker.E002",
        )
        for column in columns
    ]
