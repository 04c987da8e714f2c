"""The review workflow: every status change, revert and purge goes through here.

draft → in_review → published, or → rejected (with a reason); a reviewer can send any
record in review or decided back to draft (with a reason). Each function checks the step is
allowed from the record's status and for the user's role, works on the row locked inside one
transaction, and records who and why (the record's history and a ``StatusChange``). The admin
and the API only translate input and call these functions.
"""

import json
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.core.files.storage import Storage
from django.db import models, transaction
from django.db.models import F, Q
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.dispatch import Signal
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from tracker import changes, record_rows
from tracker.models import BOOKKEEPING_FIELDS, PurgeLog, ReviewedRecord, StatusChange
from tracker.review import Status

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser as User

# Sent inside the purge's transaction, before the record is deleted, with ``record``. Apps
# that keep data derived from records (the nightly reports) delete what may name it and
# return the files to delete once the purge commits: a set of ``(storage, name)``.
purging = Signal()

SUBMIT, PUBLISH, REJECT, SEND_BACK = "submit", "publish", "reject", "send_back"

# action: (statuses it starts from, status it leads to, permission needed)
TRANSITIONS: dict[str, tuple[frozenset[str], str, str]] = {
    SUBMIT: (frozenset({Status.DRAFT}), Status.IN_REVIEW, "tracker.submit_record"),
    PUBLISH: (frozenset({Status.IN_REVIEW}), Status.PUBLISHED, "tracker.publish_record"),
    REJECT: (frozenset({Status.IN_REVIEW}), Status.REJECTED, "tracker.publish_record"),
    SEND_BACK: (
        frozenset({Status.IN_REVIEW, Status.PUBLISHED, Status.REJECTED}),
        Status.DRAFT,
        "tracker.publish_record",
    ),
}
ACTION_LABELS = {
    SUBMIT: _("submitted for review"),
    PUBLISH: _("published"),
    REJECT: _("rejected"),
    SEND_BACK: _("sent back to draft"),
}
ACTION_BUTTONS = {
    SUBMIT: _("Submit for review"),
    PUBLISH: _("Publish"),
    REJECT: _("Reject"),
    SEND_BACK: _("Send back to draft"),
}
REASON_REQUIRED = frozenset({REJECT, SEND_BACK})
# What the admin log shows instead of a purged record's name ("Added membership “…”").
PURGED = _("a purged record")
# Fields a revert leaves alone: the review state and the record's own bookkeeping.
NOT_REVERTED = frozenset({"id", "status", "status_reason"}) | BOOKKEEPING_FIELDS
CHANGE_REASON_LENGTH = 100  # django-simple-history's column


class WorkflowError(Exception):
    """A refused step; the message is meant for the person who tried it."""


def refusal(record: ReviewedRecord, user: "User", action: str) -> str | None:
    """Why ``user`` may not take ``action`` on ``record`` now, or None if they may."""
    sources, _target, permission = TRANSITIONS[action]
    if not user.has_perm(permission):
        return _("Your role does not allow this step.")
    if record.status not in sources:
        return _("A record that is %(status)s cannot be %(action)s.") % {
            "status": record.get_status_display(),
            "action": ACTION_LABELS[action],
        }
    if action == PUBLISH and record.authored_by(user) and not settings.ALLOW_SELF_PUBLISH:
        return _("You created or last edited this record: another reviewer must publish it.")
    return None


def allowed_actions(record: ReviewedRecord, user: "User") -> list[str]:
    """The status changes ``user`` may make on ``record``, for buttons and menus."""
    return [action for action in TRANSITIONS if refusal(record, user, action) is None]


def submit(record: ReviewedRecord, *, by: "User", reason: str = "") -> ReviewedRecord:
    return _transition(record, SUBMIT, by=by, reason=reason)


def publish(record: ReviewedRecord, *, by: "User", reason: str = "") -> ReviewedRecord:
    return _transition(record, PUBLISH, by=by, reason=reason)


def reject(record: ReviewedRecord, *, by: "User", reason: str) -> ReviewedRecord:
    return _transition(record, REJECT, by=by, reason=reason)


def send_back(record: ReviewedRecord, *, by: "User", reason: str) -> ReviewedRecord:
    return _transition(record, SEND_BACK, by=by, reason=reason)


