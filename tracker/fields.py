"""A text field stored encrypted with the keys in ``FIELD_ENCRYPTION_KEY``.

The first key encrypts, any key decrypts, so keys rotate without downtime: add the new key
first, run ``manage.py rotate_encryption_key``, then drop the old one. Everything above the
ORM sees plain text; the database (and its history tables, which copy this field) holds only
Fernet tokens.
"""

from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as error:
        raise ImproperlyConfigured(f"FIELD_ENCRYPTION_KEY holds an invalid key: {error}") from None


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


class EncryptedTextField(models.TextField):
    """Plain text in Python, a Fernet token in the database. Cannot be filtered on."""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return fernet().encrypt(value.encode()).decode()

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        try:
            return fernet().decrypt(value.encode()).decode()
        except InvalidToken:
            raise ImproperlyConfigured(
                "An encrypted value cannot be read with the keys in FIELD_ENCRYPTION_KEY."
            ) from None
