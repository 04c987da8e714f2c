"""The review queue: records of every kind waiting for review, oldest submission first.

The oldest records get a preview (what changed since each was last published, or what a
new one holds, with its sources) and the records they name that are not published yet, so
that a reviewer publishes a raid with the people and organisations it names in one step.
"""

from django.apps import apps
from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from tracker import linked, workflow
from tracker.changes import is_record, record_models
from tracker.dashboard import change_url
from tracker.models import StatusChange
from tracker.review import Status

REVIEW_QUEUE_LIMIT = 500  # per kind of record
PREVIEW_LIMIT = 10  # records shown with their changes and links


def record_key(record) -> str:
    return f"{record._meta.label_lower}:{record.pk}"


def may_view(user, model) -> bool:
    return user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}")


def review_queue(request: HttpRequest) -> TemplateResponse:
    """Records waiting for review, oldest submission first, with who submitted them."""
    rows = []
    for model in record_models():
        opts = model._meta
        if not may_view(request.user, model):
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
                "key": record_key(record),
                "kind": opts.verbose_name,
                "submitted_at": record.submitted_at,
                "submitted_by": record.submitted_by,
                "url": change_url(record),
            }
            for record in records[:REVIEW_QUEUE_LIMIT]
        ]
    rows.sort(key=lambda row: row["submitted_at"])
    for row in rows[:PREVIEW_LIMIT]:
        row.update(preview(row["record"], request.user))
    context = {
        **admin.site.each_context(request),
        "title": _("Review queue"),
        "rows": rows,
        "previewed": min(len(rows), PREVIEW_LIMIT),
        "publish_url": reverse("review_queue_publish"),
    }
    return TemplateResponse(request, "admin/review_queue.html", context)


def preview(record, user) -> dict:
    """What a reviewer needs to decide on ``record`` without opening it."""
    changes = linked.changes_since_published(record)
    links = [
        {
            "record": obj,
            "key": record_key(obj),
            "kind": obj._meta.verbose_name,
            "url": change_url(obj),
            "draft": obj.status == Status.DRAFT,
            "refusal": workflow.refusal(obj, user, workflow.PUBLISH)
            if obj.status == Status.IN_REVIEW
            else None,
        }
        for obj in linked.unpublished_links(record)
        if may_view(user, type(obj))
    ]
    publishable = [link for link in links if not link["draft"] and not link["refusal"]]
    return {
        "previewed": True,
        "changes": changes,
        "summary": linked.summary(record) if changes is None else None,
        "links": links,
        "publishable_links": len(publishable),
        "refusal": workflow.refusal(record, user, workflow.PUBLISH),
    }


def _records(request: HttpRequest) -> list:
    """The records named by the posted keys (``app_label.model:pk``), in the posted order."""
    records = []
    for key in dict.fromkeys(request.POST.getlist("record")):
        label, _sep, pk = key.partition(":")
        try:
            model = apps.get_model(label)
            pk = int(pk)
        except (LookupError, ValueError):
            raise workflow.WorkflowError(_("Unknown record: %(key)s.") % {"key": key}) from None
        if not is_record(model) or not may_view(request.user, model):
            raise PermissionDenied
        record = model._base_manager.filter(pk=pk).first()
        if record is None:
            raise workflow.WorkflowError(_("The record no longer exists."))
        records.append(record)
    return records


@require_POST
def publish_together(request: HttpRequest) -> HttpResponse:
    """Publish a record and the linked records ticked with it, all or none."""
    try:
        records = _records(request)
        if not records:
            raise workflow.WorkflowError(_("Choose at least one record to publish."))
        workflow.publish_together(records, by=request.user)
    except workflow.WorkflowError as error:
        messages.error(request, _("Nothing was published. %(error)s") % {"error": error})
    else:
        done = len(records)
        messages.success(
            request,
            ngettext("%(n)d record published.", "%(n)d records published.", done) % {"n": done},
        )
    return HttpResponseRedirect(reverse("review_queue"))