def submit_all(model: type[ReviewedRecord], ids: set[int], *, by: "User") -> int:
    """Submit the drafts among ``ids`` for review at once, as ``submit`` does each one.

    The same rule (the submit permission, from draft only: records already in review stay
    as they are) and the same records: a new version with a history row saying who
    submitted it, a ``StatusChange`` and the change log's entry, a query each for all of
    them. Returns how many were submitted.
    """
    sources, target, permission = TRANSITIONS[SUBMIT]
    if by is None or not by.has_perm(permission):
        raise WorkflowError(_("Your role does not allow this step."))
    with transaction.atomic():
        drafts = model._base_manager.filter(pk__in=ids, status__in=sources).select_for_update()
        rows = list(drafts.values_list("pk", *changes.REVIEW_FIELDS))
        pks = [pk for pk, *_review in rows]
        if not pks:
            return 0
        changes.write(model, rows)
        model._base_manager.filter(pk__in=pks).update(
            status=target, status_reason="", version=F("version") + 1, updated_at=timezone.now()
        )
        note = change_note(ACTION_LABELS[SUBMIT], "")
        model.history.bulk_history_create(
            list(model._base_manager.filter(pk__in=pks)),
            update=True,
            default_user=by,
            default_change_reason=note,
        )
        content_type = ContentType.objects.get_for_model(model)
        StatusChange.objects.bulk_create(
            StatusChange(
                content_type=content_type, object_id=pk, from_status=status,
                to_status=target, by=by,
            )
            for pk, status, _visibility in rows
        )  # fmt: skip
    return len(pks)


def publish_together(records: list[ReviewedRecord], *, by: "User") -> list[ReviewedRecord]:
    """Publish ``records`` all at once or none of them (a record and the records it names).

    Each one gets its own status change and history entry; the first refusal undoes them all.
    """
    return _together(PUBLISH, records, by=by)


def submit_together(records: list[ReviewedRecord], *, by: "User") -> list[ReviewedRecord]:
    """Submit a case (a raid and the new records it names) all at once or none of them."""
    return _together(SUBMIT, records, by=by)


def _together(action: str, records: list[ReviewedRecord], *, by: "User") -> list:
    with transaction.atomic():
        done = []
        for record in records:
            try:
                done.append(_transition(record, action, by=by, reason=""))
            except WorkflowError as error:
                raise WorkflowError(f"{record}: {error}") from None
    return done


def apply(
    action: str,
    record: ReviewedRecord,
    *,
    by: "User",
    reason: str = "",
    seen_version: int | None = None,
) -> ReviewedRecord:
    """Take the status change named ``action`` (one of ``TRANSITIONS``).

    With ``seen_version`` the step is refused if the record changed since the user saw it,
    so nobody publishes text they have not read.
    """
    if action not in TRANSITIONS:
        raise WorkflowError(_("Unknown step."))
    return _transition(record, action, by=by, reason=reason, seen_version=seen_version)


def _transition(
    record: ReviewedRecord,
    action: str,
    *,
    by: "User",
    reason: str,
    seen_version: int | None = None,
) -> ReviewedRecord:
    reason = reason.strip()
    if action in REASON_REQUIRED and not reason:
        raise WorkflowError(_("Give a reason: the person who entered the record will read it."))
    with transaction.atomic():
        locked = _locked(record)
        if seen_version is not None and locked.version != seen_version:
            raise WorkflowError(
                _("The record was changed since you opened it: read the current version first.")
            )
        if problem := refusal(locked, by, action):
            raise WorkflowError(problem)
        previous = locked.status
        locked.status = TRANSITIONS[action][1]
        locked.status_reason = reason
        save_noted(locked, by=by, note=change_note(ACTION_LABELS[action], reason))
        StatusChange.objects.create(
            content_type=ContentType.objects.get_for_model(locked),
            object_id=locked.pk,
            from_status=previous,
            to_status=locked.status,
            by=by,
            reason=reason,
        )
    return locked


