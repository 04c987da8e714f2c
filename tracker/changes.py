"""The change log behind incremental sync: its model and the functions that write it.

Researchers sync with ``updated_since=T`` (rows edited since T) and
``/api/v1/deletions/?since=T`` (records gone or hidden since T). Some changes alter what the
API shows without touching a record's ``updated_at``; they are logged here:

- a record deleted, or its status or visibility changed: logged with the values it had
  before, so that the deletions feed only names records the caller could see;
- a record whose rows show another record (a raid names its targeted people) when that one
  is edited, hidden or deleted, or when a nested row (source link, seized item, charge,
  membership, other name, targeted person) is added, changed or removed;
- ``QuerySet.update()`` of status or visibility, which bypasses ``save()``.

``ReviewedRecord.save()`` and ``RecordQuerySet.update()`` (``tracker.models``, one layer up)
call in here. Deletions reach it through receivers that ``TrackerConfig.ready`` connects for
every reviewed record (``QuerySet.delete()`` and cascades never call ``Model.delete()``);
nested rows and links through ``track_rows`` and ``track_links``, which each app calls in
its own ``ready()`` for the rows it owns.
"""

from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tracker import access
from tracker.review import Status, Visibility

REVIEW_FIELDS = ("status", "visibility")
# What rows of other records show of a record: editing anything else re-sends only its own row.
SHOWN_FIELDS = (*REVIEW_FIELDS, "name", "pseudonym", "may_be_named", "title")


def is_record(model: type[models.Model]) -> bool:
    """A concrete reviewed record: ``tracker.models.ReviewedRecord`` declares ``is_reviewed``."""
    return getattr(model, "is_reviewed", False) and not model._meta.abstract


def record_models() -> list[type[models.Model]]:
    """Every kind of reviewed record, in the order of ``INSTALLED_APPS``."""
    return [model for model in apps.get_models() if is_record(model)]


class RecordChangeQuerySet(models.QuerySet):
    def visible_to(self, viewer: access.Viewer) -> "RecordChangeQuerySet":
        """Changes of records ``viewer`` could see before and cannot see now (removals)."""
        entries = self.filter(access.visible_q(viewer))
        for model in record_models():
            visible = model.objects.visible_to(viewer).values("pk")
            entries = entries.exclude(kind=model._meta.model_name, record_id__in=visible)
        return entries


