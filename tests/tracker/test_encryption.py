from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from organisations.models import Person

NOTES = "Asked not to be named: two children at home during the search."


def raw_values(table: str, column: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE {column} <> ''")  # noqa: S608
        return [value for (value,) in cursor.fetchall()]


def test_raw_columns_hold_only_fernet_tokens(sample):
    for table in ("organisations_person", "organisations_historicalperson"):
        for column in ("confidential_notes", "contact_details"):
            values = raw_values(table, column)
            assert values
            assert all(value.startswith("gAAAAA") for value in values)
            assert not any("Homel" in value or "children" in value for value in values)
    assert Person.objects.get(pseudonym="Viasna member A").confidential_notes == NOTES


def test_rotation_keeps_every_value_readable_under_the_new_key(sample, settings):
    old = settings.FIELD_ENCRYPTION_KEYS[0]
    new = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new, old]
    call_command("rotate_encryption_key")
    settings.FIELD_ENCRYPTION_KEYS = [new]
    person = Person.objects.get(pseudonym="Viasna member A")
    assert person.confidential_notes == NOTES
    assert {h.confidential_notes for h in person.history.all()} == {NOTES}
    for token in raw_values("organisations_historicalperson", "contact_details"):
        assert Fernet(new).decrypt(token.encode())


def test_rotation_changes_no_record_and_writes_no_history(sample, settings):
    before = list(Person.objects.values_list("pk", "version", "updated_at"))
    history = Person.history.count()
    settings.FIELD_ENCRYPTION_KEYS = [
        Fernet.generate_key().decode(),
        *settings.FIELD_ENCRYPTION_KEYS,
    ]
    call_command("rotate_encryption_key")
    assert list(Person.objects.values_list("pk", "version", "updated_at")) == before
    assert Person.history.count() == history
