"""Every API error in one shape: ``{"detail": ..., "errors": [...]}`` (docs/api.md).

``detail`` says what went wrong in a sentence; ``errors`` lists each parameter in error with
its ``message`` and the values or form it ``accepted`` (``null`` when any text goes). Errors
that concern no parameter (a bad token, a missing record, too many requests) have an empty
``errors`` list.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler

from tracker.api.filters import accepted_values
from tracker.api.pagination import MAX_PAGE_SIZE
from tracker.api.renderers import BOM_VALUES

BAD_PARAMETERS = _("Bad parameters: see errors.")

ERROR_SCHEMA = {
    "type": "object",
    "required": ["detail", "errors"],
    "properties": {
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["parameter", "message", "accepted"],
                "properties": {
                    "parameter": {"type": "string"},
                    "message": {"type": "string"},
                    "accepted": {"type": "string", "nullable": True},
                },
            },
        },
    },
}


def accepted(view: Any, parameter: str) -> str | None:
    """The values or the form ``parameter`` accepts on ``view``."""
    if parameter == "format" and view is not None:
        return ", ".join(renderer.format for renderer in view.get_renderers())
    if parameter == "page_size":
        return f"1-{MAX_PAGE_SIZE}"
    if parameter == "bom":
        return ", ".join(BOM_VALUES)
    filterset = getattr(view, "filterset_class", None)
    if filterset is not None and parameter in filterset.base_filters:
        return accepted_values(filterset.base_filters[parameter])
    return None


def error_body(exc: exceptions.APIException, view: Any) -> dict[str, Any]:
    detail = exc.detail
    if isinstance(exc, exceptions.ValidationError) and isinstance(detail, dict):
        errors = [
            {"parameter": str(name), "message": str(message), "accepted": accepted(view, name)}
            for name, messages in detail.items()
            for message in (messages if isinstance(messages, list) else [messages])
        ]
        return {"detail": str(BAD_PARAMETERS), "errors": errors}
    if isinstance(detail, list):
        detail = " ".join(str(message) for message in detail)
    return {"detail": str(detail), "errors": []}


def exception_handler(exc: Exception, context: dict[str, Any]):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.APIException):
        response.data = error_body(exc, context.get("view"))
    return response