def revert(
    record: ReviewedRecord, *, history_id: int, by: "User", reason: str = ""
) -> ReviewedRecord:
    """Restore the record's fields, links and rows as they were in an earlier version, as
    one new version.

    Review state and visibility of decided records are not reverted in place: a published or
    rejected record is sent back to draft first, so what the API serves is always reviewed.
    """
    if not by.has_perm("tracker.revert_record"):
        raise WorkflowError(_("Your role does not allow this step."))
    with transaction.atomic():
        locked = _locked(record)
        if locked.is_locked:
            raise WorkflowError(_("Send the record back to draft before reverting it."))
        try:
            old = locked.history.get(history_id=history_id)
        except locked.history.model.DoesNotExist:
            raise WorkflowError(_("That version of the record does not exist.")) from None
        rows_until = record_rows.end_of_version(locked, old)
        for field in locked._meta.concrete_fields:
            if field.name not in NOT_REVERTED:
                setattr(locked, field.attname, getattr(old, field.attname))
        for name in getattr(locked, "_history_m2m_fields", ()):
            target = locked._meta.get_field(name).related_model
            linked = getattr(old, name).values_list(f"{target._meta.model_name}_id", flat=True)
            getattr(locked, name).set(target._base_manager.filter(pk__in=list(linked)))
        locked.updated_by = by
        label = _("reverted to version %(version)s") % {"version": old.version}
        note = change_note(label, reason)
        save_noted(locked, by=by, note=note)
        _restore_rows(locked, rows_until, by=by, note=note)
    return locked


def _restore_rows(record: ReviewedRecord, moment, *, by: "User", note: str) -> None:
    """Put the record's rows (charges, names, links...) back as they stood at ``moment``:
    rows added since go, rows removed since come back, changed rows change back."""
    for fk in record_rows.row_relations(type(record)):
        wanted = record_rows.rows_as_of(record, fk, moment)
        current = {row.pk: row for row in fk.model._base_manager.filter(**{fk.attname: record.pk})}
        for pk in current.keys() - wanted.keys():
            row = current[pk]
            row._history_user, row._change_reason = by, note
            row.delete()
        for pk, row in wanted.items():
            if pk in current and not record_rows.differs(row, current[pk], fk):
                continue
            if missing := record_rows.missing_targets(row, fk):
                raise WorkflowError(
                    _("“%(row)s” cannot be restored: its %(fields)s no longer exists.")
                    % {"row": fk.model._meta.verbose_name, "fields": ", ".join(missing)}
                )
            save_noted(row, by=by, note=note)


def purge(record: ReviewedRecord, *, by: "User") -> PurgeLog:
    """Erase a record for a person's safety: its rows, dependent rows, history and files.

    Nightly reports made since the record was created go too (they may name it), and so do
    the admin log entries of the record and its rows; other records' entries that name it
    (an organisation's "Added membership “Ales Bialiatski — chair”") keep what was done but
    lose the name. What remains is a ``PurgeLog`` line with the kind and id only. Rows that
    other records still depend on (a person's detentions) must be purged first: the error
    says which.
    """
    if not by.has_perm("tracker.purge_record"):
        raise WorkflowError(_("Your role does not allow this step."))
    with transaction.atomic():
        locked = _locked(record)
        collector = Collector(using=locked._state.db)
        try:
            collector.collect([locked])
        except (ProtectedError, RestrictedError) as error:
            blocking = sorted({obj._meta.verbose_name_plural for obj in error.args[1]})
            raise WorkflowError(
                _("Purge these first, they depend on the record: %(models)s.")
                % {"models": ", ".join(str(name) for name in blocking)}
            ) from None
        doomed = {model: {obj.pk for obj in objs} for model, objs in collector.data.items()}
        names = _names(locked)
        files = _stored_files(locked)
        for _receiver, derived in purging.send(sender=type(locked), record=locked):
            files |= derived
        locked.delete()
        for model, pks in doomed.items():
            _erase_history(model, pks)
            content_type = ContentType.objects.get_for_model(model)
            LogEntry.objects.filter(
                content_type=content_type, object_id__in=[str(pk) for pk in pks]
            ).delete()
            StatusChange.objects.filter(content_type=content_type, object_id__in=pks).delete()
        _scrub_admin_log(names)
        entry = PurgeLog.objects.create(
            kind=locked._meta.label_lower, object_id=record.pk, purged_by=by
        )
        transaction.on_commit(lambda: _delete_files(files))
    return entry


def _erase_history(model: type[models.Model], pks: set[int]) -> None:
    """History rows of the records, and of rows that belonged to them and are gone.

    A seized item deleted last year still has history rows naming its raid; a living row
    that merely points at the record (a detention during a purged raid) keeps its history.
    """
    if hasattr(model, "history"):
        model.history.filter(**{f"{model._meta.pk.attname}__in": pks}).delete()
    for relation in model._meta.related_objects:
        child = relation.related_model
        if relation.many_to_many:
            _erase_link_history(relation, model, pks)
            continue
        if not hasattr(child, "history"):
            continue
        child.history.filter(**{f"{relation.field.attname}__in": pks}).exclude(
            **{f"{child._meta.pk.attname}__in": child._base_manager.values("pk")}
        ).delete()


