"""A text field stored encrypted with the keys in ``FIELD_ENCRYPTION_KEY``.

The first key encrypts, any key decrypts, so keys rotate without downtime: add the new key
first, run ``manage.py rotate_encryption_key``, then drop the old one. Everything above the
ORM sees plain text; the database (and its history tables, which copy this field) holds only
Fernet tokens.
"""

from functools import cache
from typing import NamedTuple

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


class Unreadable(NamedTuple):
    """A stored value none of the keys can read: where it is, never what it holds."""

    model: str
    pk: object
    field: str


def _quoted(model: type[models.Model], field: EncryptedTextField) -> tuple[str, str, str]:
    quote = connection.ops.quote_name
    return quote(model._meta.db_table), quote(model._meta.pk.column), quote(field.column)


def unreadable_columns() -> list[str]:
    """Encrypted columns whose first or last stored value the keys cannot read.

    A wrong but valid key would otherwise be accepted, and would write new values that the
    right key cannot read. Tables not created yet (a fresh database) are skipped.
    """
    tables = set(connection.introspection.table_names())
    found = []
    with connection.cursor() as cursor:
        for model, field in encrypted_columns():
            if model._meta.db_table not in tables:
                continue
            table, pk, column = _quoted(model, field)
            for order in ("ASC", "DESC"):
                cursor.execute(
                    f"SELECT {column} FROM {table} "  # noqa: S608  (quoted identifiers)
                    f"WHERE {column} <> '' ORDER BY {pk} {order} LIMIT 1"
                )
                row = cursor.fetchone()
                if row and not _readable(row[0]):
                    found.append(f"{model._meta.label}.{field.name}")
                    break
    return found


def _readable(token: str) -> bool:
    try:
        fernet().decrypt(token.encode())
    except InvalidToken:
        return False
    return True


def rotate_encrypted_values(batch_size: int = 500) -> tuple[dict[str, int], list[Unreadable]]:
    """Re-encrypt every stored token under the first key, in one transaction.

    Works on the raw column, below the ORM, so that no ``save()`` bumps versions, writes
    history rows or touches ``updated_at``: rotation changes no record. Values no key can
    read are left as they are and returned, so that one of them does not stop the rest.
    """
    counts, unreadable = {}, []
    with transaction.atomic(), connection.cursor() as cursor:
        for model, field in encrypted_columns():
            table, pk, column = _quoted(model, field)
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
                updates = []
                for key, token in rows:
                    try:
                        updates.append((fernet().rotate(token.encode()).decode(), key))
                    except InvalidToken:
                        unreadable.append(Unreadable(model._meta.label, key, field.name))
                cursor.executemany(
                    f"UPDATE {table} SET {column} = %s WHERE {pk} = %s",  # noqa: S608
                    updates,
                )
                rotated += len(updates)
                last = rows[-1][0]
            counts[f"{model._meta.db_table}.{field.column}"] = rotated
    return counts, unreadable
