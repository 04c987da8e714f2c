"""Keyset pagination: pages cut on a unique, unchanging key, without COUNT or OFFSET."""

import base64
import binascii
import re
from collections.abc import Sequence
from typing import Any, Protocol

import orjson
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from tracker.api.renderers import dumps

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 5000
MAX_ID = 2**63


def _encode_cursor(direction: str, key: Sequence[Any]) -> str:
    return base64.urlsafe_b64encode(dumps({direction: list(key)})).decode()


def _decode_cursor(token: str) -> tuple[str, list[Any]]:
    try:
        data = orjson.loads(base64.urlsafe_b64decode(token.encode()))
        ((direction, key),) = data.items()
    except (binascii.Error, orjson.JSONDecodeError, ValueError, AttributeError, TypeError):
        raise exceptions.ValidationError({"cursor": [_("Invalid cursor.")]}) from None
    if direction not in ("after", "before") or not isinstance(key, list):
        raise exceptions.ValidationError({"cursor": [_("Invalid cursor.")]})
    return direction, key


class KeysetView(Protocol):
    """What a view gives the paginator (``RecordViewSet`` does)."""

    cursor_key: tuple[str, ...]

    def valid_cursor(self, key: list) -> bool: ...

    def keyset_page(
        self, source: Any, key: list | None, limit: int, *, backwards: bool
    ) -> list[dict]: ...


class KeysetPagination(BasePagination):
    """Cursor pagination over a unique, unchanging key (``id``; ``(id, kind)`` for incidents).

    A page is ``WHERE key > last ORDER BY key LIMIT n + 1``: a deep page costs what the first
    one does, and rows inserted meanwhile never shift a page.
    """

    cursor_query_param = "cursor"
    page_size_query_param = "page_size"

    def page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return DEFAULT_PAGE_SIZE
        if not re.fullmatch("[0-9]{1,6}", raw) or not 1 <= int(raw) <= MAX_PAGE_SIZE:
            message = _("Enter a whole number from 1 to %(max)d.") % {"max": MAX_PAGE_SIZE}
            raise exceptions.ValidationError({self.page_size_query_param: [message]})
        return int(raw)

    def paginate(self, view: KeysetView, source: Any, request: Request) -> list[dict]:
        self.request = request
        size = self.page_size(request)
        token = request.query_params.get(self.cursor_query_param)
        direction, key = _decode_cursor(token) if token else ("after", None)
        if key is not None and not view.valid_cursor(key):
            raise exceptions.ValidationError({"cursor": [_("Invalid cursor.")]})
        rows = view.keyset_page(source, key, size + 1, backwards=direction == "before")
        more = len(rows) > size
        rows = rows[:size]
        if direction == "before":
            rows.reverse()
        first = [rows[0][k] for k in view.cursor_key] if rows else None
        last = [rows[-1][k] for k in view.cursor_key] if rows else None
        if direction == "after":
            self.next = last if more else None
            self.previous = first if key is not None else None
        else:
            self.next = last
            self.previous = first if more else None
        return rows

    def _link(self, direction: str, key: list | None) -> str | None:
        if key is None:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.cursor_query_param, _encode_cursor(direction, key))

    def get_paginated_response(self, data: list[dict]) -> Response:
        """The page, with its neighbours in ``next``/``previous`` and in a ``Link`` header
        (RFC 8288), which every format carries: a CSV or GeoJSON page says there is more."""
        links = {
            "next": self._link("after", self.next),
            "prev": self._link("before", self.previous),
        }
        header = ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links.items() if url)
        return Response(
            {"next": links["next"], "previous": links["prev"], "results": data},
            headers={"Link": header} if header else None,
        )

    def get_paginated_response_schema(self, schema: dict) -> dict:
        link = {"type": "string", "format": "uri", "nullable": True}
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {"next": link, "previous": link, "results": schema},
        }

    def get_schema_operation_parameters(self, view) -> list[dict]:
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": str(_("Opaque cursor from the `next` or `previous` link.")),
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": str(
                    _("Rows per page, default %(default)d, at most %(max)d.")
                    % {"default": DEFAULT_PAGE_SIZE, "max": MAX_PAGE_SIZE}
                ),
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            },
        ]


def keyset_filter(key: Sequence[str], values: Sequence[Any], *, backwards: bool) -> Q:
    """Rows strictly after (or before) ``values`` in the order of ``key``."""
    lookup = "lt" if backwards else "gt"
    condition = Q(**{f"{key[-1]}__{lookup}": values[-1]})
    for name, value in reversed(list(zip(key[:-1], values[:-1], strict=True))):
        condition = Q(**{f"{name}__{lookup}": value}) | (Q(**{name: value}) & condition)
    return condition


def is_id(value: Any) -> bool:
    return type(value) is int and 0 <= value < MAX_ID
