"""Spreadsheet imports: reading CSV and XLSX files, row errors, and the one transaction.

Each app declares its kinds (``register()`` in its ``AppConfig.ready()``) as an
``Importer`` subclass that turns one row into a record; this module reads the file, checks
its header, runs every row inside one transaction and rolls it all back on a dry run or on
any error, so that a file is imported whole or not at all and every error is reported at
once. See docs/import.md.
"""

import csv
import datetime
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import python_calamine
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import DatabaseError, models, transaction
from django.utils.translation import gettext as _

from tracker import workflow
from tracker.api.renderers import LIST_SEPARATOR
from tracker.models import BOOKKEEPING_FIELDS
from tracker.review import Status
from tracker.spreadsheets import FORMULA_STARTS

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser as User

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
OUTCOMES = (CREATED, UPDATED, UNCHANGED)
YES = frozenset({"yes", "y", "true", "1", "так", "да"})
NO = frozenset({"no", "n", "false", "0", "не", "нет", ""})
# The last line of a complete CSV export (docs/api.md): accepted and dropped.
COMPLETE_MARK = "#complete"
MERGED_CELL = re.compile(rb'<mergeCell ref="([A-Z]+[0-9]+)')
FORMULA_CELL = re.compile(rb'<c r="([A-Z]+[0-9]+)"[^>]*>\s*<f[\s>/]')
# The statuses imported records may enter with; never published (docs/workflow.md).
STATUSES = (Status.DRAFT, Status.IN_REVIEW)
SUBMIT_PERMISSION = "tracker.submit_record"
# Rows read, looked up and inserted together: one query per kind of reference per chunk.
CHUNK_ROWS = 1000


class FileRefused(Exception):
    """The whole file cannot be imported; the message says why, for the person importing."""


@dataclass(frozen=True)
class RowError:
    row: int  # the line in the file, the header being line 1
    column: str
    message: str