class RecordChange(models.Model):
    """A change to what the API shows that ``updated_at`` does not reveal.

    A record deleted or its review status or visibility changed (with the values it had
    *before*, so that ``/api/v1/deletions/`` tells only those who could see it), or a record
    whose rows show a nested record or row that changed. Incremental sync reads it; nothing
    else does.
    """

    kind = models.CharField(_("kind"), max_length=20, help_text=_("Model name, e.g. raid."))
    record_id = models.BigIntegerField(_("record id"))
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    status = models.CharField(_("review status before"), max_length=12, choices=Status.choices)
    visibility = models.CharField(_("visibility before"), max_length=12, choices=Visibility.choices)

    objects = RecordChangeQuerySet.as_manager()

    class Meta:
        app_label = "tracker"
        verbose_name = _("record change")
        verbose_name_plural = _("record changes")
        indexes = [models.Index(fields=["kind", "at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.record_id} {self.at:%Y-%m-%d %H:%M}"


def write(model: type[models.Model], entries: Iterable[tuple[Any, str, str]]) -> None:
    """Log ``(record id, status, visibility)`` entries of ``model``."""
    kind = model._meta.model_name
    RecordChange.objects.bulk_create(
        RecordChange(kind=kind, record_id=pk, status=status, visibility=visibility)
        for pk, status, visibility in entries
    )


def touch(model: type[models.Model], ids: Iterable[Any]) -> None:
    """Log that the rows of these records changed (with their current review values)."""
    ids = {pk for pk in ids if pk is not None}
    if ids:
        write(model, model._base_manager.filter(pk__in=ids).values_list("pk", *REVIEW_FIELDS))


def touch_referrers(instance: models.Model) -> None:
    """Log the records whose rows show ``instance``, directly or through a nested row."""
    for relation in instance._meta.related_objects:
        related, field = relation.related_model, relation.field
        if is_record(related):
            touch(
                related,
                related._base_manager.filter(**{field.name: instance}).values_list("pk", flat=True),
            )
            continue
        for other in related._meta.concrete_fields:
            if other.is_relation and other is not field and is_record(other.related_model):
                rows = related._base_manager.filter(**{field.name: instance})
                touch(other.related_model, rows.values_list(other.attname, flat=True))


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The loaded values of the fields other records' rows show (name, status, ...)."""
    return {f: instance.__dict__[f] for f in SHOWN_FIELDS if f in instance.__dict__}


def record_saved(instance: models.Model, before: dict[str, Any] | None) -> None:
    """After ``ReviewedRecord.save()`` of an existing record; ``before`` is its snapshot."""
    if before is not None and all(f in before for f in REVIEW_FIELDS):
        review = tuple(before[f] for f in REVIEW_FIELDS)
        if review != tuple(getattr(instance, f) for f in REVIEW_FIELDS):
            write(type(instance), [(instance.pk, *review)])
    if before is None or before != snapshot(instance):
        touch_referrers(instance)


def review_updating(queryset: models.QuerySet, values: dict[str, Any]) -> None:
    """Before ``queryset.update(**values)`` sets status or visibility in bulk."""
    changing = models.Q()
    for field in REVIEW_FIELDS:
        if field in values:
            changing |= ~models.Q(**{field: values[field]})
    rows = list(queryset.filter(changing).values_list("pk", *REVIEW_FIELDS))
    write(queryset.model, rows)
    for pk, *_review in rows:
        touch_referrers(queryset.model(pk=pk))


def _record_deleting(sender, instance, **kwargs) -> None:
    write(sender, [(instance.pk, *(getattr(instance, f) for f in REVIEW_FIELDS))])
    touch_referrers(instance)


def _nested_row_changed(sender, instance, **kwargs) -> None:
    for field in sender._meta.concrete_fields:
        if field.is_relation and is_record(field.related_model):
            touch(field.related_model, [getattr(instance, field.attname)])


def _links_changed(sender, instance, action, reverse, model, pk_set, **kwargs) -> None:
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if not reverse:
        touch(type(instance), [instance.pk])
    elif action == "pre_clear":
        accessor = next(
            r.get_accessor_name() for r in instance._meta.related_objects
            if r.through is sender
        )  # fmt: skip
        touch(model, getattr(instance, accessor).values_list("pk", flat=True))
    else:
        touch(model, pk_set or [])


def track_deletions() -> None:
    """Log the deletion of every reviewed record (from ``TrackerConfig.ready``)."""
    for model in record_models():
        pre_delete.connect(_record_deleting, sender=model, dispatch_uid=f"log-{model}")


def track_rows(*row_models: type[models.Model]) -> None:
    """Rows shown inside their record (seized items, names): a change re-sends the record."""
    for model in row_models:
        post_save.connect(_nested_row_changed, sender=model, dispatch_uid=f"log-{model}")
        post_delete.connect(_nested_row_changed, sender=model, dispatch_uid=f"log-d-{model}")


def track_links(*fields: Any) -> None:
    """Many-to-many links between records (a raid's targets): a change re-sends both ends."""
    for field in fields:
        m2m_changed.connect(_links_changed, sender=field.through, dispatch_uid=f"log-{field}")


def logged_since(model: type[models.Model], moment) -> models.QuerySet:
    """Ids of ``model`` records logged since ``moment``, as a subquery."""
    entries = RecordChange.objects.filter(kind=model._meta.model_name, at__gte=moment)
    return entries.values("record_id")
