"""The views every collection shares, the API root, the deletions feed and the export."""

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils.translation import gettext_lazy as _
from django_filters import FilterSet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema, extend_schema_view
from rest_framework import exceptions, viewsets
from rest_framework import serializers as drf_serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse as drf_reverse
from rest_framework.views import APIView

from tracker import access, audit
from tracker.api import collections, export
from tracker.api.conditional import conditional
from tracker.api.filters import DateTimeFilter, refuse_empty
from tracker.api.negotiation import FormatFirstNegotiation
from tracker.api.pagination import KeysetPagination, is_id, keyset_filter
from tracker.api.renderers import (
    CSVRenderer,
    GeoJSONRenderer,
    JSONRenderer,
    NDJSONRenderer,
    csv_columns,
    wants_bom,
)
from tracker.api.schema import FORMAT_PARAMETER, ApiSchema
from tracker.api.throttling import AnonymousThrottle, TokenThrottle
from tracker.changes import RecordChange

RowBuilder = Callable[[Any, list[dict[str, Any]]], list[dict[str, Any]]]


class ApiView(APIView):
    """What every API view shares: throttles, ``?format=`` before ``Accept``, and errors (and
    ``OPTIONS``) in JSON whatever format was asked."""

    renderer_classes = (JSONRenderer,)
    throttle_classes = (AnonymousThrottle, TokenThrottle)
    content_negotiation_class = FormatFirstNegotiation
    schema = ApiSchema()

    def initial(self, request: Request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        wants_bom(request)  # a bad ?bom= is refused before any work

    def finalize_response(self, request: Request, response, *args, **kwargs):
        if isinstance(response, Response) and (
            response.status_code >= 400 or request.method == "OPTIONS"
        ):
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        response = super().finalize_response(request, response, *args, **kwargs)
        if isinstance(response, Response):
            response = conditional(request, response)
        return response


@extend_schema(exclude=True)
class NotFoundView(ApiView):
    """Any other path under ``/api/v1/``: a JSON 404 like every other API error."""

    def perform_content_negotiation(self, request: Request, force: bool = False):
        return JSONRenderer(), JSONRenderer.media_type  # whatever ?format= asked

    def get(self, request: Request, *args, **kwargs) -> Response:
        raise exceptions.NotFound()

    post = put = patch = delete = head = options = get


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
        return (model or self.model).objects.visible_to(self.viewer)

    @property
    def viewer(self) -> access.Viewer:
        return access.viewer(self.request)

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        params = self.request.query_params
        filterset = self.filterset_class(params, queryset=queryset, request=self.request)
        errors = refuse_empty(filterset, params)
        if errors or not filterset.is_valid():
            raise exceptions.ValidationError(errors or filterset.errors)
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
        return type(self).rows(self.viewer, base) if base else []

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
    api_description = _("The collections of the API.")

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request, format: str | None = None) -> Response:
        names = list(collections.views())
        links = {name: drf_reverse(f"api:{name}-list", request=request) for name in names}
        links["deletions"] = drf_reverse("api:deletions", request=request)
        links["export"] = {
            name: drf_reverse(f"api:export-{name}", request=request) for name in names
        }
        links["schema"] = drf_reverse("api:schema", request=request)
        links["docs"] = drf_reverse("api:docs", request=request)
        return Response(links)


# Documents a row of the deletions feed; the kinds are known once the URLs are loaded.
class DeletionSerializer(drf_serializers.Serializer):
    def get_fields(self) -> dict[str, drf_serializers.Field]:
        return {
            "kind": drf_serializers.ChoiceField(collections.record_kinds()),
            "id": drf_serializers.IntegerField(),
        }


class DeletionFilter(FilterSet):
    since = DateTimeFilter(
        field_name="at",
        lookup_expr="gte",
        required=True,
        help_text=_("ISO 8601 date and time of your previous sync (minus a few minutes)."),
    )

    class Meta:
        model = RecordChange
        fields: list[str] = []


def deletion_rows(viewer, base: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"kind": row["kind"], "id": row["record_id"]} for row in base]


@extend_schema_view(list=extend_schema(parameters=[FORMAT_PARAMETER]))
class DeletionViewSet(RecordViewSet):
    api_description = _(
        "Records deleted, or hidden from you, since a moment: remove them from your copy. "
        "Lists only records you could see before; an id may appear more than once."
    )

    model = RecordChange
    fields = ("id", "kind", "record_id")
    rows = deletion_rows
    serializer_class = DeletionSerializer
    filterset_class = DeletionFilter


EXPORT_TYPES = {
    "json": "application/json",
    "ndjson": "application/x-ndjson",
    "csv": "text/csv; charset=utf-8",
    "geojson": GeoJSONRenderer.media_type,
}


class ExportSchema(ApiSchema):
    """A collection's export: the filters of its list, and its rows typed in JSON."""

    def get_operation_id(self) -> str:
        return f"export_{self.view.collection}"

    def get_filter_backends(self) -> list:
        return list(self.view.filter_backends)

    def get_override_parameters(self) -> list:
        formats = [renderer.format for renderer in self.view.renderer_classes]
        return [
            OpenApiParameter("format", OpenApiTypes.STR, enum=formats),
            *super().get_override_parameters(),
        ]

    def get_response_serializers(self) -> dict:
        rows = self.view.collection_view.serializer_class
        responses = {
            (200, "application/json"): rows(many=True),
            (200, "application/x-ndjson"): OpenApiTypes.STR,
            (200, "text/csv"): OpenApiTypes.STR,
        }
        if GeoJSONRenderer in self.view.renderer_classes:
            responses[200, GeoJSONRenderer.media_type] = OpenApiTypes.OBJECT
        return responses


class ExportView(ApiView):
    """The export of one collection; ``ExportView.of()`` makes each collection's own."""

    api_description = _(
        "Every row of a collection that you may see, streamed; the list filters apply."
    )

    collection: str
    collection_view: type[RecordViewSet]
    filter_backends = (DjangoFilterBackend,)  # read by the schema
    schema = ExportSchema()

    @classmethod
    def of(cls, name: str, view_class: type[RecordViewSet]) -> type["ExportView"]:
        renderers = (JSONRenderer, NDJSONRenderer, CSVRenderer)
        if GeoJSONRenderer in view_class.renderer_classes:
            renderers = (*renderers, GeoJSONRenderer)
        attributes = {
            "collection": name,
            "collection_view": view_class,
            "filterset_class": view_class.filterset_class,
            "queryset": view_class.model.objects.none(),  # the schema's model; never read
            "renderer_classes": renderers,
            "__module__": cls.__module__,
        }
        return type(f"{view_class.__name__.removesuffix('ViewSet')}Export", (cls,), attributes)

    def get(self, request: Request) -> StreamingHttpResponse:
        view_class = self.collection_view
        view = view_class(request=request, format_kwarg=None, action="list", args=(), kwargs={})
        source = view.export_source()
        chunks = export.chunks_of_rows(source, view.viewer, view_class.rows)
        fmt = request.accepted_renderer.format
        if fmt == "csv":
            body = export.csv(chunks, csv_columns(view.get_serializer()), bom=wants_bom(request))
        elif fmt == "ndjson":
            body = export.ndjson(chunks)
        elif fmt == "geojson":
            body = export.geojson(chunks, view_class.model._meta.model_name)
        else:
            body = export.json_array(chunks)
        response = StreamingHttpResponse(body, content_type=EXPORT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="{self.collection}.{fmt}"'
        return response
