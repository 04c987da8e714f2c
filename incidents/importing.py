"""Importing raids, detentions and sources: their columns, links by name and nested rows.

The columns are those of the API's CSV export (docs/api.md), so that an export can be
edited and imported back; ``external_ref`` and the ``create_*`` columns are the import's
own (docs/import.md).
"""

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils.translation import gettext as _

from incidents.models import Charge, Detention, Raid, SeizedItem, Sentence, Source, SourceLink
from organisations.importing import RECORD_COLUMNS, NameLinks, flag, with_created
from organisations.models import Organisation, Person
from tracker import changes
from tracker.importing import Importer, RowError, RowInvalid, check_rows, nested_rows, split

PLACE_COLUMNS = ("date", "date_precision", "settlement", "region", "latitude", "longitude")
SOURCE_COLUMNS = ("sources.id", "sources.quote")
STATE_AGENCY = {"kind": Organisation.Kind.STATE_AGENCY, "is_state_actor": True}


class IncidentImporter(Importer):
    update_keys = ("id", "external_ref")
    ignored = (*Importer.ignored, "sources.title")

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.people = NameLinks(Person, by=self.by)
        self.organisations = NameLinks(Organisation, by=self.by)
        self.source_ids: set[int] = set()
        self.sources: list[dict[str, Any]] | None = None

    def all_written(self) -> dict:
        return with_created(self.written, self.people, self.organisations)

    def prepare(self, rows: list[tuple[int, dict[str, str]]]) -> None:
        super().prepare(rows)
        ids = {int(i) for _n, row in rows for i in split(row.get("sources.id", "")) if i.isdigit()}
        self.source_ids = set(Source.objects.filter(pk__in=ids).values_list("pk", flat=True))

    def prepare_targets(self, records: list[models.Model]) -> None:
        models.prefetch_related_objects(records, "source_links")

    def read_sources(self, number: int, row: dict[str, str]) -> None:
        """The source links listed in ``sources.id`` (quotes in ``sources.quote``), as
        the export writes them; None when the file has no such column."""
        self.sources = None
        if "sources.id" not in row:
            return
        quotes = split(row.get("sources.quote", ""))
        errors, items = [], []
        for index, cell in enumerate(split(row["sources.id"])):
            if not (cell.isdigit() and int(cell) in self.source_ids):
                message = _("No source has the id %(id)s.") % {"id": cell}
                errors.append(RowError(number, "sources.id", message))
                continue
            quote = quotes[index] if index < len(quotes) else ""
            items.append({"source_id": int(cell), "quote": quote})
        if errors:
            raise RowInvalid(errors)
        self.sources = items

    def sources_changed(self, record: models.Model) -> bool:
        if self.sources is None:
            return False
        return self.old_rows(record, "source_links", ["source_id", "quote"]) != self.sources

    def save_sources(self, record: models.Model, number: int) -> None:
        """Replace the record's source links; the sources' own rows list them too."""
        if self.sources is None:
            return
        if self.replace_rows(record, number, "source_links", self.sources, prefix="sources"):
            changes.touch(Source, [item["source_id"] for item in self.sources])

    def new_source_links(self, record: models.Model, number: int) -> list[SourceLink]:
        links = [
            SourceLink(**{self.model._meta.model_name: record}, **s) for s in self.sources or []
        ]
        check_rows(links, number, "sources", exclude=[self.model._meta.model_name, "source"])
        return links


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
    bulk = True
    example = {
        "date": "2021-07-14", "date_precision": "day", "settlement": "Minsk",
        "region": "BY-HM", "person.name": "Ales Bialiatski", "authority.name": "KGB",
        "legal_track": "criminal", "outcome": "sentenced",
        "charges.code_article": "Criminal Code 228 | Criminal Code 243",
        "charges.text": "smuggling | tax evasion", "sentence.court": "Minsk City Court",
        "sentence.date": "2023-03-03", "sentence.kind": "colony", "sentence.term_months": "120",
    }  # fmt: skip
    SENTENCE = ("court", "date", "kind", "term_months", "term_days")

    def prepare(self, rows: list[tuple[int, dict[str, str]]]) -> None:
        super().prepare(rows)
        self.people.prepare(rows, "person")
        self.organisations.prepare(rows, "authority")
        ids = {row.get("raid", "").strip() for _number, row in rows}
        self.raids = Raid.objects.only("pk").in_bulk([int(i) for i in ids if i.isdigit()])

    def prepare_targets(self, records: list[models.Model]) -> None:
        models.prefetch_related_objects(records, "charges", "sentence", "source_links")

    def fill(self, record: models.Model, number: int, row: dict[str, str]) -> list[RowError]:
        errors = super().fill(record, number, row)
        self.charges, self.sentence = None, None
        for step in (self._person, self._authority, self._raid, self._nested, self._sources):
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
        raid = self.raids.get(int(cell)) if cell.isdigit() else None
        if cell and raid is None:
            message = _("No raid has the id %(id)s.") % {"id": cell}
            raise RowInvalid([RowError(number, "raid", message)])
        record.raid = raid

    def _sources(self, record: Detention, number: int, row: dict[str, str]) -> None:
        self.read_sources(number, row)

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

    @staticmethod
    def old_charges(record: Detention) -> list[dict[str, Any]]:
        """The record's charges as the file gives them (prefetched for the records updated)."""
        charges = sorted(record.charges.all(), key=lambda charge: charge.pk)
        return [{"code_article": c.code_article, "text": c.text} for c in charges]

    @staticmethod
    def old_sentence(record: Detention) -> Sentence | None:
        try:
            return record.sentence
        except ObjectDoesNotExist:
            return None

    def rows_changed(self, record: Detention, row: dict[str, str]) -> bool:
        if self.charges is not None and self.old_charges(record) != self.charges:
            return True
        if self.sources_changed(record):
            return True
        if self.sentence is not None:
            old = self.old_sentence(record)
            old_values = {k: getattr(old, k) for k in self.SENTENCE} if old else {}
            return old_values != self.sentence
        return False

    def pending_rows(self, record: Detention, number: int) -> list[models.Model]:
        """The new detention's charges and sentence, checked before anything is inserted."""
        rows = [Charge(detention=record, **charge) for charge in self.charges or []]
        check_rows(rows, number, "charges", exclude=["detention"])
        if self.sentence:
            sentence = Sentence(detention=record, **self.sentence)
            check_rows([sentence], number, "sentence", exclude=["detention"])
            rows.append(sentence)
        rows.extend(self.new_source_links(record, number))
        for obj in rows:
            obj._history_user = self.by
            obj._change_reason = self.note(number)
        return rows

    def create_pending_rows(self, pending: list) -> None:
        for model in (Charge, Sentence, SourceLink):
            self.create_noted([o for _n, _r, rows in pending for o in rows if type(o) is model])
        linked = [o.source_id for _n, _r, rows in pending for o in rows if type(o) is SourceLink]
        changes.touch(Source, linked)

    def save_rows(self, record: Detention, number: int, row: dict[str, str]) -> None:
        if self.charges is not None:
            old = [] if self.adding else self.old_charges(record)
            if old != self.charges:
                charges = [Charge(detention=record, **c) for c in self.charges]
                check_rows(charges, number, "charges", exclude=["detention"])
                if old:
                    self.delete_noted(record.charges.all(), number)
                self.create_noted(charges, number)
        if self.sentence is not None:
            self._save_sentence(record, number)
        self.save_sources(record, number)

    def _save_sentence(self, record: Detention, number: int) -> None:
        sentence = None if self.adding else self.old_sentence(record)
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
        try:
            self.read_sources(number, row)
        except RowInvalid as invalid:
            errors.extend(invalid.errors)
        return errors

    def rows_changed(self, record: Raid, row: dict[str, str]) -> bool:
        if self.sources_changed(record):
            return True
        for link, found in self.links.items():
            if list(getattr(record, link).values_list("pk", flat=True)) != [r.pk for r in found]:
                return True
        old = list(record.seized_items.order_by("id").values("kind", "count", "description"))
        return self.items is not None and old != self.items

    def save_rows(self, record: Raid, number: int, row: dict[str, str]) -> None:
        for link, found in self.links.items():
            getattr(record, link).set(found)
        self.save_sources(record, number)
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
    columns = ("source_url", "links.kind", "links.id", "links.quote")
    required = ("kind", "title")
    ignored = (*Importer.ignored, "sha256")
    TARGETS = {"raid": Raid, "detention": Detention, "person": Person, "organisation": Organisation}
    example = {
        "kind": "news", "title": "Belarus raids human rights groups", "publisher": "Euronews",
        "source_url": "https://www.euronews.com/", "published_on": "2021-07-14",
    }  # fmt: skip

    def fill(self, record: models.Model, number: int, row: dict[str, str]) -> list[RowError]:
        if "source_url" in row:
            record.url = row["source_url"].strip()
        errors = super().fill(record, number, row)
        try:
            self.links = self.read_links(number, row)
        except RowInvalid as invalid:
            errors.extend(invalid.errors)
        return errors

    def read_links(self, number: int, row: dict[str, str]) -> list[dict[str, Any]] | None:
        """The records the source supports, as ``links.kind``/``links.id``/``links.quote``
        list them item by item; None when the file has no ``links.id`` column."""
        if "links.id" not in row:
            return None
        kinds, quotes = split(row.get("links.kind", "")), split(row.get("links.quote", ""))
        errors, items = [], []
        for index, cell in enumerate(split(row["links.id"])):
            kind = kinds[index] if index < len(kinds) else ""
            model = self.TARGETS.get(kind)
            if model is None:
                message = _("Enter one of %(kinds)s.") % {"kinds": ", ".join(self.TARGETS)}
                errors.append(RowError(number, "links.kind", message))
                continue
            if not (cell.isdigit() and model.objects.filter(pk=cell).exists()):
                message = _("No %(kind)s has the id %(id)s.")
                errors.append(RowError(number, "links.id", message % {"kind": kind, "id": cell}))
                continue
            item = {f"{target}_id": None for target in self.TARGETS}
            item[f"{kind}_id"] = int(cell)
            item["quote"] = quotes[index] if index < len(quotes) else ""
            items.append(item)
        if errors:
            raise RowInvalid(errors)
        return items

    def prepare_targets(self, records: list[models.Model]) -> None:
        models.prefetch_related_objects(records, "links")

    def rows_changed(self, record: Source, row: dict[str, str]) -> bool:
        if self.links is None:
            return False
        keys = [*(f"{target}_id" for target in self.TARGETS), "quote"]
        return self.old_rows(record, "links", keys) != self.links

    def save_rows(self, record: Source, number: int, row: dict[str, str]) -> None:
        """Replace the source's links; the rows of the records linked list their sources."""
        if self.links is not None and self.replace_rows(
            record, number, "links", self.links, prefix="links"
        ):
            for target, model in self.TARGETS.items():
                changes.touch(model, [link[f"{target}_id"] for link in self.links])

    def column_of(self, field_name: str) -> str:
        return "source_url" if field_name == "url" else super().column_of(field_name)
