"""Importing people and organisations, and finding them by name for other kinds' rows."""

import functools
import operator

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from organisations.models import Membership, NamedRecord, Organisation, Person
from tracker import names
from tracker.importing import Importer, RowError, RowInvalid, nested_rows, split, yes
from tracker.review import Status

RECORD_COLUMNS = ("visibility",)
OTHER_NAME_COLUMNS = ("other_names.name", "other_names.language")
MEMBERSHIP = ("role", "start_date", "end_date")


class NameLinks:
    """Finds the records a file names, by id or by name in any script, once per import.

    A name links to the record whose name (or other name) has every word of it in the same
    spelling (``Person.objects.matching()``, exact words); two such records, or only
    near spellings, are an error listing the candidates. A missing record is created only
    when the row says so, with ``defaults``; it is remembered, so that later rows naming it
    link to the same new record.
    """

    def __init__(self, model: type[NamedRecord], *, by) -> None:
        self.model = model
        self.by = by
        self.created: dict[str, NamedRecord] = {}
        self.found: dict[str, NamedRecord] = {}

    def prepare(self, rows: list[tuple[int, dict[str, str]]], *prefixes: str) -> None:
        """Look up every id and name a chunk of rows gives in ``prefix.id``/``prefix.name``
        columns: one query for the ids, one for the names.

        A name is settled here when exactly one record has every word of it in the same
        spelling (what ``by_name`` would take); any other name is left to ``by_name``, which
        lists the candidates or creates the record.
        """
        ids, wanted = set(), set()
        for _number, row in rows:
            for prefix in prefixes:
                ids.update(i for i in split(row.get(f"{prefix}.id", "")) if i.isdigit())
                wanted.update(split(row.get(f"{prefix}.name", "")))
        ids -= self.found.keys()
        if ids:
            for record in self.model.objects.filter(pk__in=ids):
                self.found[str(record.pk)] = record
        spellings = {}
        for name in wanted:
            key = names.search_key([name])
            if key not in self.found and key not in self.created and names.words(name):
                spellings[key] = [f" {names.spelling(w)} " for w in names.words(name)]
        if not spellings:
            return
        condition = functools.reduce(
            operator.or_,
            (
                functools.reduce(operator.and_, (models.Q(search_key__contains=t) for t in words))
                for words in spellings.values()
            ),
        )
        by_word: dict[str, list[NamedRecord]] = {}
        for record in self.model.objects.filter(condition):
            for word in set(record.search_key.split()):
                by_word.setdefault(f" {word} ", []).append(record)
        for key, words in spellings.items():
            exact = [r for r in by_word.get(words[0], []) if all(t in r.search_key for t in words)]
            if len(exact) == 1:
                self.found[key] = exact[0]

    def by_id(self, number: int, column: str, cell: str) -> NamedRecord:
        if cell in self.found:
            return self.found[cell]
        record = self.model.objects.filter(pk=cell).first() if cell.isdigit() else None
        if record is None:
            message = _("No person has the id %(id)s.")
            if self.model is Organisation:
                message = _("No organisation has the id %(id)s.")
            raise RowInvalid([RowError(number, column, message % {"id": cell})])
        self.found[cell] = record
        return record

    def by_name(
        self, number: int, column: str, name: str, *, create: bool, defaults: dict
    ) -> NamedRecord:
        key = names.search_key([name])
        if key in self.found:
            return self.found[key]
        if key in self.created:
            return self.created[key]
        wanted = len(names.words(name))
        candidates = list(self.model.objects.matching(name)[:6])
        exact = [c for c in candidates if c.name_exact_words == wanted]
        if len(exact) == 1:
            self.found[key] = exact[0]
            return exact[0]
        if exact or (candidates and not create):
            listed = ", ".join(f"{c.name} (id {c.pk})" for c in exact or candidates)
            message = _("“%(name)s” may be any of: %(candidates)s. Give the id instead.")
            raise RowInvalid(
                [RowError(number, column, message % {"name": name, "candidates": listed})]
            )
        if not create:
            message = _("Nobody is called “%(name)s”: check the spelling, or say yes in %(flag)s.")
            if self.model is Organisation:
                message = _(
                    "No organisation is called “%(name)s”: check the spelling, "
                    "or say yes in %(flag)s."
                )
            flag = f"create_{self.model._meta.model_name}"
            raise RowInvalid([RowError(number, column, message % {"name": name, "flag": flag})])
        record = self.model(name=name, created_by=self.by, updated_by=self.by, **defaults)
        try:
            record.full_clean()
        except ValidationError as error:
            raise RowInvalid([RowError(number, column, m) for m in error.messages]) from None
        record.status = Status.DRAFT
        record._history_user = self.by
        record.save()
        self.created[key] = record
        return record

    def one(
        self, number: int, row: dict[str, str], prefix: str, *, create: bool, defaults: dict
    ) -> NamedRecord | None:
        """The record named by the ``prefix.id`` or ``prefix.name`` column, or None."""
        ident = row.get(f"{prefix}.id", "").strip()
        if ident:
            return self.by_id(number, f"{prefix}.id", ident)
        name = row.get(f"{prefix}.name", "").strip()
        if name:
            return self.by_name(number, f"{prefix}.name", name, create=create, defaults=defaults)
        return None

    def many(
        self, number: int, row: dict[str, str], prefix: str, *, create: bool, defaults: dict
    ) -> list[NamedRecord] | None:
        """The records listed (`` | ``) in ``prefix.id``, else ``prefix.name``; None if absent."""
        id_column, name_column = f"{prefix}.id", f"{prefix}.name"
        if id_column not in row and name_column not in row:
            return None
        ids = split(row.get(id_column, ""))
        if ids:
            return [self.by_id(number, id_column, i) for i in ids]
        return [
            self.by_name(number, name_column, n, create=create, defaults=defaults)
            for n in split(row.get(name_column, ""))
        ]


