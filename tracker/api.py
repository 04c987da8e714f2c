"""The researchers' API: shared machinery and the router at ``/api/v1/``.

Every collection view derives from ``RecordViewSet``: its queryset starts from
``Model.objects.visible_to(request.user)`` (the one gate in ``tracker.access``), rows are
built from ``.values()`` by the collection's ``rows`` function (which gates nested records
too), pages are cut by a keyset cursor on a stable unique key (no ``COUNT(*)``, no
``OFFSET``), and the same rows render as JSON, CSV or GeoJSON.
"""

import base64
import binascii
import csv
import datetime
import io
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import django_filters
import orjson
from django import forms
from django.conf import settings
from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import exceptions, renderers, serializers, throttling, viewsets
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse as drf_reverse
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from tracker import audit

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 5000

RowBuilder = Callable[[Any, list[dict[str, Any]]], list[dict[str, Any]]]


# Renderers ------------------------------------------------------------------------------


def _default(value: Any) -> Any:
    """orjson knows dates and datetimes; Decimal coordinates and lazy strings need help."""
    if hasattr(value, "as_tuple"):
        return float(value)
    return str(value)


def dumps(value: Any) -> bytes:
    return orjson.dumps(value, default=_default, option=orjson.OPT_NON_STR_KEYS)


class JSONRenderer(renderers.BaseRenderer):
    media_type = "application/json"
    format = "json"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        return b"" if data is None else dumps(data)


def csv_columns(serializer: serializers.Serializer) -> list[str]:
    """Flat column names: a nested object or list of objects becomes ``field.key``."""
    columns = []
    for name, field in serializer.fields.items():
        nested = getattr(field, "child", field)
        if isinstance(nested, serializers.Serializer):
            columns.extend(f"{name}.{key}" for key in nested.fields)
        else:
            columns.append(name)
    return columns


LIST_SEPARATOR = " | "


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def flatten(row: dict[str, Any]) -> dict[str, Any]:
    """One CSV line: nested values as ``field.key``, lists joined with `` | ``."""
    flat: dict[str, Any] = {}
    for name, value in row.items():
        if isinstance(value, dict):
            for key, item in value.items():
                flat[f"{name}.{key}"] = _cell(item)
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            for key in value[0]:
                flat[f"{name}.{key}"] = LIST_SEPARATOR.join(str(_cell(v[key])) for v in value)
        elif isinstance(value, list):
            flat[name] = LIST_SEPARATOR.join(str(_cell(v)) for v in value)
        else:
            flat[name] = _cell(value)
    return flat


class CSVWriter:
    """Writes flat CSV lines one at a time, for responses and streams alike."""

    def __init__(self, columns: Sequence[str]) -> None:
        self.buffer = io.StringIO()
        self.writer = csv.DictWriter(self.buffer, fieldnames=columns, extrasaction="ignore")

    def _take(self) -> bytes:
        text = self.buffer.getvalue()
        self.buffer.seek(0)
        self.buffer.truncate()
        return text.encode()

    def header(self) -> bytes:
        self.writer.writeheader()
        return self._take()

    def rows(self, rows: Iterable[dict[str, Any]]) -> bytes:
        self.writer.writerows(flatten(row) for row in rows)
        return self._take()


