"""The OpenAPI schema: what the renderers really send, and the error answers."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, OpenApiTypes

from tracker.api.errors import ERROR_SCHEMA
from tracker.api.renderers import BOM_VALUES, CSVRenderer, GeoJSONRenderer

FORMAT_PARAMETER = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    enum=["json", "csv"],
    description=_("Response format; JSON unless asked otherwise."),
)
GEO_FORMAT_PARAMETER = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    enum=["json", "csv", "geojson"],
    description=_("Response format; in `geojson`, a row without coordinates has a null geometry."),
)


BOM_PARAMETER = OpenApiParameter(
    "bom",
    OpenApiTypes.STR,
    enum=list(BOM_VALUES),
    description=_("`1`: CSV starts with a UTF-8 byte order mark, for Excel."),
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
LINK = _('The next and previous pages, in every format (RFC 8288): `<url>; rel="next"`.')
ETAG = _("Send it back in `If-None-Match`: an unchanged answer is `304`, without a body.")
ERRORS = {"400": _("Bad parameter"), "401": _("Bad token"), "404": _("Not found")}


class ApiSchema(AutoSchema):
    """Documents what the renderers really send: CSV text, GeoJSON, and the error answers."""

    def get_description(self) -> str:
        """The view's ``api_description`` in the reader's language, else its docstring."""
        return str(getattr(self.view, "api_description", "")) or super().get_description()

    def get_override_parameters(self) -> list:
        parameters = super().get_override_parameters()
        if CSVRenderer in getattr(self.view, "renderer_classes", ()):
            parameters = [*parameters, BOM_PARAMETER]
        return parameters

    def _get_response_headers_for_code(self, status_code, direction="response") -> dict:
        headers = super()._get_response_headers_for_code(status_code, direction)
        if str(status_code) == "200" and self.method == "GET":
            if getattr(self.view, "pagination_class", None) and self._is_list_view():
                headers["Link"] = {"schema": {"type": "string"}, "description": str(LINK)}
            if not hasattr(self.view, "collection_view"):  # exports stream, without a tag
                headers["ETag"] = {"schema": {"type": "string"}, "description": str(ETAG)}
        return headers

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