def flag(number: int, row: dict[str, str], column: str) -> bool:
    try:
        return yes(row.get(column, ""))
    except ValueError as error:
        raise RowInvalid([RowError(number, column, str(error))]) from None


def with_created(written: dict, *links: NameLinks) -> dict:
    """``written`` and the records ``links`` created, by model."""
    every = {model: set(ids) for model, ids in written.items()}
    for link in links:
        every.setdefault(link.model, set()).update(r.pk for r in link.created.values())
    return every


class NamedImporter(Importer):
    """People and organisations: other names (and memberships) as nested rows."""

    compared_rows: tuple[str, ...] = ("other_names",)  # compared on update, loaded per chunk

    def read_other_names(self, number: int, row: dict[str, str]) -> None:
        model = self.model.other_names.rel.related_model
        self.other_names = nested_rows(model, number, row, "other_names", ("name", "language"))

    def prepare_targets(self, records: list[models.Model]) -> None:
        models.prefetch_related_objects(records, *self.compared_rows)

    def rows_changed(self, record: NamedRecord, row: dict[str, str]) -> bool:
        return self.other_names is not None and self.other_names != self.old_rows(
            record, "other_names", ["name", "language"]
        )

    def save_rows(self, record: NamedRecord, number: int, row: dict[str, str]) -> None:
        if self.other_names is not None and self.replace_rows(
            record, number, "other_names", self.other_names
        ):
            record.refresh_search_key()  # the rows were inserted without OtherName.save()


