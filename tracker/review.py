"""The review states a record passes through, and who may see it once published."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("draft")
    IN_REVIEW = "in_review", _("in review")
    PUBLISHED = "published", _("published")
    REJECTED = "rejected", _("rejected")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("public")
    RESTRICTED = "restricted", _("restricted to researchers")
    CONFIDENTIAL = "confidential", _("confidential to staff")


# Decided records are read-only: to change one, a reviewer sends it back to draft first.
LOCKED_STATUSES = frozenset({Status.PUBLISHED, Status.REJECTED})
