"""The views every collection shares, the API root, the deletions feed and the export."""

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, StreamingHttpResponse
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
from tracker.api.filters import DateTimeFilter
from tracker.api.pagination import KeysetPagination, is_id, keyset_filter
from tracker.api.renderers import CSVRenderer, JSONRenderer, NDJSONRenderer, csv_columns
from tracker.api.schema import FORMAT_PARAMETER, ApiSchema
from tracker.api.throttling import AnonymousThrottle, TokenThrottle
from tracker.changes import RecordChange

RowBuilder = Callable[[Any, list[dict[str, Any]]], list[dict[str, Any]]]


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
        return (model or self.model).objects.visible_to(self.viewer)

    @property
    def viewer(self) -> access.Viewer:
        return access.viewer(self.request)

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
            name: drf_reverse("api:export", args=[name], request=request) for name in names
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
}


class ExportSchema(ApiSchema):
    """The collections are known once the URLs are loaded, not when this module is."""

    def get_override_parameters(self) -> list:
        return [
            OpenApiParameter(
                "collection",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                enum=list(collections.views()),
            ),
            OpenApiParameter("format", OpenApiTypes.STR, enum=list(EXPORT_TYPES)),
            *super().get_override_parameters(),
        ]


class ExportView(ApiView):
    api_description = _(
        "Every row of a collection that you may see, streamed; the list filters apply."
    )

    renderer_classes = (JSONRenderer, NDJSONRenderer, CSVRenderer)
    schema = ExportSchema()

    @extend_schema(
        responses={
            (200, "application/json"): {"type": "array", "items": {"type": "object"}},
            (200, "application/x-ndjson"): OpenApiTypes.STR,
            (200, "text/csv"): OpenApiTypes.STR,
        },
    )
    def get(self, request: Request, collection: str) -> StreamingHttpResponse:
        view_class = collections.views().get(collection)
        if view_class is None:
            raise exceptions.NotFound()
        view = view_class(request=request, format_kwarg=None, action="list", args=(), kwargs={})
        source = view.export_source()
        chunks = export.chunks_of_rows(source, view.viewer, view_class.rows)
        fmt = request.accepted_renderer.format
        if fmt == "csv":
            body = export.csv(chunks, csv_columns(view.get_serializer()))
        elif fmt == "ndjson":
            body = export.ndjson(chunks)
        else:
            body = export.json_array(chunks)
        response = StreamingHttpResponse(body, content_type=EXPORT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="{collection}.{fmt}"'
        return response
