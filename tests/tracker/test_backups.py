"""What a stolen database dump shows, and whether a dump restores (both on real pg_dump)."""

import subprocess

import psycopg
import pytest
from django.apps import apps
from django.db import connection
from simple_history.models import HistoricalChanges

from tracker.fields import encrypted_columns, fernet

MARKER = "PLANTED-MARKER-7f3a"


def pg_args() -> list[str]:
    db = connection.settings_dict
    return ["-h", db["HOST"] or "127.0.0.1", "-p", str(db["PORT"] or 5432), "-U", db["USER"]]


def plant_marker_in_every_encrypted_field() -> int:
    planted = 0
    for model, field in encrypted_columns():
        if issubclass(model, HistoricalChanges):
            continue  # filled by the saves below
        for record in model.objects.all():
            setattr(record, field.attname, f"{MARKER} {field.name} {record.pk}")
            record.save()
            planted += 1
    return planted


@pytest.mark.usefixtures("sample")
def test_a_database_dump_reveals_no_encrypted_value(transactional_db):
    assert plant_marker_in_every_encrypted_field() > 0
    name = connection.settings_dict["NAME"]
    dump = subprocess.run(
        ["pg_dump", *pg_args(), name], capture_output=True, text=True, check=True
    ).stdout
    assert "organisations_historicalperson" in dump
    assert "Viasna member A" in dump  # the dump holds the rows, only not the secrets
    assert MARKER not in dump


def connect(dbname: str) -> psycopg.Connection:
    db = connection.settings_dict
    return psycopg.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"],
        dbname=dbname,
        autocommit=True,
    )


def row_counts(conn: psycopg.Connection) -> dict[str, int]:
    tables = [m._meta.db_table for m in apps.get_models()]
    return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608


@pytest.mark.usefixtures("sample")
def test_a_dump_restores_into_a_fresh_database(transactional_db, tmp_path):
    name = connection.settings_dict["NAME"]
    restored = f"{name}_restore"
    backup = tmp_path / "tracker.dump"
    subprocess.run(["pg_dump", *pg_args(), "-Fc", "-f", backup, name], check=True)
    with connect("postgres") as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{restored}"')
        admin.execute(f'CREATE DATABASE "{restored}"')
    try:
        subprocess.run(["pg_restore", *pg_args(), "-d", restored, backup], check=True)
        with connect(name) as original, connect(restored) as copy:
            assert row_counts(copy) == row_counts(original)
            notes = copy.execute(
                "SELECT confidential_notes FROM organisations_person WHERE confidential_notes <> ''"
            ).fetchall()
        plain = {fernet().decrypt(token.encode()).decode() for (token,) in notes}
        assert "Asked not to be named: two children at home during the search." in plain
    finally:
        with connect("postgres") as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{restored}" WITH (FORCE)')