class PersonImporter(NamedImporter):
    model = Person
    fields = (
        "name", "may_be_named", "pseudonym", "birth_year", "gender", "occupation",
        "home_region", *RECORD_COLUMNS,
    )  # fmt: skip
    columns = (
        *OTHER_NAME_COLUMNS,
        *("memberships.organisation_id", "memberships.organisation_name"),
        *(f"memberships.{name}" for name in MEMBERSHIP),
    )
    required = ("name",)
    compared_rows = ("other_names", "memberships")
    example = {"name": "Ales Bialiatski", "may_be_named": "yes", "gender": "male"}

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.organisations = NameLinks(Organisation, by=self.by)

    def fill(self, record: models.Model, number: int, row: dict[str, str]) -> list[RowError]:
        # The export names a person who may not be named by their pseudonym, and withholds
        # their other names and memberships: that is not a new name, nor an empty list.
        unnamed = not record._state.adding and not record.may_be_named
        withheld = unnamed and row.get("name", "").strip() == record.pseudonym
        if withheld:
            row = {**row, "name": record.name}
        errors = super().fill(record, number, row)
        self.other_names = self.memberships = None
        if withheld:
            return errors
        for step in (self.read_other_names, self.read_memberships):
            try:
                step(number, row)
            except RowInvalid as invalid:
                errors.extend(invalid.errors)
        return errors

    def read_memberships(self, number: int, row: dict[str, str]) -> None:
        """Memberships item by item: the organisation by id, else by name (never created)."""
        items = nested_rows(Membership, number, row, "memberships", MEMBERSHIP)
        if items is None:
            return
        ids = split(row.get("memberships.organisation_id", ""))
        names = split(row.get("memberships.organisation_name", ""))
        errors = []
        for index, item in enumerate(items):
            try:
                if index < len(ids) and ids[index]:
                    column, cell = "memberships.organisation_id", ids[index]
                    organisation = self.organisations.by_id(number, column, cell)
                elif index < len(names) and names[index]:
                    organisation = self.organisations.by_name(
                        number, "memberships.organisation_name", names[index], create=False,
                        defaults={},
                    )  # fmt: skip
                else:
                    message = _("Name the organisation of each membership.")
                    raise RowInvalid([RowError(number, "memberships.organisation_name", message)])
            except RowInvalid as invalid:
                errors.extend(invalid.errors)
                continue
            items[index] = {"organisation_id": organisation.pk, **item}
        if errors:
            raise RowInvalid(errors)
        self.memberships = items

    def rows_changed(self, record: Person, row: dict[str, str]) -> bool:
        if super().rows_changed(record, row):
            return True
        keys = ["organisation_id", *MEMBERSHIP]
        return self.memberships is not None and self.memberships != self.old_rows(
            record, "memberships", keys
        )

    def save_rows(self, record: Person, number: int, row: dict[str, str]) -> None:
        super().save_rows(record, number, row)
        if self.memberships is not None:
            self.replace_rows(record, number, "memberships", self.memberships)


class OrganisationImporter(NamedImporter):
    model = Organisation
    fields = (
        "name", "kind", "is_state_actor", "country", "city", "founded", "founded_precision",
        "legal_status", "website", "description", *RECORD_COLUMNS,
    )  # fmt: skip
    columns = ("parent.id", "parent.name", *OTHER_NAME_COLUMNS)
    required = ("name", "kind")
    example = {"name": "Viasna", "kind": "human_rights", "city": "Minsk", "founded": "1996-01-01"}

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.organisations = NameLinks(Organisation, by=self.by)

    def fill(self, record: models.Model, number: int, row: dict[str, str]) -> list[RowError]:
        errors = super().fill(record, number, row)
        try:
            self.read_other_names(number, row)
        except RowInvalid as invalid:
            self.other_names = None
            errors.extend(invalid.errors)
        if "parent.id" in row or "parent.name" in row:
            try:
                record.parent = self.organisations.one(
                    number, row, "parent", create=False, defaults={}
                )
            except RowInvalid as invalid:
                errors.extend(invalid.errors)
        return errors

    def column_of(self, field_name: str) -> str:
        return "parent.name" if field_name == "parent" else super().column_of(field_name)

    def all_written(self) -> dict:
        return with_created(self.written, self.organisations)
