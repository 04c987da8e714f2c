from pathlib import Path

import pytest

from tracker import importing


@pytest.fixture
def import_file(tmp_path, superuser):
    """``import_file(kind, content, ...)``: run an import of a file holding ``content``."""

    def run(kind: str, content: bytes | str, *, name="records.csv", dry_run=False, **options):
        path: Path = tmp_path / name
        path.write_bytes(content.encode() if isinstance(content, str) else content)
        return importing.run(kind, path, by=superuser, file_name=name, dry_run=dry_run, **options)

    return run


@pytest.fixture
def reviewer_client(client, reviewer):
    client.force_login(reviewer)
    return client