class RowInvalid(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(errors)
        self.errors = errors


@dataclass
class Table:
    header: list[str]
    rows: Iterator[tuple[int, dict[str, str]]]


@dataclass
class Result:
    rows: list[tuple[int, str, str]] = field(default_factory=list)  # (row, outcome, record)
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = True

    def count(self, outcome: str) -> int:
        return sum(1 for _row, done, _label in self.rows if done == outcome)

    @property
    def saved(self) -> bool:
        return not self.dry_run and not self.errors


# Reading files ----------------------------------------------------------------------------


def read_table(path: Path) -> Table:
    """The header and rows of a CSV or XLSX file, or ``FileRefused`` saying what is wrong."""
    if path.stat().st_size > settings.IMPORT_MAX_BYTES:
        raise FileRefused(
            _("The file is larger than %(limit)d MB: split it into smaller files.")
            % {"limit": settings.IMPORT_MAX_BYTES // (1024 * 1024)}
        )
    if zipfile.is_zipfile(path):
        return _read_xlsx(path)
    return _read_csv(path.read_bytes())


def _decode(data: bytes) -> str:
    """UTF-8 (with or without a byte-order mark), else Windows-1251, as Excel saves Cyrillic."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1251")
    except UnicodeDecodeError:
        raise FileRefused(
            _("The file is neither UTF-8 nor Windows-1251 text: save it as CSV UTF-8 or XLSX.")
        ) from None


def _read_csv(data: bytes) -> Table:
    text = _decode(data)
    if "\x00" in text:
        raise FileRefused(_("This is not a CSV or XLSX file."))
    try:
        dialect = csv.Sniffer().sniff(text[:65536].split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        header = [cell.strip() for cell in next(reader, [])]
    except csv.Error:
        raise FileRefused(_("Line %(line)d cannot be read as CSV.") % {"line": 1}) from None

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        try:
            yield from lines()
        except csv.Error:
            message = _("Line %(line)d cannot be read as CSV.")
            raise FileRefused(message % {"line": reader.line_num}) from None

    def lines() -> Iterator[tuple[int, dict[str, str]]]:
        previous = None
        for cells in reader:
            if previous is not None:
                yield previous
            number = reader.line_num
            previous = (number, dict(zip(header, (_unquote(c) for c in cells), strict=False)))
            if cells and cells[0] == COMPLETE_MARK:
                previous = None
        if previous is not None:
            yield previous

    return Table(header, (row for row in rows() if any(row[1].values())))


def _unquote(cell: str) -> str:
    """Undo the export's ``'`` before text that would start a formula (tracker.spreadsheets)."""
    cell = cell.strip()
    if cell.startswith("'") and cell[1:2] and cell[1:].startswith(FORMULA_STARTS):
        return cell[1:]
    return cell


def _sheet_problems(path: Path) -> tuple[str | None, str | None]:
    """The first merged cell and the first formula of the first sheet, read from its XML."""
    merged = formula = None
    with zipfile.ZipFile(path) as archive:
        sheets = sorted(n for n in archive.namelist() if n.startswith("xl/worksheets/sheet"))
        if not sheets:
            return None, None
        with archive.open(sheets[0]) as sheet:
            tail = b""
            while chunk := sheet.read(1 << 20):
                text = tail + chunk
                if formula is None and (found := FORMULA_CELL.search(text)):
                    formula = found.group(1).decode()
                if found := MERGED_CELL.search(text):
                    merged = found.group(1).decode()
                    break
                tail = chunk[-256:]
    return merged, formula


def _xlsx_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _unquote(str(value))


def _read_xlsx(path: Path) -> Table:
    """The first sheet, read by calamine (a compiled reader, ten times openpyxl's speed)."""
    try:
        merged, formula = _sheet_problems(path)
    except (zipfile.BadZipFile, OSError):
        raise FileRefused(_("This is not a CSV or XLSX file.")) from None
    if merged:
        raise FileRefused(
            _("Cell %(cell)s is merged with others: unmerge every cell and import again.")
            % {"cell": merged}
        )
    if formula:
        raise FileRefused(
            _("Cell %(cell)s holds a formula: paste values only and import again.")
            % {"cell": formula}
        )
    try:
        sheet = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
        first_row, first_column = sheet.start or (0, 0)
        lines = iter(sheet.iter_rows())
        padding = [""] * first_column
        header = [_xlsx_value(v) for v in [*padding, *next(lines, [])]]
    except Exception:  # a damaged file: the reader raises whatever its parser meets
        raise FileRefused(_("This is not a CSV or XLSX file.")) from None
    while header and not header[-1]:
        header.pop()

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        for number, cells in enumerate(lines, start=first_row + 2):
            values = [_xlsx_value(v) for v in [*padding, *cells][: len(header)]]
            if any(values):
                yield number, dict(zip(header, values, strict=False))

    return Table(header, rows())


# Cells ------------------------------------------------------------------------------------


def split(cell: str) -> list[str]:
    """The items of a list cell, written as the export writes them (`` | ``)."""
    return [item.strip() for item in cell.split(LIST_SEPARATOR.strip())] if cell else []


def yes(cell: str) -> bool:
    value = cell.strip().lower()
    if value in YES:
        return True
    if value in NO:
        return False
    raise ValueError(_("Enter yes or no."))


def parse(model_field: models.Field, cell: str) -> Any:
    """The value of ``cell`` for ``model_field``; ``ValueError`` with a message if it is not."""
    cell = cell.strip()
    if not cell and model_field.has_default() and not model_field.blank:
        return model_field.get_default()  # an empty cell leaves a choice at its default
    if isinstance(model_field, models.BooleanField):
        return yes(cell)
    if not cell:
        return None if model_field.null else ""
    if model_field.choices:
        for value, label in model_field.flatchoices:
            if cell == value or cell.lower() == str(label).lower():
                return value
        return cell  # full_clean() names the unknown choice
    if isinstance(model_field, models.DateField):
        try:
            return datetime.date.fromisoformat(cell)
        except ValueError:
            raise ValueError(_("Enter a date as YYYY-MM-DD.")) from None
    if isinstance(model_field, models.IntegerField):
        try:
            return int(cell)
        except ValueError:
            raise ValueError(_("Enter a whole number.")) from None
    if isinstance(model_field, models.DecimalField):
        try:
            return Decimal(cell)
        except InvalidOperation:
            raise ValueError(_("Enter a number.")) from None
    return cell


# Importers --------------------------------------------------------------------------------


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


class Importer:
    """One kind of record: its columns, and how a row becomes (or updates) a record.

    ``fields`` are columns named after a model field and set as they are; a subclass reads
    the others (links, nested rows) in ``fill()`` and writes nested rows in ``save_rows()``.
    """

    model: ClassVar[type[models.Model]]
    fields: ClassVar[tuple[str, ...]] = ()
    columns: ClassVar[tuple[str, ...]] = ()  # other columns the kind reads
    required: ClassVar[tuple[str, ...]] = ()
    # Columns of the API's export that an import reads past (computed or review fields).
    ignored: ClassVar[tuple[str, ...]] = ("status", "updated_at", "url")
    update_keys: ClassVar[tuple[str, ...]] = ("id",)
    # New records are inserted a chunk at a time (``create_pending``); a kind whose new
    # records need more than ``bulk_create`` gives them (links, search keys) saves each one.
    bulk: ClassVar[bool] = False
    example: ClassVar[dict[str, str]] = {}

    def __init__(self, *, by: "User", file_name: str, update_by: str | None = None) -> None:
        self.by = by
        self.file_name = file_name
        self.update_by = update_by
        self.targets: dict[str, models.Model] = {}
        self._note: tuple[int, str] = (0, "")
        self.pending: list[tuple[int, models.Model, Any]] = []
        # Ids of the records the import created or updated, by model (for the review step).
        self.written: dict[type[models.Model], set[int]] = {}

    nested: ClassVar[dict[str, type[models.Model]]] = {}  # column prefix: model of its rows

    @classmethod
    def choices(cls, column: str) -> list[str]:
        """The values a column accepts, when they are few (for the template's lists)."""
        prefix, _dot, name = column.rpartition(".")
        if column.startswith("create_"):
            return ["yes", "no"]
        try:
            model_field = cls.nested.get(prefix, cls.model)._meta.get_field(name)
        except FieldDoesNotExist:
            return []
        if prefix and prefix not in cls.nested:
            return []
        if isinstance(model_field, models.BooleanField):
            return ["yes", "no"]
        return [str(value) for value, _label in model_field.flatchoices]

    @classmethod
    def all_columns(cls) -> list[str]:
        return list(dict.fromkeys(["id", *cls.fields, *cls.columns]))

    def check_header(self, header: list[str]) -> None:
        known = set(self.all_columns()) | set(self.ignored)
        unknown = [c for c in header if c not in known and not c.startswith("sources.")]
        missing = [c for c in self.required if c not in header]
        if self.update_by and self.update_by not in header:
            missing.append(self.update_by)
        if self.update_by and self.update_by not in self.update_keys:
            raise FileRefused(
                _("Records can be updated by %(keys)s, not by %(column)s.")
                % {"keys": ", ".join(self.update_keys), "column": self.update_by}
            )
        problems = []
        if unknown:
            problems.append(_("unknown columns: %(names)s") % {"names": ", ".join(unknown)})
        if missing:
            problems.append(_("missing columns: %(names)s") % {"names": ", ".join(missing)})
        if problems:
            raise FileRefused(
                _("The header does not match the template: %(problems)s.")
                % {"problems": "; ".join(problems)}
            )

    def prepare(self, rows: list[tuple[int, dict[str, str]]]) -> None:
        """Load what a chunk of rows refers to, a query per kind of reference.

        Here the records the rows update; kinds add the people, organisations and raids the
        rows name (``NameLinks.prepare``) and the nested rows compared on update.
        """
        self.targets: dict[str, models.Model] = {}
        key = self.update_by
        if not key:
            return
        values = {row.get(key, "").strip() for _number, row in rows} - {""}
        if key == "id":
            values = {v for v in values if v.isdigit()}
        ordering = self.model._meta.ordering or ["pk"]
        for record in self.model.objects.filter(**{f"{key}__in": values}).order_by(*ordering):
            self.targets.setdefault(str(getattr(record, key)), record)
        self.prepare_targets(list(self.targets.values()))

    def prepare_targets(self, records: list[models.Model]) -> None:
        """Load what is compared on update for the records a chunk updates (nested rows)."""

    def find(self, number: int, row: dict[str, str]) -> models.Model:
        """The record the row updates (by ``update_by``), or a new one."""
        key = self.update_by
        if not key and row.get("id", "").strip():
            # An edited export imported without "update by id" would duplicate every record.
            message = _("This row has an id: update by id, or empty the id column.")
            raise RowInvalid([RowError(number, "id", message)])
        if not key or not row.get(key, "").strip():
            return self.model(created_by=self.by)
        value = row[key].strip()
        if key == "id" and not value.isdigit():
            raise RowInvalid([RowError(number, key, _("Enter a whole number."))])
        record = self.targets.get(value)
        if record is None:
            message = _("No record has %(key)s %(value)s.") % {"key": key, "value": value}
            raise RowInvalid([RowError(number, key, message)])
        if record.is_locked:
            message = _("The record is %(status)s: send it back to draft before updating it.")
            raise RowInvalid(
                [RowError(number, key, message % {"status": record.get_status_display()})]
            )
        return record

    def fill(self, record: models.Model, number: int, row: dict[str, str]) -> list[RowError]:
        """Set the record's own fields from the row; kinds add their links and rows."""
        errors = []
        for name in self.fields:
            if name not in row:
                continue
            try:
                setattr(record, name, parse(record._meta.get_field(name), row[name]))
            except ValueError as error:
                errors.append(RowError(number, name, str(error)))
        return errors

    def column_of(self, field_name: str) -> str:
        """The column named in an error on ``field_name``."""
        return field_name if field_name != NON_FIELD_ERRORS else ""

    def rows_changed(self, record: models.Model, row: dict[str, str]) -> bool:
        return False

    def save_rows(self, record: models.Model, number: int, row: dict[str, str]) -> None:
        """Write the nested rows (charges, seized items, links); raise ``RowInvalid``."""

    def save_noted(self, obj: models.Model, number: int) -> None:
        workflow.save_noted(obj, by=self.by, note=self.note(number))

    def create_noted(self, objects: list[models.Model], number: int | None = None) -> None:
        """Insert new nested rows with their history rows, a query each for all of them.

        Each row's history names its line of the file (``number``, or the ``_change_reason``
        set on each object). ``bulk_create`` skips the change log's receivers; the record
        itself is saved or inserted with them, which is what incremental sync reads.
        """
        if objects:
            model = type(objects[0])
            model.objects.bulk_create(objects)
            note = "" if number is None else self.note(number)
            model.history.bulk_history_create(
                objects, default_user=self.by, default_change_reason=note
            )

    def delete_noted(self, objects: models.QuerySet, number: int) -> None:
        for obj in objects:
            obj._history_user = self.by
            obj._change_reason = self.note(number)
            obj.delete()

    def replace_rows(
        self,
        record: models.Model,
        number: int,
        name: str,
        items: list[dict[str, Any]],
        *,
        prefix: str = "",
    ) -> bool:
        """Make the record's nested rows ``name`` (a reverse relation) those of ``items``,
        compared on the items' keys; each row removed or added gets its history note.

        Returns whether they changed; ``RowInvalid`` names the ``prefix.field`` column of a
        bad value.
        """
        relation = getattr(type(record), name)
        model, owner = relation.rel.related_model, relation.field.name
        old = self.old_rows(record, name, list(items[0]) if items else [])
        if old == items or not (old or items):
            return False
        objects = [model(**{owner: record}, **item) for item in items]
        check_rows(objects, number, prefix or name, exclude=[owner])
        if old:
            self.delete_noted(getattr(record, name).all(), number)
        self.create_noted(objects, number)
        return True

    @staticmethod
    def old_rows(record: models.Model, name: str, keys: list[str]) -> list[dict[str, Any]]:
        """The record's nested rows ``name`` in id order (prefetched ones if they are)."""
        if record._state.adding:
            return []
        rows = sorted(getattr(record, name).all(), key=lambda row: row.pk)
        if not keys:
            return [{"pk": row.pk} for row in rows]
        return [{key: getattr(row, key) for key in keys} for row in rows]

    def note(self, number: int) -> str:
        """The history note of what row ``number`` writes (computed once per row)."""
        if self._note[0] != number:
            text = _("imported from %(file)s, row %(row)d")
            text %= {"file": self.file_name, "row": number}
            self._note = (number, workflow.change_note(text, ""))
        return self._note[1]

    def import_row(self, number: int, row: dict[str, str]) -> tuple[str, models.Model]:
        """Check the row; a new record waits for ``create_pending()``, the others are saved."""
        record = self.find(number, row)
        adding = self.adding = record._state.adding
        if adding and self.bulk:
            self.validate(record, number, row)
            record.status = Status.DRAFT
            record.updated_by = self.by
            record._history_user = self.by
            record._change_reason = self.note(number)
            self.pending.append((number, record, self.pending_rows(record, number)))
            return CREATED, record
        before = {f.attname: getattr(record, f.attname) for f in self.own()}
        self.validate(record, number, row)
        after = {f.attname: getattr(record, f.attname) for f in self.own()}
        if not adding and after == before and not self.rows_changed(record, row):
            return UNCHANGED, record
        with transaction.atomic():  # a row refused by the database leaves nothing behind
            if adding:
                record.status = Status.DRAFT
            record.updated_by = self.by
            try:
                workflow.save_noted(record, by=self.by, note=self.note(number))
                self.save_rows(record, number, row)
            except DatabaseError as error:
                message = _("The database refused this row: %(error)s") % {"error": error}
                raise RowInvalid([RowError(number, "", message)]) from None
            self.written.setdefault(self.model, set()).add(record.pk)
            return (CREATED if adding else UPDATED), record

    def validate(self, record: models.Model, number: int, row: dict[str, str]) -> None:
        """Fill the record from the row and check it like the admin's form does.

        ``full_clean()`` without its queries: a link the import looked up itself is known to
        exist (its ``limit_choices_to`` is checked here), the bookkeeping (the importing
        user) is not the file's, and check constraints are mirrored by the models'
        ``clean()`` (the database still enforces them).
        """
        errors = self.fill(record, number, row)
        failed = {e.column for e in errors}
        # A cell already refused is not reported twice.
        exclude = [f.name for f in self.own() if self.column_of(f.name) in failed]
        exclude += BOOKKEEPING_FIELDS  # set by the import (its user), not read from the file
        for link in self.own():
            if link.is_relation and link.name not in exclude and link.is_cached(record):
                exclude.append(link.name)
                errors.extend(self._limit_errors(record, link, number))
        try:
            record.full_clean(exclude=exclude, validate_constraints=False)
        except ValidationError as error:
            errors.extend(
                RowError(number, self.column_of(name), message)
                for name, messages in error.message_dict.items()
                for message in messages
            )
        if errors:
            raise RowInvalid(errors)

    def _limit_errors(self, record: models.Model, link: models.Field, number: int) -> list:
        """The ``limit_choices_to`` check ``ForeignKey.validate()`` makes, on the loaded row."""
        target = link.value_from_object(record) and getattr(record, link.name)
        limits = link.get_limit_choices_to()
        if target is None or not isinstance(limits, dict):
            return []
        if all(getattr(target, name) == value for name, value in limits.items()):
            return []
        message = link.error_messages["invalid"] % {
            "model": link.remote_field.model._meta.verbose_name,
            "pk": target.pk,
            "field": link.remote_field.field_name,
            "value": target.pk,
        }
        return [RowError(number, self.column_of(link.name), message)]

    def pending_rows(self, record: models.Model, number: int) -> Any:
        """The nested rows of a new record, checked, kept until it is inserted (kinds)."""
        return None

    def create_pending(self) -> None:
        """Insert the chunk's new records and their history rows, a query each for all."""
        if not self.pending:
            return
        records = [record for _number, record, _rows in self.pending]
        self.model.objects.bulk_create(records)
        self.model.history.bulk_history_create(records, default_user=self.by)
        self.written.setdefault(self.model, set()).update(r.pk for r in records)
        self.create_pending_rows(self.pending)
        self.pending = []

    def create_pending_rows(self, pending: list[tuple[int, models.Model, Any]]) -> None:
        """Insert the nested rows of the records just inserted (kinds)."""

    def all_written(self) -> dict[type[models.Model], set[int]]:
        """The records the import created or updated, by model, with those its rows
        created to link to (``create_person``)."""
        return self.written

    def own(self) -> list[models.Field]:
        return [f for f in self.model._meta.concrete_fields if f.name not in BOOKKEEPING_FIELDS]


IMPORTERS: dict[str, type[Importer]] = {}


def register(kind: str, importer: type[Importer]) -> None:
    """Called from an app's ``ready()``: ``kind`` is the name used by the command and admin."""
    IMPORTERS[kind] = importer


def importer_for_model(model: type[models.Model]) -> str | None:
    return next((kind for kind, imp in IMPORTERS.items() if imp.model is model), None)


def chunks(rows: Iterator[tuple[int, dict[str, str]]]) -> Iterator[list]:
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK_ROWS:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def run(
    kind: str,
    path: Path,
    *,
    by: "User",
    file_name: str,
    dry_run: bool,
    update_by: str | None = None,
    status: str = Status.DRAFT,
) -> Result:
    """Import the file in one transaction: every row, or (dry run, or any error) none.

    Rows are taken a chunk at a time: what they refer to is looked up for the whole chunk,
    each row is checked, then the chunk's new records are inserted together. With ``status``
    in review, the records created or updated are then submitted for review
    (``workflow.submit_all``), which needs the submit permission. Raises ``FileRefused``
    when the file itself cannot be read or the status cannot be chosen.
    """
    if status not in STATUSES:
        raise FileRefused(_("Imported records enter as drafts or in review."))
    if status == Status.IN_REVIEW and (by is None or not by.has_perm(SUBMIT_PERMISSION)):
        raise FileRefused(_("Your role does not allow submitting records for review."))
    importer = IMPORTERS[kind](by=by, file_name=file_name, update_by=update_by)
    table = read_table(path)
    importer.check_header(table.header)
    result = Result(dry_run=dry_run)
    with transaction.atomic():
        for chunk in chunks(table.rows):
            importer.prepare(chunk)
            for number, row in chunk:
                try:
                    outcome, record = importer.import_row(number, row)
                except RowInvalid as invalid:
                    result.errors.extend(invalid.errors)
                else:
                    result.rows.append((number, outcome, str(record)))
            if result.errors:
                importer.pending = []  # nothing will be kept: only the checks go on
                continue
            try:
                with transaction.atomic():
                    importer.create_pending()
            except DatabaseError as error:  # what the checks cannot see, the database refuses
                first, last = importer.pending[0][0], importer.pending[-1][0]
                message = _("The database refused the rows %(first)d to %(last)d: %(error)s")
                message %= {"first": first, "last": last, "error": error}
                result.errors.append(RowError(first, "", message))
                importer.pending = []
        if status == Status.IN_REVIEW and not result.errors:
            for model, ids in importer.all_written().items():
                workflow.submit_all(model, ids, by=by)
        if dry_run or result.errors:
            transaction.set_rollback(True)
    return result
