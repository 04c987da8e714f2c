"""Conditional GET for API pages: an ``ETag`` that changes whenever the answer would.

The tag is a digest of what the caller receives (the body, its ``Content-Type`` and ``Link``
header) and of the caller's access level, so it changes when a record is edited,
unpublished or hidden (the body changes) and differs between callers who see different
things even when a page happens to read the same. ``If-None-Match`` with the current tag
answers ``304``. ``Last-Modified`` (the newest ``updated_at`` on the page) is informative
only: a page can change without any of its rows changing (a row unpublished leaves it), so
``If-Modified-Since`` never answers ``304``.
"""

import datetime
import hashlib
from typing import Any

from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from rest_framework.request import Request
from rest_framework.response import Response

from tracker import access

VARY = ("Accept", "Authorization", "Cookie")


def _newest(data: Any) -> datetime.datetime | None:
    rows = data.get("results", [data]) if isinstance(data, dict) else []
    moments = [row.get("updated_at") for row in rows if isinstance(row, dict)]
    moments = [m for m in moments if isinstance(m, datetime.datetime)]
    return max(moments, default=None)


def entity_tag(request: Request, response: HttpResponse) -> str:
    digest = hashlib.sha256()
    levels = access.viewer(request).levels
    for part in (repr(levels), response.get("Content-Type", ""), response.get("Link", "")):
        digest.update(part.encode() + b"\0")
    digest.update(response.content)
    return f'"{digest.hexdigest()[:40]}"'


def conditional(request: Request, response: Response) -> HttpResponse:
    """Tags a rendered ``200`` answer to a GET, and answers ``304`` when the tag matches."""
    patch_vary_headers(response, VARY)
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return response
    response.render()
    response["ETag"] = entity_tag(request, response)
    newest = _newest(response.data)
    if newest is not None:
        response["Last-Modified"] = http_date(newest.timestamp())
    return get_conditional_response(request, etag=response["ETag"], response=response)
