"""The one gate: who may see which records.

``viewer(request)`` decides once per request what the caller may see; every read path (API
views, exports, filters, nested rows) narrows its querysets with ``visible_q(viewer)``
through ``RecordQuerySet.visible_to(viewer)``. A record outside it is treated as missing
(404), never as forbidden.

| caller                                             | sees                             |
|----------------------------------------------------|----------------------------------|
| anonymous                                          | published + public               |
| a token, whoever holds it (researcher or staff)    | published + public or restricted |
| a staff session, with its second factor if required | everything                       |
| a staff session without its second factor          | published + public or restricted |

Tokens never reach past the researcher's view: unpublished records stay behind the admin
and its second factor.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from rest_framework.authentication import SessionAuthentication

RESEARCHER_GROUP = "researcher"


@dataclass(frozen=True)
class Viewer:
    """What one caller may see: the visibilities of published records, or every record."""

    levels: tuple[str, ...] | None

    @property
    def sees_everything(self) -> bool:
        return self.levels is None


ANONYMOUS = Viewer(("public",))
RESEARCHER = Viewer(("public", "restricted"))
STAFF = Viewer(None)


def is_staff(user) -> bool:
    return bool(user and user.is_active and (user.is_staff or user.is_superuser))


def is_researcher(user) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.groups.filter(name=RESEARCHER_GROUP).exists()


def has_second_factor(user) -> bool:
    """A session's second factor (django-otp), when the site requires one."""
    verified = getattr(user, "is_verified", None)  # set by django-otp's middleware
    return not settings.REQUIRE_2FA or (verified is not None and verified())


def decide(request) -> Viewer:
    user = request.user
    if is_staff(user):
        by_session = isinstance(request.successful_authenticator, SessionAuthentication)
        return STAFF if by_session and has_second_factor(user) else RESEARCHER
    return RESEARCHER if is_researcher(user) else ANONYMOUS


def viewer(request) -> Viewer:
    """The viewer of a DRF request, decided once and kept on the request."""
    if not hasattr(request, "_tracker_viewer"):
        request._tracker_viewer = decide(request)
    return request._tracker_viewer


def visible_q(viewer: Viewer, prefix: str = "") -> Q:
    """The condition on a record (or on the record at ``prefix``) that ``viewer`` may see."""
    if viewer.sees_everything:
        return Q()
    return Q(**{f"{prefix}status": "published", f"{prefix}visibility__in": viewer.levels})
