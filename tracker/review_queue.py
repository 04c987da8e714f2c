"""The review queue: records of every kind waiting for review, oldest submission first."""

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tracker.changes import record_models
from tracker.models import StatusChange
from tracker.review import Status

REVIEW_QUEUE_LIMIT = 500  # per kind of record


def review_queue(request: HttpRequest) -> TemplateResponse:
    """Records waiting for review, oldest submission first, with who submitted them."""
    rows = []
    for model in record_models():
        opts = model._meta
        if not request.user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
            continue
        submissions = StatusChange.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id=OuterRef("pk"),
            to_status=Status.IN_REVIEW,
        ).order_by("-at")
        records = (
            model.objects.in_review()
            .annotate(
                submitted_at=Coalesce(Subquery(submissions.values("at")[:1]), "updated_at"),
                submitted_by=Subquery(submissions.values("by__username")[:1]),
            )
            .order_by("submitted_at")
            .for_listing()
        )
        rows += [
            {
                "record": record,
                "kind": opts.verbose_name,
                "submitted_at": record.submitted_at,
                "submitted_by": record.submitted_by,
                "url": reverse(
                    f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk]
                ),
            }
            for record in records[:REVIEW_QUEUE_LIMIT]
        ]
    rows.sort(key=lambda row: row["submitted_at"])
    context = {**admin.site.each_context(request), "title": _("Review queue"), "rows": rows}
    return TemplateResponse(request, "admin/review_queue.html", context)
