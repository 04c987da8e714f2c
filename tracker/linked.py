"""What a record in review brings with it: the records it names, and what changed.

A raid names organisations and people (its targets), and its detentions name people:
publishing the raid alone would leave them out of the public record. Links are found
through Django's relations, whatever the app: the record's own foreign keys and
many-to-many fields, the records that depend on it (a raid's detentions) with their own
links, and the records its rows point at (the sources of its source links).
"""

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from tracker import record_rows
from tracker.changes import is_record
from tracker.fields import EncryptedTextField
from tracker.models import BOOKKEEPING_FIELDS
from tracker.review import Status

# Not shown in a preview: bookkeeping, the review state, and what is derived.
NOT_PREVIEWED = BOOKKEEPING_FIELDS | {"id", "status", "status_reason"}
UNPUBLISHED = (Status.DRAFT, Status.IN_REVIEW)


def _named_by(obj: models.Model) -> list[models.Model]:
    """The records ``obj`` names through its own foreign keys and many-to-many fields."""
    named = []
    for field in obj._meta.concrete_fields:
        if field.many_to_one and is_record(field.related_model) and getattr(obj, field.attname):
            named.append(getattr(obj, field.name))
    for field in obj._meta.many_to_many:
        if is_record(field.related_model):
            named += getattr(obj, field.name).all()
    return named


def linked_records(record: models.Model) -> list[models.Model]:
    """Records ``record`` names, directly, through its dependents or through its rows."""
    found: dict[tuple[type, Any], models.Model] = {}

    def add(objs) -> None:
        for obj in objs:
            if not (type(obj) is type(record) and obj.pk == record.pk):
                found.setdefault((type(obj), obj.pk), obj)

    add(_named_by(record))
    for relation in record._meta.related_objects:
        if relation.many_to_many or relation.one_to_one:
            continue
        dependents = relation.related_model._base_manager.filter(**{relation.field.name: record.pk})
        for dependent in dependents:
            if is_record(type(dependent)):
                add([dependent])
            add(_named_by(dependent))
    return list(found.values())


def unpublished_links(record: models.Model) -> list[models.Model]:
    """The linked records not published yet (drafts and records in review)."""
    return [obj for obj in linked_records(record) if obj.status in UNPUBLISHED]


def _shown(field: models.Field, value: Any) -> str:
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if field.choices:
        value = dict(field.flatchoices).get(value, value)
    return "—" if value in (None, "") else str(value)


def summary(record: models.Model) -> list[dict[str, str]]:
    """The record's filled-in fields, links and rows, as a reviewer reads a new record."""
    lines = []
    for field in record._meta.concrete_fields:
        if field.name in NOT_PREVIEWED or isinstance(field, EncryptedTextField):
            continue
        value = getattr(record, field.name)
        if value is None or value == "" or field.name.endswith("_precision"):
            continue
        if field.name == "date" and hasattr(record, "when"):
            value = record.when
        lines.append({"field": field.verbose_name, "new": _shown(field, value)})
    for field in record._meta.many_to_many:
        names = ", ".join(str(obj) for obj in getattr(record, field.name).all())
        if names:
            lines.append({"field": field.verbose_name, "new": names})
    for fk in record_rows.row_relations(type(record)):
        rows = fk.model._base_manager.filter(**{fk.attname: record.pk})
        if labels := [str(row) for row in rows]:
            lines.append({"field": fk.model._meta.verbose_name_plural, "new": "; ".join(labels)})
    return lines


def changes_since_published(record: models.Model) -> list[dict[str, str]] | None:
    """What changed since the record was last published, or None if it never was."""
    versions = list(record.history.all())
    published = next((v for v in versions[1:] if v.status == Status.PUBLISHED), None)
    if published is None:
        return None
    noise = [*NOT_PREVIEWED - {"id"}, *getattr(type(record), "_history_m2m_fields", ())]
    delta = versions[0].diff_against(published, excluded_fields=noise)
    changes = [
        {
            "field": record._meta.get_field(change.field).verbose_name,
            "old": _shown(record._meta.get_field(change.field), change.old),
            "new": _shown(record._meta.get_field(change.field), change.new),
        }
        for change in delta.changes
    ]
    newer = [v for v in versions if v.history_date > published.history_date]
    rows = record_rows.changes_by_version(record, [*newer, published])
    for version in newer:
        changes += rows.get(version.history_id, [])
    return changes
