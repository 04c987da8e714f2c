"""What every reviewed record shares, and the logs the review workflow keeps.

``ReviewedRecord`` is the abstract base of raids, detentions, sources, people and
organisations: review status, visibility, authorship, version and history. ``StatusChange``
and ``PurgeLog`` are written by ``tracker.workflow``; the sync change log
(``RecordChange``) lives with the code that writes it, in ``tracker.changes``.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tracker import access, changes
from tracker.paginators import EXACT_BELOW, estimated_count
from tracker.review import LOCKED_STATUSES, Status, Visibility

# A record's own bookkeeping, kept by save() and the search index, never typed by staff:
# a revert or an import leaves these alone.
BOOKKEEPING_FIELDS = frozenset(
    {"created_at", "created_by", "updated_at", "updated_by", "version", "search_key"}
)


class RecordQuerySet(models.QuerySet):
    def dates(self, field_name: str, kind: str, order: str = "ASC"):
        """Years or months with rows. Of many rows (PostgreSQL's estimate): one index probe
        (the earliest date from the start of the next period) per period found, where
        ``DISTINCT`` reads every row. The admin's date hierarchy lists them."""
        field = self.model._meta.get_field(field_name)
        if kind not in ("year", "month") or isinstance(field, models.DateTimeField):
            return super().dates(field_name, kind, order)
        estimate = estimated_count(self)
        if estimate is None or estimate < EXACT_BELOW:  # few rows (a search): read them once
            return super().dates(field_name, kind, order)
        found, rows, start = [], self.order_by(), None
        while True:
            later = rows if start is None else rows.filter(**{f"{field_name}__gte": start})
            first = later.aggregate(first=models.Min(field_name))["first"]
            if first is None:
                break
            period = first.replace(month=1 if kind == "year" else first.month, day=1)
            found.append(period)
            if kind == "year" or period.month == 12:
                start = period.replace(year=period.year + 1, month=1)
            else:
                start = period.replace(month=period.month + 1)
        return found if order == "ASC" else found[::-1]

    def visible_to(self, viewer: access.Viewer) -> "RecordQuerySet":
        return self.filter(access.visible_q(viewer))

    def published(self) -> "RecordQuerySet":
        return self.filter(status=Status.PUBLISHED)

    def in_review(self) -> "RecordQuerySet":
        return self.filter(status=Status.IN_REVIEW)

    def for_listing(self) -> "RecordQuerySet":
        """Load what ``str()`` of each record reads (the review queue lists many kinds)."""
        return self

    def updated_since(self, moment) -> "RecordQuerySet":
        return self.filter(updated_at__gte=moment)

    def changed_since(self, moment) -> "RecordQuerySet":
        """Edited since ``moment``, or shown differently since (see ``tracker.changes``)."""
        logged = changes.logged_since(self.model, moment).values_list("record_id", flat=True)
        # The logged ids read first: both conditions can then be answered from an index, and
        # the database knows how many rows each matches when it plans.
        return self.filter(Q(updated_at__gte=moment) | Q(pk__any_of=list(logged)))

    def update(self, **fields) -> int:
        """Update like ``save()`` would: a new version and a history row for every row.

        Signal-based history misses ``QuerySet.update()`` (and ``bulk_update()``, which
        calls it); this keeps bulk admin actions and scripts in the audit trail. A change of
        status or visibility is also logged for incremental sync (``tracker.changes``).
        """
        fields.setdefault("version", F("version") + 1)
        fields.setdefault("updated_at", timezone.now())
        with transaction.atomic(using=self.db):
            if fields.keys() & set(changes.REVIEW_FIELDS):
                changes.review_updating(self, fields)
            rows = self.model._base_manager.using(self.db).filter(
                pk__in=list(self.values_list("pk", flat=True))
            )
            count = rows.update(**fields)
            self.model.history.bulk_history_create(list(rows), update=True)
        return count

    update.alters_data = True

    def update_derived(self, **fields) -> int:
        """Update columns derived from other data (search keys): no version, no history."""
        return (
            self.model._base_manager.using(self.db)
            .filter(pk__in=self.values("pk"))
            .update(**fields)
        )

    update_derived.alters_data = True


class ReviewedRecord(models.Model):
    """Abstract base of raids, detentions, sources, people and organisations."""

    is_reviewed = True  # read by tracker.changes and every registry of record kinds

    status = models.CharField(
        _("review status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    status_reason = models.TextField(
        _("reason for the review status"),
        blank=True,
        help_text=_("Why the record was rejected or sent back."),
    )
    visibility = models.CharField(
        _("visibility"),
        max_length=12,
        choices=Visibility.choices,
        default=Visibility.CONFIDENTIAL,
        help_text=_("Who may see the record once it is published."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    history = HistoricalRecords(inherit=True)

    objects = RecordQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        adding = self._state.adding
        if not adding:
            self.version += 1
        super().save(*args, **kwargs)
        if not adding:
            changes.record_saved(self, getattr(self, "_shown_before", None))
        self._shown_before = changes.snapshot(self)

    @classmethod
    def from_db(cls, db, field_names, values) -> "ReviewedRecord":
        instance = super().from_db(db, field_names, values)
        instance._shown_before = changes.snapshot(instance)
        return instance

    @property
    def is_locked(self) -> bool:
        """Published and rejected records are not edited in place (see docs/workflow.md)."""
        return self.status in LOCKED_STATUSES

    def authored_by(self, user) -> bool:
        """Whether ``user`` created or last edited the record (segregation of duties)."""
        return user.pk is not None and user.pk in (self.created_by_id, self.updated_by_id)


class StatusChange(models.Model):
    """Who moved which record from one review status to another, when and why.

    The review queue reads who submitted a record from here; the history rows of the
    record carry the same facts field by field.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    from_status = models.CharField(_("from"), max_length=12, choices=Status.choices)
    to_status = models.CharField(_("to"), max_length=12, choices=Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        indexes = [models.Index(fields=["content_type", "object_id", "to_status", "-at"])]
        # The workflow's permissions, given to the roles in tracker/roles.py.
        permissions = [
            ("submit_record", _("Can submit records for review")),
            ("publish_record", _("Can publish, reject and send back records")),
            ("revert_record", _("Can revert records to an earlier version")),
            ("merge_people", _("Can merge duplicate people")),
            ("purge_record", _("Can purge records for a person's safety")),
            ("import_records", _("Can import records from spreadsheets")),
        ]

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id} {self.from_status} → {self.to_status}"


class PurgeLog(models.Model):
    """The only trace a purged record leaves: what kind, which id, who, when. No content."""

    kind = models.CharField(_("kind"), max_length=100)
    object_id = models.PositiveBigIntegerField(_("id"))
    purged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("purged by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    purged_at = models.DateTimeField(_("purged at"), default=timezone.now)

    class Meta:
        verbose_name = _("purge log entry")
        verbose_name_plural = _("purge log")
        ordering = ["-purged_at"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.object_id}"


class Preferences(models.Model):
    """A staff member's settings that outlive their session, such as the language."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="preferences",
        verbose_name=_("user"),
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)

    class Meta:
        verbose_name = _("preferences")
        verbose_name_plural = _("preferences")

    def __str__(self) -> str:
        return str(self.user)


class DumpQuerySet(models.QuerySet):
    def for_viewer(self, viewer: access.Viewer) -> "DumpQuerySet":
        """The dumps of the levels ``viewer`` may read: never one that shows more."""
        return self.filter(level__in=[lvl for lvl in Dump.Level if Dump.shows(lvl, viewer)])


class Dump(models.Model):
    """One file of a full dump: a collection, in one format, as one access level sees it.

    Written by ``tracker.dumps.build()``; a row exists only once its file is complete.
    """

    class Level(models.TextChoices):
        PUBLIC = "public", _("public (without a token)")
        RESEARCHER = "researcher", _("researcher (with a token)")

    class Format(models.TextChoices):
        NDJSON = "ndjson", "NDJSON"
        CSV = "csv", "CSV"

    VIEWERS = {Level.PUBLIC: access.ANONYMOUS, Level.RESEARCHER: access.RESEARCHER}

    collection = models.CharField(_("collection"), max_length=50)
    format = models.CharField(_("format"), max_length=10, choices=Format.choices)
    level = models.CharField(_("access level"), max_length=20, choices=Level.choices)
    file = models.FileField(_("file"), max_length=300)
    rows = models.PositiveBigIntegerField(_("rows"))
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField("SHA-256", max_length=64)
    snapshot_at = models.DateTimeField(_("snapshot taken at"), db_index=True)
    updated_since = models.DateTimeField(_("sync from (updated_since)"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = DumpQuerySet.as_manager()

    class Meta:
        verbose_name = _("full dump file")
        verbose_name_plural = _("full dumps")
        ordering = ["-snapshot_at", "level", "collection", "format"]
        permissions = [("build_dumps", _("Can build the full dumps now"))]

    def __str__(self) -> str:
        return self.filename

    @property
    def filename(self) -> str:
        return f"{self.collection}.{self.format}.gz"

    @classmethod
    def shows(cls, level: str, viewer: access.Viewer) -> bool:
        """Whether a dump of ``level`` shows nothing that ``viewer`` may not see."""
        levels = cls.VIEWERS[level].levels
        return viewer.sees_everything or set(levels) <= set(viewer.levels)

    @classmethod
    def level_of(cls, viewer: access.Viewer) -> str:
        """The highest level ``viewer`` may read: the dumps listed in its manifest."""
        return cls.Level.RESEARCHER if cls.shows(cls.Level.RESEARCHER, viewer) else cls.Level.PUBLIC
