"""The ``organisations`` and ``people`` collections."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view

from organisations.models import Organisation, Person
from tracker.api.schema import FORMAT_PARAMETER
from tracker.api.views import RecordViewSet

from . import filters, serializers


@extend_schema_view(
    list=extend_schema(parameters=[FORMAT_PARAMETER]),
    retrieve=extend_schema(parameters=[FORMAT_PARAMETER]),
)
class OrganisationViewSet(RecordViewSet):
    api_description = _("Organisations: NGOs, media, state agencies, courts.")

    model = Organisation
    fields = serializers.ORGANISATION_FIELDS
    rows = serializers.organisation_rows
    serializer_class = serializers.OrganisationSerializer
    filterset_class = filters.OrganisationFilter


@extend_schema_view(
    list=extend_schema(parameters=[FORMAT_PARAMETER]),
    retrieve=extend_schema(parameters=[FORMAT_PARAMETER]),
)
class PersonViewSet(RecordViewSet):
    api_description = _("People; those who may not be named appear by pseudonym only.")

    model = Person
    fields = serializers.PERSON_FIELDS
    rows = serializers.person_rows
    serializer_class = serializers.PersonSerializer
    filterset_class = filters.PersonFilter
