"""Archived source files: what may be uploaded.

Files live under MEDIA_ROOT, outside the web root; no URL serves them except
``views.source_file``, which answers staff only (404 for everyone else, as for any hidden
record).
"""

import codecs
from pathlib import PurePath

import puremagic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

TEXT = "text"  # no magic number: must decode as UTF-8 text without NUL bytes
ALLOWED_TYPES: dict[str, set[str]] = {
    ".pdf": {"application/pdf"},
    ".png": {"image/png"},
    ".jpg": {"image/jpeg"},
    ".jpeg": {"image/jpeg"},
    ".gif": {"image/gif"},
    ".webp": {"image/webp"},
    ".tif": {"image/tiff"},
    ".tiff": {"image/tiff"},
    ".txt": {TEXT},
    ".csv": {TEXT},
    ".html": {"text/html", TEXT},
    ".htm": {"text/html", TEXT},
    ".mhtml": {"message/rfc822", TEXT},
    ".mht": {"message/rfc822", TEXT},
    ".warc": {TEXT},
    ".gz": {"application/x-gzip", "application/gzip"},
    ".docx": {"application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
    ".odt": {"application/vnd.oasis.opendocument.text"},
}
HEAD_BYTES = 64 * 1024


def detected_types(head: bytes) -> set[str]:
    """The MIME types the first bytes of a file match, ``TEXT`` for UTF-8 text."""
    try:
        types = {match.mime_type for match in puremagic.magic_string(head)}
    except puremagic.PureError:
        types = set()
    if b"\0" not in head:
        try:
            codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
            types.add(TEXT)
        except UnicodeDecodeError:
            pass
    return types


def validate_source_file(file: File) -> None:
    """Refuse files that are too large, or whose content is not of an allowed type."""
    if file.size > settings.SOURCE_FILE_MAX_BYTES:
        raise ValidationError(
            _("The file is %(size)s; files may be at most %(limit)s.")
            % {
                "size": filesizeformat(file.size),
                "limit": filesizeformat(settings.SOURCE_FILE_MAX_BYTES),
            },
            code="file_too_large",
        )
    extension = PurePath(file.name).suffix.lower()
    allowed = ALLOWED_TYPES.get(extension)
    if allowed is None:
        raise ValidationError(
            _("Files of type “%(extension)s” cannot be archived. Allowed: %(allowed)s.")
            % {"extension": extension or "?", "allowed": ", ".join(sorted(ALLOWED_TYPES))},
            code="file_type",
        )
    file.seek(0)
    head = file.read(HEAD_BYTES)
    file.seek(0)
    if not allowed & detected_types(head):
        raise ValidationError(
            _("The file's content is not a “%(extension)s” file: check it and upload it again.")
            % {"extension": extension},
            code="file_content",
        )
