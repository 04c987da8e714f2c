"""The one gate: who may see which records.

Every read path (API views, exports, reports, nested rows) narrows its querysets with
``visible_q(user)`` through ``RecordQuerySet.visible_to(user)``. A record outside it is
treated as missing (404), never as forbidden.

| caller        | sees                                   |
|---------------|----------------------------------------|
| anonymous     | published + public                     |
| researcher    | published + public or restricted       |
| staff, admins | everything                             |
"""

from django.db.models import Q

RESEARCHER_GROUP = "researcher"


def sees_everything(user) -> bool:
    return bool(user and user.is_active and (user.is_staff or user.is_superuser))


def is_researcher(user) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.groups.filter(name=RESEARCHER_GROUP).exists()


def visible_visibilities(user) -> list[str] | None:
    """Visibility levels a non-staff caller may see; None means no restriction."""
    if sees_everything(user):
        return None
    if is_researcher(user):
        return ["public", "restricted"]
    return ["public"]


def visible_q(user, prefix: str = "") -> Q:
    """The condition on a record (or on the record at ``prefix``) that ``user`` may see."""
    levels = visible_visibilities(user)
    if levels is None:
        return Q()
    return Q(**{f"{prefix}status": "published", f"{prefix}visibility__in": levels})


def sees_confidential_fields(user) -> bool:
    """Confidential notes and contact data are for staff, in the admin only."""
    return sees_everything(user)
