"""Helpers for the functions that complete a page of ``.values()`` rows."""

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


def detail_url(collection: str, example: str = "0") -> Callable[[Any], str]:
    """Makes detail paths fast: one ``reverse()`` per collection, not per row."""
    prefix = reverse(f"api:{collection}-detail", args=[example])[: -len(example) - 1]
    return lambda key: f"{prefix}{key}/"


def iterate_in_chunks(rows: Iterable[dict], size: int) -> Iterator[list[dict]]:
    chunk: list[dict] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class RefSerializer(serializers.Serializer):
    """Another record named in a row: its id and public name."""

    id = serializers.IntegerField()
    name = serializers.CharField(help_text=_("A person who may not be named: the pseudonym."))


def group_by(rows: Iterable[dict[str, Any]], key: str) -> dict[Any, list[dict[str, Any]]]:
    """Rows of a nested query keyed by their parent's id (the key is dropped from each)."""
    grouped: dict[Any, list[dict[str, Any]]] = {}
    for row in rows:
        parent = row.pop(key)
        grouped.setdefault(parent, []).append(row)
    return grouped
