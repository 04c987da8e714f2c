"""A text field stored encrypted with the keys in ``FIELD_ENCRYPTION_KEY``.

The first key encrypts, any key decrypts, so keys rotate without downtime: add the new key
first, run ``manage.py rotate_encryption_key``, then drop the old one. Everything above the
ORM sees plain text; the database (and its history tables, which copy this field) holds only
Fernet tokens.
"""

from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models, transaction
from django.views.decorators.debug import sensitive_variables


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

    @sensitive_variables("value")
    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return fernet().encrypt(value.encode()).decode()

    @sensitive_variables()
    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        try:
            return fernet().decrypt(value.encode()).decode()
        except InvalidToken:
            raise ImproperlyConfigured(
                "An encrypted value cannot be read with the keys in FIELD_ENCRYPTION_KEY."
            ) from None


def encrypted_columns() -> list[tuple[type[models.Model], EncryptedTextField]]:
    """Every encrypted column of every model, history models included."""
    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.local_fields
        if isinstance(field, EncryptedTextField)
    ]


def rotate_encrypted_values(batch_size: int = 500) -> dict[str, int]:
    """Re-encrypt every stored token under the first key, in one transaction.

    Works on the raw column, below the ORM, so that no ``save()`` bumps versions, writes
    history rows or touches ``updated_at``: rotation changes no record.
    """
    counts = {}
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        for model, field in encrypted_columns():
            table, pk, column = (
                quote(model._meta.db_table),
                quote(model._meta.pk.column),
                quote(field.column),
            )
            rotated, last = 0, None
            while True:
                after = "" if last is None else f"AND {pk} > %s"
                cursor.execute(
                    f"SELECT {pk}, {column} FROM {table} "  # noqa: S608  (quoted identifiers)
                    f"WHERE {column} <> '' {after} ORDER BY {pk} LIMIT %s",
                    [batch_size] if last is None else [last, batch_size],
                )
                rows = cursor.fetchall()
                if not rows:
                    break
                cursor.executemany(
                    f"UPDATE {table} SET {column} = %s WHERE {pk} = %s",  # noqa: S608
                    [(_rotated(token, table, column), key) for key, token in rows],
                )
                rotated += len(rows)
                last = rows[-1][0]
            counts[f"{model._meta.db_table}.{field.column}"] = rotated
    return counts


def _rotated(token: str, table: str, column: str) -> str:
    try:
        return fernet().rotate(token.encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured(
            f"A value in {table}.{column} cannot be read with the keys in FIELD_ENCRYPTION_KEY."
        ) from None