class CSVRenderer(renderers.BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        view = renderer_context["view"]
        rows = data["results"] if isinstance(data, dict) and "results" in data else [data]
        writer = CSVWriter(csv_columns(view.get_serializer()))
        return writer.header() + writer.rows(rows)


def feature(row: dict[str, Any]) -> dict[str, Any] | None:
    """A GeoJSON Feature of a row with coordinates, or None without them."""
    if row.get("latitude") is None or row.get("longitude") is None:
        return None
    properties = {k: v for k, v in row.items() if k not in ("latitude", "longitude")}
    point = [float(row["longitude"]), float(row["latitude"])]
    geometry = {"type": "Point", "coordinates": point}
    return {"type": "Feature", "geometry": geometry, "properties": properties}


class GeoJSONRenderer(renderers.BaseRenderer):
    media_type = "application/geo+json"
    format = "geojson"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if isinstance(data, dict) and "results" in data:
            features = [f for f in map(feature, data["results"]) if f]
            links = {"next": data["next"], "previous": data["previous"]}
            return dumps({"type": "FeatureCollection", "features": features, **links})
        features = [f for f in [feature(data)] if f]
        return dumps({"type": "FeatureCollection", "features": features})


# Pagination -----------------------------------------------------------------------------


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

    def paginate(self, view: "RecordViewSet", source: Any, request: Request) -> list[dict]:
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
        return Response(
            {
                "next": self._link("after", self.next),
                "previous": self._link("before", self.previous),
                "results": data,
            }
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


# Filters --------------------------------------------------------------------------------

MAX_ID = 2**63


class IdFilter(django_filters.Filter):
    """A record id: a whole number (a hidden record's id matches nothing, like a missing one)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID - 1)
        super().__init__(*args, **kwargs)


class StrictBooleanField(forms.NullBooleanField):
    """``true``/``false`` (or 1/0); anything else is an error rather than "no filter"."""

    VALUES = {"true": True, "1": True, "false": False, "0": False}
    widget = forms.TextInput

    def to_python(self, value: Any) -> bool | None:
        if value in (None, ""):
            return None
        if str(value).lower() not in self.VALUES:
            raise forms.ValidationError(_("Enter true or false."), code="invalid")
        return self.VALUES[str(value).lower()]

    def validate(self, value: Any) -> None:
        pass


class BooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class UTCDateTimeField(django_filters.fields.IsoDateTimeField):
    """ISO 8601, turned to UTC: PostgreSQL refuses odd offsets such as +20:54."""

    default_error_messages = {
        "invalid": _("Enter a date and time in ISO 8601, e.g. 2026-02-01T09:55:00Z.")
    }

    def to_python(self, value: Any) -> datetime.datetime | None:
        try:
            moment = super().to_python(value)
            return None if moment is None else moment.astimezone(datetime.UTC)
        except (OverflowError, ValueError):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class DateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UTCDateTimeField


class RecordFilterSet(django_filters.FilterSet):
    updated_since = DateTimeFilter(
        method="filter_updated_since",
        help_text=_(
            "ISO 8601 date and time: rows changed since then (edited, or showing a nested "
            "record that changed). For incremental sync; pair with /deletions/."
        ),
    )

    @property
    def user(self):
        return self.request.user

    def filter_updated_since(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.changed_since(value)


@models.IntegerField.register_lookup
@models.ForeignKey.register_lookup
class AnyOf(models.Lookup):
    """``field = ANY(%s)`` on PostgreSQL: one array parameter for thousands of ids, where
    ``__in`` builds, quotes and sends one parameter each (the cost of a chunk of export).

    The array goes as one text literal (``{1,2,3}``): psycopg would quote a Python list
    element by element.
    """

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection) -> tuple[str, list]:
        lhs, params = self.process_lhs(compiler, connection)
        ids = list(self.rhs)
        if connection.vendor == "postgresql":
            array = "{" + ",".join(map(str, map(int, ids))) + "}"
            return f"{lhs} = ANY(%s::bigint[])", [*params, array]
        if not ids:
            return "1 = 0", []
        return f"{lhs} IN ({', '.join(['%s'] * len(ids))})", [*params, *ids]


# Throttling -----------------------------------------------------------------------------


class RateFromSettings:
    """Reads the rate when asked, so deployments and tests can change it (None: no limit)."""

    scope: str

    def get_rate(self) -> str | None:
        return settings.API_THROTTLE_RATES.get(self.scope)


class AnonymousThrottle(RateFromSettings, throttling.AnonRateThrottle):
    scope = "anonymous"


class TokenThrottle(RateFromSettings, throttling.SimpleRateThrottle):
    """Per token for token callers, per user for session callers (staff in the browser)."""

    scope = "token"

    def get_cache_key(self, request: Request, view) -> str | None:
        if not request.user.is_authenticated:
            return None
        ident = getattr(request.auth, "token_key", None) or f"user-{request.user.pk}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


# Views ----------------------------------------------------------------------------------

FORMAT_PARAMETER = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    enum=["json", "csv"],
    description=str(_("Response format; JSON unless asked otherwise.")),
)
GEO_FORMAT_PARAMETER = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    enum=["json", "csv", "geojson"],
    description=str(_("Response format; `geojson` gives the rows that have coordinates.")),
)


GEOJSON_SCHEMA = {
    "type": "object",
    "required": ["type", "features"],
    "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "features": {"type": "array", "items": {"type": "object"}},
    },
}
TEXT_SCHEMA = {"type": "string"}
ERROR_SCHEMA = {
    "type": "object",
    "additionalProperties": {},
    "description": str(_("`detail`, or the names of the parameters in error.")),
}
ERRORS = {"400": _("Bad parameter"), "401": _("Bad token"), "404": _("Not found")}


class ApiSchema(AutoSchema):
    """Documents what the renderers really send: CSV text, GeoJSON, and the error answers."""

    def _get_response_bodies(self, direction="response") -> dict:
        responses = super()._get_response_bodies(direction)
        for response in responses.values():
            content = response.get("content", {})
            for media_type in content:
                if media_type.startswith(("text/csv", "application/x-ndjson")):
                    content[media_type] = {"schema": TEXT_SCHEMA}
                elif media_type == GeoJSONRenderer.media_type:
                    content[media_type] = {"schema": GEOJSON_SCHEMA}
        for code, description in ERRORS.items():
            responses.setdefault(
                code,
                {
                    "content": {"application/json": {"schema": ERROR_SCHEMA}},
                    "description": str(description),
                },
            )
        responses.setdefault(
            "429",
            {
                "content": {"application/json": {"schema": ERROR_SCHEMA}},
                "headers": {"Retry-After": {"schema": {"type": "integer"}}},
                "description": str(_("Too many requests: wait the seconds in Retry-After.")),
            },
        )
        return responses


class ApiView(APIView):
    """What every API view shares: throttles, and errors in JSON whatever format was asked."""

    renderer_classes = (JSONRenderer,)
    throttle_classes = (AnonymousThrottle, TokenThrottle)
    schema = ApiSchema()

    def perform_content_negotiation(self, request: Request, force: bool = False):
        try:
            return super().perform_content_negotiation(request, force)
        except Http404:
            formats = ", ".join(renderer.format for renderer in self.get_renderers())
            message = _("Unknown format: use one of %(formats)s.") % {"formats": formats}
            raise exceptions.ValidationError({"format": [message]}) from None

    def finalize_response(self, request: Request, response, *args, **kwargs):
        if isinstance(response, Response) and response.status_code >= 400:
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)


class RecordViewSet(ApiView, viewsets.GenericViewSet):
    """A read-only collection of one kind of reviewed record.

    Subclasses name the ``model``, the ``fields`` read with ``.values()``, the ``rows``
    function that completes them (nested records through the gate) and the serializer that
    documents a row. They never build a queryset of their own: ``get_queryset`` is the gate.
    """

    model: Any
    fields: tuple[str, ...]
    rows: RowBuilder
    cursor_key: tuple[str, ...] = ("id",)
    filter_backends = (DjangoFilterBackend,)  # read by the schema; filtering: filter_queryset
    pagination_class = KeysetPagination
    lookup_value_regex = "[0-9]{1,18}"

    renderer_classes = (JSONRenderer, CSVRenderer)

    def get_queryset(self, model: Any = None) -> QuerySet:
        return (model or self.model).objects.visible_to(self.request.user)

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        filterset = self.filterset_class(
            self.request.query_params, queryset=queryset, request=self.request
        )
        if not filterset.is_valid():
            raise exceptions.ValidationError(filterset.errors)
        return filterset.qs

    def source(self) -> Any:
        """The filtered rows of the collection, before paging."""
        return self.filter_queryset(self.get_queryset()).values(*self.fields).order_by()

    def export_source(self) -> Any:
        """The filtered rows of the collection in cursor order, for a bulk export."""
        return self.source().order_by(*self.cursor_key)

    def valid_cursor(self, key: list) -> bool:
        return len(key) == 1 and is_id(key[0])

    def keyset_page(self, source: Any, key: list | None, limit: int, *, backwards: bool):
        if key is not None:
            source = source.filter(keyset_filter(self.cursor_key, key, backwards=backwards))
        order = [f"-{k}" if backwards else k for k in self.cursor_key]
        return list(source.order_by(*order)[:limit])

    def build_rows(self, base: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return type(self).rows(self.request.user, base) if base else []

    def list(self, request: Request, *args, **kwargs) -> Response:
        page = self.paginator.paginate(self, self.source(), request)
        return self.paginator.get_paginated_response(self.build_rows(page))

    def retrieve(self, request: Request, pk: str, *args, **kwargs) -> Response:
        base = list(self.get_queryset().filter(pk=pk).values(*self.fields))
        if not base:
            raise self.not_found(self.model, pk)
        return Response(self.build_rows(base)[0])

    def not_found(self, model: Any, pk: str) -> exceptions.NotFound:
        """The 404 of a missing or hidden record; a hidden one goes to the audit log."""
        if model._base_manager.filter(pk=pk).exists():
            audit.refused_access(self.request, model._meta.model_name, pk)
        return exceptions.NotFound()


class RootView(ApiView):
    """The collections of the API."""

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request, format: str | None = None) -> Response:
        links = {name: drf_reverse(f"api:{name}-list", request=request) for name in COLLECTIONS}
        links["deletions"] = drf_reverse("api:deletions", request=request)
        links["export"] = {
            name: drf_reverse("api:export", args=[name], request=request) for name in COLLECTIONS
        }
        links["schema"] = drf_reverse("api:schema", request=request)
        links["docs"] = drf_reverse("api:docs", request=request)
        return Response(links)


COLLECTIONS = ("organisations", "people", "sources", "raids", "detentions", "incidents")


def collection_views() -> dict[str, type[RecordViewSet]]:
    """The view of each collection (imported here, late, to avoid an import cycle)."""
    from incidents.api import views as incident_views
    from organisations.api import views as organisation_views

    return {
        "organisations": organisation_views.OrganisationViewSet,
        "people": organisation_views.PersonViewSet,
        "sources": incident_views.SourceViewSet,
        "raids": incident_views.RaidViewSet,
        "detentions": incident_views.DetentionViewSet,
        "incidents": incident_views.IncidentViewSet,
    }


def urlpatterns() -> list:
    from rest_framework.routers import SimpleRouter

    from incidents.api.views import DeletionViewSet, ExportView

    router = SimpleRouter()
    for name, view in collection_views().items():
        router.register(name, view, basename=name)
    patterns = [
        path("", RootView.as_view(), name="root"),
        path("deletions/", DeletionViewSet.as_view({"get": "list"}), name="deletions"),
        path("export/<str:collection>/", ExportView.as_view(), name="export"),
        path("schema/", SpectacularAPIView.as_view(), name="schema"),
        path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
        *router.urls,
    ]
    return [path("api/v1/", include((patterns, "api")))]


def detail_url(collection: str, example: str = "0") -> Callable[[Any], str]:
    """Makes detail paths fast: one ``reverse()`` per collection, not per row."""
    prefix = reverse(f"api:{collection}-detail", args=[example])[: -len(example) - 1]
    return lambda key: f"{prefix}{key}/"


def iterate_in_chunks(rows: Iterable[dict], size: int) -> Iterator[list[dict]]:
    chunk: list[dict] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class RefSerializer(serializers.Serializer):
    """Another record named in a row: its id and public name."""

    id = serializers.IntegerField()
    name = serializers.CharField(help_text=_("A person who may not be named: the pseudonym."))


def group_by(rows: Iterable[dict[str, Any]], key: str) -> dict[Any, list[dict[str, Any]]]:
    """Rows of a nested query keyed by their parent's id (the key is dropped from each)."""
    grouped: dict[Any, list[dict[str, Any]]] = {}
    for row in rows:
        parent = row.pop(key)
        grouped.setdefault(parent, []).append(row)
    return grouped
