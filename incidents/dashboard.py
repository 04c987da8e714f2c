"""The home page's panels about people detained (registered in ``IncidentsConfig.ready``).

Whereabouts unknown follows the nightly report's rule: a person is urgent once the latest
day the detention's date allows is over (unknown for more than 24 hours).

More panels plug in here the same way, e.g. hearings coming up and the user's notices:
``dashboard.register(Panel("hearings", _("Hearings coming up"), template, function,
order=25))``, where ``function(request)`` returns the template's context or None.
"""

import datetime
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from incidents import alerts, custody
from incidents.models import CustodyFact, Detention, still_held_q
from tracker.dashboard import Panel, change_url, register
from tracker.dates import period
from tracker.review import Status

UNKNOWN_LIMIT = 25
NEWEST_LIMIT = 5


def held_now(today: datetime.date):
    """Detentions of people in custody today (rejected records are no facts)."""
    return (
        Detention.objects.exclude(status=Status.REJECTED)
        .filter(still_held_q(), date__lte=today)
        .select_related("person")
    )


def whereabouts_unknown(request: HttpRequest) -> dict[str, Any] | None:
    """People in custody whose whereabouts are unknown, longest first."""
    if not request.user.has_perm("incidents.view_detention"):
        return None
    today = timezone.localdate()
    rows = []
    missing = (
        held_now(today)
        .with_whereabouts()
        .filter(whereabouts__in=CustodyFact.WHEREABOUTS_MISSING)
        .order_by("whereabouts_since", "date", "id")
    )
    for detention in missing[:UNKNOWN_LIMIT]:
        latest = period(detention.whereabouts_since, detention.whereabouts_precision)[1]
        rows.append(
            {
                "detention": detention,
                "url": change_url(detention),
                "urgent": latest < today,
                "days": (today - latest).days if latest <= today else None,
            }
        )
    return {"rows": rows}


def in_custody(request: HttpRequest) -> dict[str, Any] | None:
    """How many people are in custody now, and the newest detentions."""
    if not request.user.has_perm("incidents.view_detention"):
        return None
    held = held_now(timezone.localdate())
    newest = [
        {"detention": d, "url": change_url(d)} for d in held.order_by("-date", "-id")[:NEWEST_LIMIT]
    ]
    return {
        "count": held.count(),
        "newest": newest,
        "list_url": reverse("admin:incidents_detention_changelist") + "?custody=held",
    }


def quick_links(request: HttpRequest) -> dict[str, Any] | None:
    """Start a new raid or detention in one click."""
    links = [
        (perm, url, label)
        for perm, url, label in (
            ("incidents.add_raid", "admin:incidents_raid_add", _("Add a raid")),
            ("incidents.add_detention", "admin:incidents_detention_add", _("Add a detention")),
            ("organisations.add_person", "admin:organisations_person_add", _("Add a person")),
        )
        if request.user.has_perm(perm)
    ]
    if not links:
        return None
    return {"links": [{"url": reverse(url), "label": label} for _perm, url, label in links]}


HEARING_DAYS = 7


def hearings(request: HttpRequest) -> dict[str, Any] | None:
    """The hearings of the coming week, soonest first."""
    if not request.user.has_perm("incidents.view_hearing"):
        return None
    rows = [
        {"hearing": hearing, "url": change_url(hearing.detention)}
        for hearing in custody.upcoming_hearings(HEARING_DAYS)[:UNKNOWN_LIMIT]
    ]
    calendar = reverse("admin:incidents_hearing_changelist") + f"?when={HEARING_DAYS}"
    return {"rows": rows, "list_url": calendar}


def notices(request: HttpRequest) -> dict[str, Any] | None:
    """The user's unread alerts about what they follow; the panel is left out when none."""
    rows = list(alerts.unread_notices(request.user)[:UNKNOWN_LIMIT])
    if not rows:
        return None
    return {
        "rows": [{"notice": n, "url": change_url(n.event.detention)} for n in rows],
        "list_url": reverse("admin:incidents_notice_changelist"),
    }


def _hearings_title() -> str:
    return ngettext(
        "Hearings in the next %(days)s day", "Hearings in the next %(days)s days", HEARING_DAYS
    ) % {"days": HEARING_DAYS}


# The panel's title in the language of the page: formatted when shown, not at start-up.
hearings_title = lazy(_hearings_title, str)


def register_panels() -> None:
    register(
        Panel("notices", _("Unread notices"), "admin/dashboard/notices.html", notices, order=5)
    )
    register(
        Panel(
            "hearings",
            hearings_title(),
            "admin/dashboard/hearings.html",
            hearings,
            order=25,
        )
    )
    register(Panel("add", _("Add"), "admin/dashboard/quick_links.html", quick_links, order=15))
    register(
        Panel(
            "whereabouts",
            _("Whereabouts unknown"),
            "admin/dashboard/whereabouts_unknown.html",
            whereabouts_unknown,
            order=10,
        )
    )
    register(
        Panel(
            "custody",
            _("In custody now"),
            "admin/dashboard/in_custody.html",
            in_custody,
            order=20,
        )
    )
