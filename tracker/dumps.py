"""Full dumps: every collection, gzipped NDJSON and CSV, as each access level sees it.

``build()`` reads every collection in one read-only REPEATABLE READ transaction, so that all
files show the database at one moment (the snapshot), with the API export's own row
builders and gate (``tracker.api.export``): a dump's rows are byte for byte the rows of
``/api/v1/export/<collection>/`` as the level's caller gets them, without the export's last
line (the manifest's row count, size and SHA-256 say that a file is whole).

Files are written to a temporary file, then to the storage (``STORAGES["default"]``: the
file system, or an S3-compatible store); their ``Dump`` rows are created together, in one
transaction, after the last file is stored. A build that fails deletes what it stored and
leaves the previous dumps listed; the manifest only ever lists complete files.

``updated_since`` of a dump is where incremental sync starts after loading it: the
snapshot's start, or the start of the oldest transaction still open then if earlier (its
rows may carry an earlier ``updated_at`` and are not in the snapshot), minus the 5-minute
overlap of ``docs/api.md``.
"""

import contextlib
import datetime
import gzip
import hashlib
import logging
import secrets
import tempfile
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.db import connections, transaction
from django.http import HttpRequest
from django.utils import timezone
from rest_framework.request import Request

from tracker import access
from tracker.api import collections, export
from tracker.api.renderers import CSVWriter, csv_columns, dumps
from tracker.models import Dump

logger = logging.getLogger(__name__)

SYNC_OVERLAP = datetime.timedelta(minutes=5)
DIRECTORY = "dumps"
# One build at a time (a redelivered task, the nightly run and a button): the others skip.
LOCK_KEY = 0x64756D7073


class BuildRunning(Exception):
    """Another build holds the lock."""


@contextlib.contextmanager
def snapshot(using: str = "default") -> Iterator[tuple[datetime.datetime, datetime.datetime]]:
    """A read-only REPEATABLE READ transaction: yields its start and where sync starts.

    Inside a transaction already open (tests), reads in that one. SQLite transactions see
    one snapshot anyway.
    """
    connection = connections[using]
    own = not connection.in_atomic_block
    with transaction.atomic(using=using):
        taken, oldest = timezone.now(), None
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                if own:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute(
                    "SELECT pg_try_advisory_xact_lock(%s), statement_timestamp(),"
                    " (SELECT min(xact_start) FROM pg_stat_activity"
                    "  WHERE datname = current_database() AND pid <> pg_backend_pid())",
                    [LOCK_KEY],
                )
                locked, taken, oldest = cursor.fetchone()
            if not locked:
                raise BuildRunning
        yield taken, min(taken, oldest or taken) - SYNC_OVERLAP


def _view(view_class: Any, viewer: access.Viewer) -> Any:
    """The collection's view, as a caller of ``viewer``'s level would call its export."""
    request = Request(HttpRequest(), authenticators=())
    request.method = "GET"
    request._tracker_viewer = viewer  # what access.viewer() decided, fixed
    return view_class(request=request, format_kwarg=None, action="list", args=(), kwargs={})


class _GzipTarget:
    """A gzipped temporary file, with its row count."""

    def __init__(self) -> None:
        self.file = tempfile.TemporaryFile()  # noqa: SIM115  (build() closes it once stored)
        level = settings.DUMPS_GZIP_LEVEL
        self.gzip = gzip.GzipFile(
            filename="", mode="wb", fileobj=self.file, compresslevel=level, mtime=0
        )
        self.rows = 0

    def write(self, data: bytes, rows: int = 0) -> None:
        self.gzip.write(data)
        self.rows += rows

    def close(self) -> tuple[int, str]:
        """Finish the gzip stream; the file's size and SHA-256."""
        self.gzip.close()
        self.file.seek(0)
        digest = hashlib.file_digest(self.file, "sha256").hexdigest()
        size = self.file.tell()
        self.file.seek(0)
        return size, digest


def write_collection(view: Any) -> dict[str, _GzipTarget]:
    """Both files of one collection, in one pass over its rows."""
    targets = {Dump.Format.NDJSON: _GzipTarget(), Dump.Format.CSV: _GzipTarget()}
    writer = CSVWriter(csv_columns(view.get_serializer()))
    targets[Dump.Format.CSV].write(writer.header())
    chunks = export.chunks_of_rows(view.export_source(), view.viewer, type(view).rows)
    for chunk in chunks:
        targets[Dump.Format.NDJSON].write(b"".join(dumps(row) + b"\n" for row in chunk), len(chunk))
        targets[Dump.Format.CSV].write(writer.rows(chunk), len(chunk))
    return targets


def build(storage: Storage = default_storage) -> list[Dump] | None:
    """Build one set of dumps (every level, collection and format); None if one is running."""
    directory = f"{DIRECTORY}/{timezone.now():%Y%m%dT%H%M%S}-{secrets.token_hex(4)}"
    stored: list[str] = []
    dumps_made: list[Dump] = []
    try:
        with snapshot() as (taken, sync_from):
            for level, viewer in Dump.VIEWERS.items():
                for collection, view_class in collections.views().items():
                    targets = write_collection(_view(view_class, viewer))
                    for fmt, target in targets.items():
                        size, digest = target.close()
                        name = f"{directory}/{level}/{collection}.{fmt}.gz"
                        with target.file:
                            name = storage.save(name, File(target.file, name=name))
                        stored.append(name)
                        dumps_made.append(
                            Dump(
                                collection=collection,
                                format=fmt,
                                level=level,
                                file=name,
                                rows=target.rows,
                                size=size,
                                sha256=digest,
                                snapshot_at=taken,
                                updated_since=sync_from,
                            )
                        )
        with transaction.atomic():
            made = Dump.objects.bulk_create(dumps_made)
            doomed = prune(keep=settings.DUMPS_KEEP)
            transaction.on_commit(lambda: delete_files(doomed, storage))
    except BuildRunning:
        logger.info("A build of the dumps is already running: this one is skipped.")
        return None
    except BaseException:
        delete_files(stored, storage)
        raise
    return made


def prune(*, keep: int) -> list[str]:
    """Delete the rows of all but the last ``keep`` builds; return their files' names."""
    kept = list(
        Dump.objects.order_by("-snapshot_at").values_list("snapshot_at", flat=True).distinct()
    )[:keep]
    doomed = Dump.objects.exclude(snapshot_at__in=kept)
    names = list(doomed.values_list("file", flat=True))
    doomed.delete()
    return names


def discard(*, made_since: datetime.datetime) -> set[tuple[Storage, str]]:
    """Delete the dumps taken since then; return their files, to delete after commit."""
    doomed = Dump.objects.filter(snapshot_at__gte=made_since)
    files = {(default_storage, name) for name in doomed.values_list("file", flat=True)}
    doomed.delete()
    return files


def delete_files(names: list[str], storage: Storage = default_storage) -> None:
    for name in names:
        try:
            storage.delete(name)
        except Exception:  # a file left behind is listed nowhere and served by no URL
            logger.exception("Could not delete the dump file %s", name)
