"""Importing raids, detentions and sources: their columns, links by name and nested rows.

The columns are those of the API's CSV export (docs/api.md), so that an export can be
edited and imported back; ``external_ref`` and the ``create_*`` columns are the import's
own (docs/import.md).
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from incidents.models import Charge, Detention, Raid, SeizedItem, Sentence, Source
from organisations.importing import RECORD_COLUMNS, NameLinks, flag
from organisations.models import Organisation, Person
from tracker import workflow
from tracker.importing import Importer, RowError, RowInvalid, parse, split

PLACE_COLUMNS = ("date", "date_precision", "settlement", "region", "latitude", "longitude")
SOURCE_COLUMNS = ("sources.id", "sources.title")
STATE_AGENCY = {"kind": Organisation.Kind.STATE_AGENCY, "is_state_actor": True}


def nested_rows(
    model: type[models.Model], number: int, row: dict[str, str], prefix: str, names: tuple
) -> list[dict[str, Any]] | None:
    """The nested rows listed in ``prefix.<name>`` columns, item by item; None if absent."""
    if not any(f"{prefix}.{name}" in row for name in names):
        return None
    lists = {name: split(row.get(f"{prefix}.{name}", "")) for name in names}
    errors, items = [], []
    for index in range(max(map(len, lists.values()))):
        item = {}
        for name, values in lists.items():
            cell = values[index] if index < len(values) else ""
            try:
                item[name] = parse(model._meta.get_field(name), cell)
            except ValueError as error:
                errors.append(RowError(number, f"{prefix}.{name}", str(error)))
        items.append(item)
    if errors:
        raise RowInvalid(errors)
    return items


def check_rows(objects: list[models.Model], number: int, prefix: str, exclude: list[str]) -> None:
    errors = []
    for obj in objects:
        try:
            obj.full_clean(exclude=exclude)
        except ValidationError as error:
            errors.extend(
                RowError(number, f"{prefix}.{name}", message)
                for name, messages in error.message_dict.items()
                for message in messages
            )
    if errors:
        raise RowInvalid(errors)


class IncidentImporter(Importer):
    update_keys = ("id", "external_ref")
    ignored = (*Importer.ignored, *SOURCE_COLUMNS)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.people = NameLinks(Person, by=self.by)
        self.organisations = NameLinks(Organisation, by=self.by)

    def save_noted(self, obj: models.Model, number: int) -> None:
        workflow.save_noted(obj, by=self.by, note=self.note(number))

    def create_noted(self, objects: list[models.Model], number: int) -> None:
        """Insert new nested rows with their history rows, a query each for all of them.

        ``bulk_create`` skips the change log's receivers; the record itself is saved with
        them (``import_row``), which is what incremental sync reads.
        """
        if objects:
            model = type(objects[0])
            model.objects.bulk_create(objects)
            model.history.bulk_history_create(
                objects, default_user=self.by, default_change_reason=self.note(number)
            )

    def delete_noted(self, objects: models.QuerySet, number: int) -> None:
        for obj in objects:
            obj._history_user = self.by
            obj._change_reason = self.note(number)
            obj.delete()


class DetentionImporter(IncidentImporter):
    model = Detention
    fields = (
        *PLACE_COLUMNS, "legal_track", "release_date", "outcome",
        "recognised_political_prisoner", "recognised_by", "recognised_on",
        *RECORD_COLUMNS, "external_ref",
    )  # fmt: skip
    columns = (
        "person.id", "person.name", "person.pseudonym", "create_person",
        "authority.id", "authority.name", "create_organisation", "raid",
        "charges.code_article", "charges.text",
        *(f"sentence.{k}" for k in ("court", "date", "kind", "term_months", "term_days")),
    )  # fmt: skip
    required = ("date",)
    # Custody over time is entered on the detention's page; an export's columns of it are
    # read back as derived, like ``in_custody``.
    ignored = (
        *IncidentImporter.ignored, "in_custody", "whereabouts_known", "days_in_custody",
        "days_in_custody_precision",
        *(f"custody_place.{k}" for k in ("id", "name", "kind", "region")),
        *(f"stays.{k}" for k in ("since", "since_precision", "until", "until_precision",
                                 "place_id", "place_name", "place_kind")),
        *(f"facts.{k}" for k in ("aspect", "state", "since", "since_precision", "source",
                                 "note")),
        *(f"hearings.{k}" for k in ("starts_at", "court", "kind", "outcome")),
    )  # fmt: skip
    nested = {"charges": Charge, "sentence": Sentence}
    example = {
        "date": "2021-07-14", "date_precision": "day", "settlement": "Minsk",
        "region": "BY-HM", "person.name": "Ales Bialiatski", "authority.name": "KGB",
        "legal_track": "criminal", "outcome": "sentenced",
        "charges.code_article": "Criminal Code 228 | Criminal Code 243",
        "charges.text": "smuggling | tax evasion", "sentence.court": "Minsk City Court",
        "sentence.date": "2023-03-03", "sentence.kind": "colony", "sentence.term_months": "120",
    }  # fmt: skip
    SENTENCE = ("court", "date", "kind", "term_months", "term_days")

    def fill(self, record: models.Model, number: int, row: dict[str, str]) -> list[RowError]:
        errors = super().fill(record, number, row)
        self.charges, self.sentence = None, None
        for step in (self._person, self._authority, self._raid, self._nested):
            try:
                step(record, number, row)
            except RowInvalid as invalid:
                errors.extend(invalid.errors)
        return errors

    def _person(self, record: Detention, number: int, row: dict[str, str]) -> None:
        pseudonym = row.get("person.pseudonym", "").strip()
        defaults = {"pseudonym": pseudonym, "may_be_named": False}
        create = flag(number, row, "create_person")
        if person := self.people.one(number, row, "person", create=create, defaults=defaults):
            record.person = person

    def _authority(self, record: Detention, number: int, row: dict[str, str]) -> None:
        if "authority.id" in row or "authority.name" in row:
            create = flag(number, row, "create_organisation")
            record.authority = self.organisations.one(
                number, row, "authority", create=create, defaults=STATE_AGENCY
            )

    def _raid(self, record: Detention, number: int, row: dict[str, str]) -> None:
        if "raid" not in row:
            return
        cell = row["raid"].strip()
        if cell and not (cell.isdigit() and Raid.objects.filter(pk=cell).exists()):
            message = _("No raid has the id %(id)s.") % {"id": cell}
            raise RowInvalid([RowError(number, "raid", message)])
        record.raid_id = int(cell) if cell else None

    def _nested(self, record: Detention, number: int, row: dict[str, str]) -> None:
        self.charges = nested_rows(Charge, number, row, "charges", ("code_article", "text"))
        sentences = nested_rows(Sentence, number, row, "sentence", self.SENTENCE)
        # An empty sentence in the file means none; absent columns leave it as it is.
        self.sentence = None if sentences is None else (sentences or [{}])[0]
        if self.sentence and all(v in (None, "") for v in self.sentence.values()):
            self.sentence = {}

    def column_of(self, field_name: str) -> str:
        columns = {"person": "person.name", "authority": "authority.name"}
        return columns.get(field_name, super().column_of(field_name))

    def rows_changed(self, record: Detention, row: dict[str, str]) -> bool:
        if self.charges is not None:
            old = list(record.charges.order_by("id").values("code_article", "text"))
            if old != self.charges:
                return True
        if self.sentence is not None:
            old = Sentence.objects.filter(detention=record).values(*self.SENTENCE).first()
            return (old or {}) != self.sentence
        return False

    def save_rows(self, record: Detention, number: int, row: dict[str, str]) -> None:
        if self.charges is not None:
            old = (
                []
                if self.adding
                else list(record.charges.order_by("id").values("code_article", "text"))
            )
            if old != self.charges:
                charges = [Charge(detention=record, **c) for c in self.charges]
                check_rows(charges, number, "charges", exclude=["detention"])
                if old:
                    self.delete_noted(record.charges.all(), number)
                self.create_noted(charges, number)
        if self.sentence is not None:
            self._save_sentence(record, number)

    def _save_sentence(self, record: Detention, number: int) -> None:
        sentence = None if self.adding else Sentence.objects.filter(detention=record).first()
        if not self.sentence:
            if sentence:
                self.delete_noted([sentence], number)
            return
        new = sentence is None
        sentence = sentence or Sentence(detention=record)
        for name, value in self.sentence.items():
            setattr(sentence, name, value)
        check_rows([sentence], number, "sentence", exclude=["detention"])
        if new:
            self.create_noted([sentence], number)
        else:
            self.save_noted(sentence, number)


class RaidImporter(IncidentImporter):
    model = Raid
    fields = (
        *PLACE_COLUMNS, "premises_type", "case_reference", "narrative", *RECORD_COLUMNS,
        "external_ref",
    )  # fmt: skip
    LINKS = ("target_organisations", "target_people", "perpetrators")
    columns = (
        *(f"{link}.{key}" for link in LINKS for key in ("id", "name")),
        "create_person", "create_organisation",
        "seized_items.kind", "seized_items.count", "seized_items.description",
    )  # fmt: skip
    required = ("date", "premises_type")
    nested = {"seized_items": SeizedItem}
    example = {
        "date": "2021-07-14", "date_precision": "day", "settlement": "Minsk",
        "region": "BY-HM", "premises_type": "office", "target_organisations.name": "Viasna",
        "perpetrators.name": "KGB", "seized_items.kind": "computer | phone",
        "seized_items.count": "3 | 5",
    }  # fmt: skip

    def fill(self, record: models.Model, number: int, row: dict[str, str]) -> list[RowError]:
        errors = super().fill(record, number, row)
        self.links, self.items = {}, None
        try:
            create_people = flag(number, row, "create_person")
            create_organisations = flag(number, row, "create_organisation")
            targets = {"kind": Organisation.Kind.OTHER}
            for link, finder, create, defaults in (
                ("target_organisations", self.organisations, create_organisations, targets),
                ("target_people", self.people, create_people, {"may_be_named": False}),
                ("perpetrators", self.organisations, create_organisations, STATE_AGENCY),
            ):
                found = finder.many(number, row, link, create=create, defaults=defaults)
                if link == "perpetrators" and any(not o.is_state_actor for o in found or []):
                    message = _("A perpetrator must be a state actor.")
                    errors.append(RowError(number, "perpetrators.name", message))
                if found is not None:
                    self.links[link] = found
            self.items = nested_rows(
                SeizedItem, number, row, "seized_items", ("kind", "count", "description")
            )
        except RowInvalid as invalid:
            errors.extend(invalid.errors)
        return errors

    def rows_changed(self, record: Raid, row: dict[str, str]) -> bool:
        for link, found in self.links.items():
            if list(getattr(record, link).values_list("pk", flat=True)) != [r.pk for r in found]:
                return True
        old = list(record.seized_items.order_by("id").values("kind", "count", "description"))
        return self.items is not None and old != self.items

    def save_rows(self, record: Raid, number: int, row: dict[str, str]) -> None:
        for link, found in self.links.items():
            getattr(record, link).set(found)
        if self.items is None:
            return
        old = list(record.seized_items.order_by("id").values("kind", "count", "description"))
        if old != self.items:
            items = [SeizedItem(raid=record, **item) for item in self.items]
            check_rows(items, number, "seized_items", exclude=["raid"])
            if old:
                self.delete_noted(record.seized_items.all(), number)
            self.create_noted(items, number)


class SourceImporter(Importer):
    model = Source
    fields = ("kind", "title", "publisher", "published_on", "reliability", *RECORD_COLUMNS)
    columns = ("source_url",)
    required = ("kind", "title")
    ignored = (*Importer.ignored, "sha256", "links.kind", "links.id", "links.quote")
    example = {
        "kind": "news", "title": "Belarus raids human rights groups", "publisher": "Euronews",
        "source_url": "https://www.euronews.com/", "published_on": "2021-07-14",
    }  # fmt: skip

    def fill(self, record: models.Model, number: int, row: dict[str, str]) -> list[RowError]:
        if "source_url" in row:
            record.url = row["source_url"].strip()
        return super().fill(record, number, row)

    def column_of(self, field_name: str) -> str:
        return "source_url" if field_name == "url" else super().column_of(field_name)
