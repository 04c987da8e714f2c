"""Merging duplicate people: one person recorded twice under different spellings.

A duplicate splits a prisoner's record in two; merging folds it into the record to keep.
Every row that points at the duplicate, in this app or in apps built on it (detentions,
source links, raid targets), is moved through Django's relations, so this module needs to
know none of them.
"""

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from organisations.models import Person, PersonName
from tracker.workflow import WorkflowError, change_note, save_noted

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser as User


def merge_people(*, keep: Person, duplicate: Person, by: "User", reason: str = "") -> Person:
    """Fold ``duplicate`` into ``keep``: names, and every row that points at the duplicate.

    The duplicate's names become other names of ``keep``; confidential notes and contact
    details are joined; the person stays unnamed in public output if either record says so.
    """
    if not by.has_perm("tracker.merge_people"):
        raise WorkflowError(_("Your role does not allow this step."))
    if keep.pk == duplicate.pk:
        raise WorkflowError(_("Choose two different people to merge."))
    with transaction.atomic():
        locked = {
            p.pk: p
            for p in Person.objects.select_for_update().filter(pk__in=[keep.pk, duplicate.pk])
        }
        keep, duplicate = locked[keep.pk], locked[duplicate.pk]
        note = change_note(_("merged person #%(id)s") % {"id": duplicate.pk}, reason)
        _move_related_rows(keep, duplicate, by=by, note=note)
        known = {keep.name, *keep.other_names.values_list("name", flat=True)}
        for name, language in [
            (duplicate.name, ""),
            *duplicate.other_names.values_list("name", "language"),
        ]:
            if name not in known:
                PersonName.objects.create(person=keep, name=name, language=language)
                known.add(name)
        _fold_into(keep, duplicate)
        keep.updated_by = by
        save_noted(keep, by=by, note=note)
        duplicate._history_user = by
        duplicate._change_reason = change_note(
            _("merged into person #%(id)s") % {"id": keep.pk}, ""
        )
        duplicate.delete()
    return keep


def _move_related_rows(keep: Person, duplicate: Person, *, by: "User", note: str) -> None:
    """Point every row that names the duplicate at ``keep`` (other names are merged apart)."""
    for relation in Person._meta.related_objects:
        if relation.related_model is PersonName:
            continue
        rows = getattr(duplicate, relation.get_accessor_name()).all()
        if relation.many_to_many:
            for row in rows:
                getattr(row, relation.field.name).add(keep)
            continue
        for row in rows:
            setattr(row, relation.field.name, keep)
            save_noted(row, by=by, note=note)


def _fold_into(keep: Person, duplicate: Person) -> None:
    for field in ("birth_year", "occupation", "home_region", "pseudonym"):
        if getattr(keep, field) in (None, ""):
            setattr(keep, field, getattr(duplicate, field))
    if keep.gender == Person.Gender.UNKNOWN:
        keep.gender = duplicate.gender
    keep.may_be_named = keep.may_be_named and duplicate.may_be_named
    for field in ("confidential_notes", "contact_details"):
        parts = [getattr(keep, field), getattr(duplicate, field)]
        setattr(keep, field, "\n\n".join(dict.fromkeys(p for p in parts if p)))
