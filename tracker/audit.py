"""What the logs and error reports may carry: ids, never record content.

Sign-ins, failed sign-ins, lockouts and refused object accesses are written to the
``tracker.audit`` logger as one JSON line each, with the user id, the request id and the
UTC time. Error reports (500 e-mails) leave out local variables, POST and GET values and the
messages of database errors, all of which can quote names of detainees.
"""

import contextvars
import json
import logging
import traceback
from datetime import UTC, datetime

from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.http import HttpRequest
from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

logger = logging.getLogger("tracker.audit")
current_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "request_id", default=None
)
WITHHELD = "********************"


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, event, request id and the event's ids."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "event": record.getMessage(),
            **getattr(record, "audit", {"request_id": current_request_id.get()}),
        }
        return json.dumps(line, default=str)


def log_event(event: str, **ids: object) -> None:
    """Write one audit line; pass ids and codes only, never names or free text."""
    logger.info(event, extra={"audit": {"request_id": current_request_id.get(), **ids}})


def refused_access(request: HttpRequest, kind: str, pk: object) -> None:
    """Record that ``request``'s user asked for a ``kind`` record it may not see (the 404)."""
    user = getattr(request, "user", None)
    log_event(
        "access_refused",
        user_id=user.pk if user is not None and user.is_authenticated else None,
        kind=kind,
        pk=str(pk)[:64],
    )


def _reveals_values(error: BaseException | None) -> bool:
    """Database and validation errors quote the values that failed (names, notes)."""
    return isinstance(error, DatabaseError | ValidationError)


class RecordSafeExceptionReporterFilter(SafeExceptionReporterFilter):
    """Hides every local variable, POST value and query string: here they are records."""

    URL_META = frozenset({"QUERY_STRING", "HTTP_REFERER", "RAW_URI", "REQUEST_URI"})

    def get_safe_request_meta(self, request):
        meta = super().get_safe_request_meta(request)
        if self.is_active(request):
            meta.update({key: WITHHELD for key in self.URL_META & meta.keys()})
        return meta

    def get_post_parameters(self, request):
        if request is None or not self.is_active(request):
            return super().get_post_parameters(request)
        return {name: WITHHELD for name in request.POST}

    def get_traceback_frame_variables(self, request, tb_frame):
        if not self.is_active(request):
            return super().get_traceback_frame_variables(request, tb_frame)
        return [(name, WITHHELD) for name in tb_frame.f_locals]


class RecordSafeExceptionReporter(ExceptionReporter):
    """Also withholds query-string values and the messages of database errors."""

    def get_traceback_data(self) -> dict:
        data = super().get_traceback_data()
        if not self.filter.is_active(self.request):
            return data
        if self.request is not None:
            data["request_GET_items"] = [(name, WITHHELD) for name in self.request.GET]
            data["request_insecure_uri"] = self.request.path
        if _reveals_values(self.exc_value):
            data["exception_value"] = WITHHELD
        for frame in data.get("frames", []):
            if _reveals_values(frame.get("exc_cause")):
                frame["exc_cause"] = WITHHELD
        return data


class WithholdErrorDetails(logging.Filter):
    """Logs the traceback of a database or validation error without its message."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and any(_reveals_values(e) for e in _chain(record.exc_info[1])):
            kind, _error, tb = record.exc_info
            record.exc_text = "".join(traceback.format_tb(tb)) + f"{kind.__qualname__}: {WITHHELD}"
            record.exc_info = None
        return True


def _chain(error: BaseException | None):
    for _depth in range(10):
        if error is None:
            return
        yield error
        error = error.__cause__ or error.__context__
