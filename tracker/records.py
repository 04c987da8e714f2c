"""What every reviewed record shares: review status, visibility, authorship, version."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tracker import access


class Status(models.TextChoices):
    DRAFT = "draft", _("draft")
    IN_REVIEW = "in_review", _("in review")
    PUBLISHED = "published", _("published")
    REJECTED = "rejected", _("rejected")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("public")
    RESTRICTED = "restricted", _("restricted to researchers")
    CONFIDENTIAL = "confidential", _("confidential to staff")


class RecordQuerySet(models.QuerySet):
    def visible_to(self, user) -> "RecordQuerySet":
        return self.filter(access.visible_q(user))

    def published(self) -> "RecordQuerySet":
        return self.filter(status=Status.PUBLISHED)

    def in_review(self) -> "RecordQuerySet":
        return self.filter(status=Status.IN_REVIEW)

    def updated_since(self, moment) -> "RecordQuerySet":
        return self.filter(updated_at__gte=moment)


class ReviewedRecord(models.Model):
    """Abstract base of raids, detentions, sources, people and organisations."""

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
        if not self._state.adding:
            self.version += 1
        super().save(*args, **kwargs)
