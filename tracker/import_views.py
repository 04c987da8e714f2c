"""The admin's import page and template download, reached from each kind's changelist.

Step one uploads a file, keeps it server-side (in the storage, ``imports/``: shared by every
web host) under a random token remembered in the session, and shows a dry run; step two
imports that same file in one transaction. The file never travels back through the browser.
"""

import contextlib
import datetime
import io
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path, PurePath

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from tracker import importing
from tracker.review import Status

SESSION_KEY = "imports"
SHOWN_ROWS = 200  # rows listed on the dry-run page; the counts cover all of them
SHOWN_ERRORS = 1000
KEEP_SECONDS = 24 * 3600
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("CSV or XLSX file"))
    update_by = forms.ChoiceField(
        label=gettext_lazy("Rows with a value in this column update that record"),
        required=False,
    )

    status = forms.ChoiceField(
        label=gettext_lazy("Imported records enter as"),
        choices=[
            (Status.DRAFT, gettext_lazy("drafts")),
            (Status.IN_REVIEW, gettext_lazy("in review: submitted for review at once")),
        ],
        initial=Status.DRAFT,
        required=False,
        help_text=gettext_lazy("Records are never published by an import."),
    )

    def __init__(self, *args, keys: tuple[str, ...], may_submit: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["update_by"].choices = [("", _("none: every row is a new record"))] + [
            (key, key) for key in keys
        ]
        if not may_submit:  # only those allowed to submit may import into review
            self.fields["status"].choices = self.fields["status"].choices[:1]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)d MB: split it into smaller files.")
                % {"limit": settings.IMPORT_MAX_BYTES // (1024 * 1024)}
            )
        return upload


UPLOADS = "imports"


def _discard_abandoned() -> None:
    """Files checked but never confirmed name people: none is kept longer than a day."""
    cutoff = timezone.now() - datetime.timedelta(seconds=KEEP_SECONDS)
    try:
        _directories, names = default_storage.listdir(UPLOADS)
    except FileNotFoundError:
        return
    for name in names:
        kept = f"{UPLOADS}/{name}"
        if default_storage.get_modified_time(kept) < cutoff:
            default_storage.delete(kept)


def _keep(request: HttpRequest, kind: str, upload, update_by: str, status: str) -> str:
    """Store the upload (in the shared storage); the session maps a random token to it."""
    _discard_abandoned()
    token = secrets.token_urlsafe(16)
    stored = default_storage.save(f"{UPLOADS}/{token}", upload)
    name = PurePath(upload.name).name[:100]
    kept = request.session.get(SESSION_KEY, {})
    kept[token] = {
        "kind": kind,
        "name": name,
        "update_by": update_by,
        "status": status,
        "stored": stored,
    }
    request.session[SESSION_KEY] = kept
    return token


def _forget(request: HttpRequest, token: str) -> None:
    kept = request.session.get(SESSION_KEY, {})
    entry = kept.pop(token, None)
    request.session[SESSION_KEY] = kept
    if entry and entry.get("stored"):
        default_storage.delete(entry["stored"])


def _still_kept(kept: dict) -> bool:
    return bool(kept.get("stored")) and default_storage.exists(kept["stored"])


@contextlib.contextmanager
def _local_copy(stored: str) -> Iterator[Path]:
    """The kept file as a local file for the reader (the storage may be another host's)."""
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "upload"
        with default_storage.open(stored, "rb") as source, path.open("wb") as out:
            shutil.copyfileobj(source, out)
        yield path


def import_view(model_admin, request: HttpRequest) -> HttpResponse:
    kind = importing.importer_for_model(model_admin.model)
    if not request.user.has_perm("tracker.import_records"):
        raise PermissionDenied
    importer = importing.IMPORTERS[kind]
    opts = model_admin.model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": opts,
        "title": _("Import %(kind)s") % {"kind": opts.verbose_name_plural},
        "changelist_url": changelist,
        "columns": importer.all_columns(),
    }
    may_submit = request.user.has_perm(importing.SUBMIT_PERMISSION)
    form = UploadForm(keys=importer.update_keys, may_submit=may_submit)
    token = request.POST.get("token", "")
    if request.method == "POST" and token:
        kept = request.session.get(SESSION_KEY, {}).get(token)
        if kept is None or kept["kind"] != kind or not _still_kept(kept):
            messages.error(request, _("That file is no longer here: upload it again."))
            return HttpResponseRedirect(request.path)
        result = _run(request, token, kept, dry_run=False, context=context)
        if result is not None and result.saved:
            _forget(request, token)
            messages.success(
                request,
                _("Imported %(file)s: %(created)d created, %(updated)d updated.")
                % {
                    "file": kept["name"],
                    "created": result.count(importing.CREATED),
                    "updated": result.count(importing.UPDATED),
                },
            )
            return HttpResponseRedirect(changelist)
    elif request.method == "POST":
        form = UploadForm(
            request.POST, request.FILES, keys=importer.update_keys, may_submit=may_submit
        )
        if form.is_valid():
            data = form.cleaned_data
            token = _keep(
                request, kind, data["file"], data["update_by"], data["status"] or Status.DRAFT
            )
            kept = request.session[SESSION_KEY][token]
            _run(request, token, kept, dry_run=True, context=context)
    context["form"] = form
    return TemplateResponse(request, "admin/tracker/import.html", context)


def _run(request, token: str, kept: dict, *, dry_run: bool, context: dict):
    try:
        with _local_copy(kept["stored"]) as path:
            result = importing.run(
                kept["kind"],
                path,
                by=request.user,
                file_name=kept["name"],
                dry_run=dry_run,
                update_by=kept["update_by"] or None,
                status=kept.get("status", Status.DRAFT),
            )
    except importing.FileRefused as refused:
        _forget(request, token)
        context["refused"] = str(refused)
        return None
    if result.errors:
        _forget(request, token)
    context.update(
        result=result,
        file_name=kept["name"],
        token=token,
        into_review=kept.get("status") == Status.IN_REVIEW,
        counts={o: result.count(o) for o in importing.OUTCOMES},
        shown_rows=[r for r in result.rows if r[1] != importing.UNCHANGED][:SHOWN_ROWS],
        shown_errors=result.errors[:SHOWN_ERRORS],
        more_errors=max(0, len(result.errors) - SHOWN_ERRORS),
    )
    return result


def template_view(model_admin, request: HttpRequest) -> HttpResponse:
    """An XLSX with the kind's columns, its choices as drop-down lists, and one example row."""
    kind = importing.importer_for_model(model_admin.model)
    importer = importing.IMPORTERS[kind]
    book = Workbook()
    sheet = book.active
    sheet.title = kind
    columns = [c for c in importer.all_columns() if c != "id"]
    sheet.append(columns)
    sheet.append([importer.example.get(c, "") for c in columns])
    for index, column in enumerate(columns, start=1):
        choices = importer.choices(column)
        if choices:
            letter = get_column_letter(index)
            listed = ",".join(choices)
            rule = DataValidation(type="list", formula1=f'"{listed}"', allow_blank=True)
            rule.add(f"{letter}2:{letter}10000")
            sheet.add_data_validation(rule)
        sheet.column_dimensions[get_column_letter(index)].width = max(12, len(column) + 2)
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{kind}-template.xlsx"'
    return response
