"""An export either ends with its mark of completeness or fails visibly, never looks whole."""

import psycopg
import pytest
from django.db import OperationalError, connection

from tests.factories import RaidFactory
from tracker.api import export

MARKS = {"json": b"]", "ndjson": b'{"complete":true,"rows":3}\n', "csv": b"#complete,3\r\n"}


def terminate(backend_pid: int) -> None:
    """Kill a database session from a second connection, as a failover or restart does."""
    db = connection.settings_dict
    with psycopg.connect(
        host=db["HOST"], port=db["PORT"] or None, user=db["USER"],
        password=db["PASSWORD"] or None, dbname=db["NAME"], autocommit=True,
    ) as other:  # fmt: skip
        other.execute("SELECT pg_terminate_backend(%s)", [backend_pid])


@pytest.mark.parametrize("fmt", MARKS)
def test_a_whole_export_ends_with_its_mark_of_completeness(anon_client, fmt):
    RaidFactory.create_batch(3)
    response = anon_client.get(f"/api/v1/export/raids/?format={fmt}")
    assert b"".join(response.streaming_content).endswith(MARKS[fmt])


@pytest.mark.parametrize("fmt", MARKS)
def test_an_export_cut_by_the_database_fails_without_its_mark(
    transactional_db, anon_client, monkeypatch, fmt
):
    monkeypatch.setattr(export, "CHUNK_SIZE", 2)
    RaidFactory.create_batch(10)
    chunks = iter(anon_client.get(f"/api/v1/export/raids/?format={fmt}").streaming_content)
    received = [next(chunks), next(chunks)]
    terminate(connection.connection.info.backend_pid)
    with pytest.raises(OperationalError, match="terminating connection"):
        received.extend(chunks)  # keeps what came before the error
    connection.close()  # the next test opens a new one
    assert b"complete" not in b"".join(received)
    assert not received[-1].endswith(b"]")
