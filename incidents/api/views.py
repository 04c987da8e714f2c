"""The ``sources``, ``raids``, ``detentions`` and ``incidents`` collections."""

from typing import Any

from django.db import connection
from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    F,
    FloatField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.request import Request
from rest_framework.response import Response

from incidents.models import Detention, Raid, Source
from tracker import access
from tracker.api.pagination import is_id
from tracker.api.renderers import CSVRenderer, GeoJSONRenderer, JSONRenderer
from tracker.api.schema import FORMAT_PARAMETER, GEO_FORMAT_PARAMETER
from tracker.api.views import RecordViewSet

from . import filters, serializers

GEO_RENDERERS = (JSONRenderer, CSVRenderer, GeoJSONRenderer)


def _formats(parameter: OpenApiParameter):
    return extend_schema_view(
        list=extend_schema(parameters=[parameter]), retrieve=extend_schema(parameters=[parameter])
    )


@_formats(FORMAT_PARAMETER)
class SourceViewSet(RecordViewSet):
    api_description = _(
        "Sources: articles, statements, posts, documents, and the records they support."
    )

    model = Source
    fields = serializers.SOURCE_FIELDS
    rows = serializers.source_rows
    serializer_class = serializers.SourceSerializer
    filterset_class = filters.SourceFilter


@_formats(GEO_FORMAT_PARAMETER)
class RaidViewSet(RecordViewSet):
    api_description = _("Raids: searches of offices, homes and newsrooms.")

    model = Raid
    fields = serializers.RAID_FIELDS
    rows = serializers.raid_rows
    serializer_class = serializers.RaidSerializer
    filterset_class = filters.RaidFilter
    renderer_classes = GEO_RENDERERS


@_formats(GEO_FORMAT_PARAMETER)
class DetentionViewSet(RecordViewSet):
    api_description = _("Detentions, with charges, sentence and whether the person is still held.")

    model = Detention
    fields = serializers.DETENTION_FIELDS
    rows = serializers.detention_rows
    serializer_class = serializers.DetentionSerializer
    filterset_class = filters.DetentionFilter
    renderer_classes = GEO_RENDERERS


@_formats(FORMAT_PARAMETER)
class PoliticalPrisonerViewSet(RecordViewSet):
    """Detentions of people recognised as political prisoners, in the columns published
    by human-rights organisations; the detentions' filters apply."""

    api_description = _(
        "Political prisoners: name or pseudonym, date detained, articles, sentence, current "
        "place, recognised by and on."
    )

    model = Detention
    fields = serializers.PRISONER_FIELDS
    rows = serializers.political_prisoner_rows
    serializer_class = serializers.PoliticalPrisonerSerializer
    filterset_class = filters.PoliticalPrisonerFilter

    def retrieve(self, request: Request, pk: str, *args, **kwargs) -> Response:
        if not Detention.objects.filter(pk=pk, recognised_political_prisoner=True).exists():
            raise self.not_found(Detention, pk)
        return super().retrieve(request, pk, *args, **kwargs)


KINDS = {"raid": Raid, "detention": Detention}


def involved_records(viewer, model: type[Raid | Detention]) -> dict[str, Any]:
    """A detention's person and authority, read in the same query and through the same gate
    (``visible_q``): ids and public names, or nulls when hidden. Raids have none here."""
    if model is Raid:
        return {
            name: Value(None, field)
            for name, field in (
                ("involved_person", BigIntegerField()),
                ("involved_person_name", CharField()),
                ("involved_authority", BigIntegerField()),
                ("involved_authority_name", CharField()),
            )
        }
    person = Q(person__isnull=False) & access.visible_q(viewer, "person__")
    authority = Q(authority__isnull=False) & access.visible_q(viewer, "authority__")
    return {
        "involved_person": Case(When(person, then=F("person_id"))),
        "involved_person_name": Case(
            When(person & Q(person__may_be_named=True), then=F("person__name")),
            When(person, then=F("person__pseudonym")),
        ),
        "involved_authority": Case(When(authority, then=F("authority_id"))),
        "involved_authority_name": Case(When(authority, then=F("authority__name"))),
    }


@_formats(GEO_FORMAT_PARAMETER)
class IncidentViewSet(RecordViewSet):
    """Ordered by ``(id, kind)``: unique and unchanging, so the cursor never skips a row."""

    api_description = _(
        "One flat row per raid or detention (like ACLED's event rows), built from both tables."
    )

    model = Raid
    fields = (
        *serializers.INCIDENT_FIELDS, "kind", "involved_person", "involved_person_name",
        "involved_authority", "involved_authority_name", "lat", "lon", "premises",
        "source_count",
    )  # fmt: skip
    rows = serializers.incident_rows
    cursor_key = ("id", "kind")
    serializer_class = serializers.IncidentSerializer
    filterset_class = filters.IncidentFeedFilter
    renderer_classes = GEO_RENDERERS
    lookup_value_regex = "(?:raid|detention)-[0-9]{1,18}"

    def part(self, model: type[Raid | Detention]) -> QuerySet:
        """The incident rows of one table, through the gate."""
        involved = involved_records(self.viewer, model)
        kind = Value(model._meta.model_name)
        coordinates = {
            "lat": Cast("latitude", FloatField()),
            "lon": Cast("longitude", FloatField()),
            "premises": F("premises_type" if model is Raid else "raid__premises_type"),
        }
        sources = serializers.source_count(self.viewer, model._meta.model_name)
        return self.get_queryset(model).annotate(
            kind=kind, **involved, **coordinates, source_count=sources
        )

    def source(self) -> list[QuerySet]:
        return [
            self.filter_queryset(self.part(model)).values(*self.fields).order_by()
            for model in KINDS.values()
        ]

    def valid_cursor(self, key: list) -> bool:
        return len(key) == 2 and is_id(key[0]) and key[1] in KINDS

    def keyset_page(self, source: Any, key: list | None, limit: int, *, backwards: bool):
        lookup, sign = ("lt", "-") if backwards else ("gt", "")
        parts = []
        for kind, part in zip(KINDS, source, strict=True):
            if key is not None:
                condition = Q(**{f"id__{lookup}": key[0]})
                if (kind < key[1]) if backwards else (kind > key[1]):
                    condition |= Q(id=key[0])
                part = part.filter(condition)
            if not part.query.is_empty():
                parts.append(part.order_by(f"{sign}id"))
        if len(parts) < 2:
            return list(parts[0][:limit]) if parts else []
        if connection.features.supports_slicing_ordering_in_compound:
            parts = [part[:limit] for part in parts]  # each half stops early on its index
        else:
            parts = [part.order_by() for part in parts]
        union = parts[0].union(*parts[1:], all=True)
        return list(union.order_by(f"{sign}id", f"{sign}kind")[:limit])

    def export_source(self) -> QuerySet:
        parts = [part for part in self.source() if not part.query.is_empty()]
        if len(parts) < 2:
            return parts[0].order_by(*self.cursor_key) if parts else Raid.objects.none()
        return parts[0].union(*parts[1:], all=True).order_by(*self.cursor_key)

    def retrieve(self, request: Request, pk: str, *args, **kwargs) -> Response:
        kind, key = pk.split("-")
        base = list(self.part(KINDS[kind]).filter(pk=key).values(*self.fields))
        if not base:
            raise self.not_found(KINDS[kind], key)
        return Response(self.build_rows(base)[0])