def _erase_link_history(
    relation: models.ManyToManyRel, model: type[models.Model], pks: set[int]
) -> None:
    """The links of other records' past versions to the records (a raid's targeted people)."""
    owner, name = relation.related_model, relation.field.name
    if name in getattr(owner, "_history_m2m_fields", ()):
        links = getattr(owner.history.model, name).model
        links.objects.filter(**{f"{model._meta.model_name}_id__in": pks}).delete()


def _names(record: ReviewedRecord) -> set[str]:
    """What the admin log may have called the record: ``str()`` of each of its versions."""
    names = set()
    for version in [record, *(version.instance for version in record.history.all())]:
        try:
            names.add(str(version))
        except ObjectDoesNotExist:  # a past version named a row since deleted (merged)
            continue
    return {name for name in names if name.strip()}


def _mentions(text: str, names: set[str]) -> bool:
    """Whether ``text`` holds one of ``names``, as typed or escaped in the log's JSON."""
    return any(name in text or json.dumps(name)[1:-1] in text for name in names)


def _scrub_admin_log(names: set[str]) -> None:
    """Put ``PURGED`` for the record's names in every admin log entry that still holds one.

    The entries left are other records' (an organisation's page added a membership of the
    purged person), or of rows deleted before the purge. A row described by a name (the
    "object" of an added, changed or deleted row) loses its description; an entry of a row
    that is gone loses its ``object_repr``; a message that still names the record after that
    (not written by the admin) is replaced whole. A living record whose own name holds the
    name keeps its ``object_repr``: that is its name, not the purged record's; a living record
    whose label named the record (a raid named by its targets) loses the name in it.
    """
    condition = Q()
    for name in names:
        condition |= Q(object_repr__contains=name) | Q(change_message__contains=name)
        condition |= Q(change_message__contains=json.dumps(name)[1:-1])
    for entry in LogEntry.objects.filter(condition).select_related("content_type"):
        entry.change_message = _scrubbed_message(entry.change_message, names)
        model = entry.content_type.model_class()
        living = model and model._base_manager.filter(pk=entry.object_id).first()
        if living is None and _mentions(entry.object_repr, names):
            entry.object_repr = str(PURGED)
        elif living is not None and not _mentions(str(living), names):
            # A label that named the record (a raid by its targets) and names it no more.
            entry.object_repr = _without(entry.object_repr, names)
        entry.save(update_fields=["change_message", "object_repr"])


def _without(text: str, names: set[str]) -> str:
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, str(PURGED))
    return text


def _scrubbed_message(message: str, names: set[str]) -> str:
    try:
        parts = json.loads(message)
    except ValueError:
        parts = None
    if isinstance(parts, list):
        for part in parts:
            for detail in part.values() if isinstance(part, dict) else ():
                if isinstance(detail, dict) and _mentions(str(detail.get("object", "")), names):
                    detail["object"] = str(PURGED)
        message = json.dumps(parts)
    return str(PURGED) if _mentions(message, names) else message


def _stored_files(record: ReviewedRecord) -> set[tuple[Storage, str]]:
    """Every uploaded file the record or any of its versions points to, with its storage."""
    files: set[tuple[Storage, str]] = set()
    for field in record._meta.concrete_fields:
        if isinstance(field, models.FileField):
            names = {getattr(record, field.attname).name or ""}
            names.update(record.history.values_list(field.attname, flat=True))
            files.update((field.storage, name) for name in names if name)
    return files


def _delete_files(files: set[tuple[Storage, str]]) -> None:
    for storage, name in files:
        storage.delete(name)


def _locked(record: ReviewedRecord) -> ReviewedRecord:
    try:
        return type(record)._base_manager.select_for_update().get(pk=record.pk)
    except type(record).DoesNotExist:
        raise WorkflowError(_("The record no longer exists.")) from None


def save_noted(obj: models.Model, *, by: "User", note: str) -> None:
    """Save ``obj`` with ``by`` and ``note`` on its history row."""
    obj._history_user = by
    obj._change_reason = note
    obj.save()


def change_note(label: str, reason: str) -> str:
    """The history row's change reason: what was done, and why if a reason was given."""
    text = f"{label}: {reason}" if reason else str(label)
    if len(text) <= CHANGE_REASON_LENGTH:
        return text
    return Truncator(text).chars(CHANGE_REASON_LENGTH)
