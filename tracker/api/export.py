"""Streaming writers for bulk exports: every row the caller may see, in bounded memory.

Rows come from a ``.values()`` queryset read through a server-side cursor
(``iterator(chunk_size=...)``); each chunk is completed by the collection's row function
(a fixed number of queries per chunk) and encoded at once, so memory holds one chunk
whatever the size of the export.

An export either ends with its mark of completeness or not at all: the closing bracket of
the JSON array, a last line ``{"complete": true, "rows": N}`` (NDJSON) or ``#complete,N``
(CSV), or the members ``"complete": true, "rows": N`` that close the GeoJSON
FeatureCollection, written only after the last row. Any error on the way (the database
gone, a bug) propagates out of the iterator, and the server drops the connection without
the end of the chunked body: a body of whole rows without the mark is a cut one
(docs/api.md).
"""

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.db import connections, transaction

from tracker.api.renderers import BOM, CSVWriter, dumps, feature
from tracker.api.rows import iterate_in_chunks

CHUNK_SIZE = 5000

Rows = Callable[[Any, list[dict[str, Any]]], list[dict[str, Any]]]


def chunks_of_rows(source: Iterable[dict], viewer, rows: Rows) -> Iterator[list[dict[str, Any]]]:
    """Complete rows, a chunk at a time, inside one transaction (a consistent cursor).

    PostgreSQL's JIT compiler is turned off for that transaction: the main query's planned
    cost (a subquery per row) sets it off, and compiling took half of the query's time.
    """
    connection = connections[source.db]
    with transaction.atomic(using=source.db):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        for chunk in iterate_in_chunks(source.iterator(chunk_size=CHUNK_SIZE), CHUNK_SIZE):
            yield rows(viewer, chunk)


def ndjson(chunks: Iterable[list[dict[str, Any]]]) -> Iterator[bytes]:
    count = 0
    for chunk in chunks:
        count += len(chunk)
        yield b"".join(dumps(row) + b"\n" for row in chunk)
    yield dumps({"complete": True, "rows": count}) + b"\n"


def json_array(chunks: Iterable[list[dict[str, Any]]]) -> Iterator[bytes]:
    separator = b"["
    for chunk in chunks:
        yield separator + b",".join(dumps(row) for row in chunk)
        separator = b","
    yield b"[]" if separator == b"[" else b"]"


def csv(
    chunks: Iterable[list[dict[str, Any]]], columns: list[str], *, bom: bool = False
) -> Iterator[bytes]:
    writer = CSVWriter(columns)
    yield (BOM if bom else b"") + writer.header()
    count = 0
    for chunk in chunks:
        count += len(chunk)
        yield writer.rows(chunk)
    yield f"#complete,{count}\r\n".encode()


def geojson(chunks: Iterable[list[dict[str, Any]]], kind: str) -> Iterator[bytes]:
    """A FeatureCollection whose last members, ``"complete":true,"rows":N``, close it."""
    yield b'{"type":"FeatureCollection","features":['
    count = 0
    for chunk in chunks:
        separator = b"," if count else b""
        count += len(chunk)
        yield separator + b",".join(dumps(feature(row, kind)) for row in chunk)
    yield b'],"complete":true,"rows":' + str(count).encode() + b"}"
