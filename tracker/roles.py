"""The roles staff work in: Django groups and the permissions each needs.

| role       | group        | may                                                          |
|------------|--------------|--------------------------------------------------------------|
| data entry | "data entry" | create and edit drafts, submit them for review               |
| reviewer   | "reviewer"   | the above, plus publish, reject, send back, revert, merge,   |
|            |              | purge, import from spreadsheets                              |
| researcher | "researcher" | the API only (no admin, no permissions)                      |
| admin      | superuser    | everything, including managing users                         |

A data migration creates the groups; after every ``migrate`` the permissions listed here are
added again if missing (never removed), so new models reach the roles without a migration.
"""

from django.apps import apps as global_apps

from tracker.access import RESEARCHER_GROUP

DATA_ENTRY_GROUP = "data entry"
REVIEWER_GROUP = "reviewer"

RECORD_MODELS = (
    "organisations.organisation",
    "organisations.person",
    "incidents.raid",
    "incidents.detention",
    "incidents.source",
)
# Rows edited inline on a record's page; removing a row there needs "delete".
CHILD_MODELS = (
    "organisations.organisationname",
    "organisations.personname",
    "organisations.membership",
    "incidents.seizeditem",
    "incidents.charge",
    "incidents.sentence",
    "incidents.sourcelink",
    "incidents.custodystay",
    "incidents.custodyfact",
    "incidents.hearing",
)
# The list of places of custody, and what each staff member follows (their own only).
STAFF_LISTS = ("incidents.placeofcustody", "incidents.follow")


def _model_permissions(models: tuple[str, ...], actions: tuple[str, ...]) -> list[str]:
    return [
        f"{label.split('.')[0]}.{action}_{label.split('.')[1]}"
        for label in models
        for action in actions
    ]


DATA_ENTRY_PERMISSIONS = [
    *_model_permissions(RECORD_MODELS, ("view", "add", "change")),
    *_model_permissions(CHILD_MODELS, ("view", "add", "change", "delete")),
    *_model_permissions(STAFF_LISTS, ("view", "add", "change")),
    "incidents.delete_follow",
    "incidents.view_notice",
    "tracker.submit_record",
    "incidents.view_nightlyreport",
]
REVIEWER_PERMISSIONS = [
    *DATA_ENTRY_PERMISSIONS,
    "tracker.publish_record",
    "tracker.revert_record",
    "tracker.merge_people",
    "tracker.purge_record",
    # Imports write many records at once: kept to the role that checks records.
    "tracker.import_records",
    "tracker.view_statuschange",
    "tracker.view_purgelog",
    "tracker.view_dump",
    "tracker.build_dumps",
]

ROLES: dict[str, list[str]] = {
    DATA_ENTRY_GROUP: DATA_ENTRY_PERMISSIONS,
    REVIEWER_GROUP: REVIEWER_PERMISSIONS,
    RESEARCHER_GROUP: [],
}


def sync_roles(apps=global_apps) -> None:
    """Create the role groups and give them their permissions (additive: removes nothing)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, permissions in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = {tuple(p.split(".")) for p in permissions}
        existing = Permission.objects.filter(
            content_type__app_label__in={app for app, _ in wanted},
            codename__in={codename for _, codename in wanted},
        ).select_related("content_type")
        group.permissions.add(
            *[p for p in existing if (p.content_type.app_label, p.codename) in wanted]
        )


def sync_roles_after_migrate(sender, apps=global_apps, **kwargs) -> None:
    sync_roles(apps)
