"""The staff's home page: panels of work to do, registered by each app.

A panel is a function of the request that returns the context of its template, or None to
stay hidden (nothing to show, or not for this user's role). The core registers the panels
about review work and colleagues' changes; apps register theirs in ``AppConfig.ready()``
(``incidents.dashboard``: whereabouts unknown, in custody, quick links). Panels are shown
in the order of their ``order``, lowest first.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.admin.models import LogEntry
from django.db.models import Q
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from tracker.changes import record_models
from tracker.review import Status

WORK_LIMIT = 10  # rows listed per kind of work
CHANGES_LIMIT = 10


@dataclass(frozen=True)
class Panel:
    key: str
    title: str
    template: str
    context: Callable[[HttpRequest], dict[str, Any] | None]
    order: int = 100


PANELS: dict[str, Panel] = {}


def register(panel: Panel) -> None:
    """Add ``panel`` to the home page (a second registration under one key replaces it)."""
    PANELS[panel.key] = panel


def panels(request: HttpRequest) -> list[dict[str, Any]]:
    """The panels this user sees, each with its key, title, template and context."""
    shown = []
    for panel in sorted(PANELS.values(), key=lambda p: (p.order, p.key)):
        context = panel.context(request)
        if context is not None:
            shown.append(
                {"key": panel.key, "title": panel.title, "template": panel.template, **context}
            )
    return shown


def change_url(record) -> str | None:
    meta = record._meta
    try:
        return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[record.pk])
    except NoReverseMatch:
        return None


def my_work(request: HttpRequest) -> dict[str, Any]:
    """Records waiting for this user's review, returned to them, and their drafts.

    One query per kind of record: the three lists are sorted out of its rows.
    """
    user = request.user
    may_review = user.has_perm("tracker.publish_record")
    work: dict[str, list] = {"review": [], "returned": [], "drafts": []}
    mine = Q(created_by=user) | Q(updated_by=user)
    returned = Q(status=Status.REJECTED) | (Q(status=Status.DRAFT) & ~Q(status_reason=""))
    for model in record_models():
        meta = model._meta
        if not user.has_perm(f"{meta.app_label}.view_{meta.model_name}"):
            continue
        wanted = (mine & returned) | Q(status=Status.DRAFT, status_reason="", created_by=user)
        if may_review:
            wanted |= Q(status=Status.IN_REVIEW) & ~mine
        rows = model.objects.filter(wanted).for_listing().order_by("-updated_at")[: WORK_LIMIT * 3]
        for record in rows:
            if record.status == Status.IN_REVIEW:
                key = "review"
            elif record.status == Status.REJECTED or record.status_reason:
                key = "returned"
            else:
                key = "drafts"
            row = {"record": record, "kind": meta.verbose_name, "url": change_url(record)}
            work[key].append(row)
    for rows in work.values():
        rows.sort(key=lambda row: row["record"].updated_at, reverse=True)
    lists = [
        ("review", _("Waiting for my review"), may_review),
        ("returned", _("Returned to me"), True),
        ("drafts", _("My drafts"), True),
    ]
    return {
        "lists": [
            {
                "key": key,
                "title": title,
                "rows": work[key][:WORK_LIMIT],
                "more": len(work[key]) > WORK_LIMIT,
            }
            for key, title, shown in lists
            if shown
        ],
        "queue_url": reverse("review_queue"),
    }


def colleagues_changes(request: HttpRequest) -> dict[str, Any]:
    """The last records colleagues added or changed in the admin."""
    entries = (
        LogEntry.objects.exclude(user=request.user)
        .select_related("user", "content_type")
        .order_by("-action_time")[:CHANGES_LIMIT]
    )
    return {"entries": entries}


register(Panel("work", _("My work"), "admin/dashboard/my_work.html", my_work, order=30))
register(
    Panel(
        "changes",
        _("Last changes by colleagues"),
        "admin/dashboard/changes.html",
        colleagues_changes,
        order=90,
    )
)
