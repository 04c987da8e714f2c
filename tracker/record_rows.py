"""The rows that belong to a record (charges, seized items, other names, source links...).

Each row kind keeps its own history (django-simple-history). A record's history shows the
row changes made by each of its saves, field by field, and a revert puts the rows back as
they were after the save it reverts to. A row belongs to a save when it changed after that
version of the record and before the next one: the admin saves the record first and its
inline rows right after.

The row kinds of a record are found through Django's relations: every model with a
foreign key to the record and a history of its own that is not a record itself.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tracker.changes import is_record

# History bookkeeping that is not a field of the row.
HISTORY_FIELDS = frozenset(
    {"history_id", "history_date", "history_change_reason", "history_type", "history_user"}
)


def row_relations(model: type[models.Model]) -> list[models.ForeignKey]:
    """The foreign keys by which rows with a history of their own belong to ``model``."""
    return [
        relation.field
        for relation in model._meta.related_objects
        if not relation.many_to_many
        and hasattr(relation.related_model, "history")
        and not is_record(relation.related_model)
    ]


def _entries(record: models.Model, fk: models.ForeignKey) -> list[Any]:
    """Every history entry of the record's rows of one kind, oldest first."""
    history = fk.model.history.model
    return list(
        history.objects.filter(**{fk.attname: record.pk})
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )


def _fields(model: type[models.Model], fk: models.ForeignKey) -> list[models.Field]:
    """The fields of a row worth showing: all but its id and the link to its record."""
    return [f for f in model._meta.concrete_fields if not f.primary_key and f.name != fk.name]


def _label_values(entries: Iterable[Any], fields: list[models.Field]) -> None:
    """Put the rows' related objects in place in one query a field (labels name them)."""
    entries = list(entries)
    for field in fields:
        if not field.is_relation:
            continue
        ids = {getattr(entry, field.attname) for entry in entries} - {None}
        objects = field.related_model._base_manager.in_bulk(ids)
        for entry in entries:
            field.set_cached_value(entry.row, objects.get(getattr(entry, field.attname)))


def _shown(entry: Any, field: models.Field) -> str:
    if field.is_relation:
        value = field.get_cached_value(entry.row, None)
        return str(value) if value is not None else "—"
    value = getattr(entry, field.attname)
    if field.choices:
        value = dict(field.flatchoices).get(value, value)
    return "—" if value in (None, "") else str(value)


def changes_by_version(record: models.Model, versions: list[Any]) -> dict[int, list[dict]]:
    """Row changes grouped by the record version (``history_id``) whose save made them.

    ``versions`` are the record's history entries, newest first. Each change is a dict
    with ``field``, ``old`` and ``new``, as the history table shows them.
    """
    starts = sorted((v.history_date, v.history_id) for v in versions)
    grouped: dict[int, list[dict]] = defaultdict(list)
    for fk in row_relations(type(record)):
        entries = _entries(record, fk)
        fields = _fields(fk.model, fk)
        for entry in entries:
            entry.row = entry.instance
            fk.set_cached_value(entry.row, record)
        _label_values(entries, fields)
        previous: dict[Any, Any] = {}
        for entry in entries:
            version = _version_of(entry.history_date, starts)
            before = previous.get(entry.id)
            previous[entry.id] = entry
            if version is not None:
                grouped[version].extend(_describe(entry, before, fields, fk.model))
    return grouped


def _version_of(moment: datetime.datetime, starts: list[tuple]) -> int | None:
    """The version that was current at ``moment`` (the last one that began before it)."""
    current = None
    for start, history_id in starts:
        if start > moment:
            break
        current = history_id
    return current


def _describe(entry: Any, before: Any, fields: list, model: type[models.Model]) -> list[dict]:
    kind = model._meta.verbose_name
    label = str(entry.row)
    if entry.history_type == "+" or before is None:
        return [{"field": _("%(row)s added") % {"row": kind}, "old": "—", "new": label}]
    if entry.history_type == "-":
        return [{"field": _("%(row)s removed") % {"row": kind}, "old": label, "new": "—"}]
    return [
        {
            "field": f"{kind} “{label}”: {field.verbose_name}",
            "old": _shown(before, field),
            "new": _shown(entry, field),
        }
        for field in fields
        if getattr(before, field.attname) != getattr(entry, field.attname)
    ]


def end_of_version(record: models.Model, version: Any) -> datetime.datetime:
    """The moment the next version began (now for the latest): the rows of ``version``
    are those as they stood just before."""
    later = record.history.filter(history_date__gt=version.history_date)
    following = later.order_by("history_date").values_list("history_date", flat=True).first()
    return following or timezone.now()


def rows_as_of(record: models.Model, fk: models.ForeignKey, moment: datetime.datetime) -> dict:
    """The record's rows of one kind as they stood before ``moment``: id → model instance."""
    latest: dict[Any, Any] = {}
    for entry in _entries(record, fk):
        if entry.history_date < moment:
            latest[entry.id] = entry
    return {pk: entry.instance for pk, entry in latest.items() if entry.history_type != "-"}


def missing_targets(row: models.Model, fk: models.ForeignKey) -> list[str]:
    """Names of the fields whose object is gone (a row pointing at it cannot come back)."""
    missing = []
    for field in _fields(type(row), fk):
        pk = getattr(row, field.attname) if field.is_relation else None
        if pk is not None and not field.related_model._base_manager.filter(pk=pk).exists():
            missing.append(str(field.verbose_name))
    return missing


def differs(row: models.Model, other: models.Model, fk: models.ForeignKey) -> bool:
    return any(getattr(row, f.attname) != getattr(other, f.attname) for f in _fields(type(row), fk))
