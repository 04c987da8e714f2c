"""How rows leave the API: JSON (orjson), flat CSV, GeoJSON and NDJSON."""

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from typing import Any

import orjson
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, renderers, serializers
from rest_framework.request import Request

from tracker.spreadsheets import safe_cell


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
    if isinstance(value, datetime.datetime):
        return dumps(value)[1:-1].decode()  # the form JSON uses: 2026-02-01T09:55:00+00:00
    return safe_cell(value)


def _joined(values: Iterable[Any]) -> str:
    """A list in one cell; the joined text is text, whatever its first item was."""
    return safe_cell(LIST_SEPARATOR.join(str(_cell(value)) for value in values))


def flatten(row: dict[str, Any]) -> dict[str, Any]:
    """One CSV line: nested values as ``field.key``, lists joined with `` | ``."""
    flat: dict[str, Any] = {}
    for name, value in row.items():
        if isinstance(value, dict):
            for key, item in value.items():
                flat[f"{name}.{key}"] = _cell(item)
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            for key in value[0]:
                flat[f"{name}.{key}"] = _joined(v[key] for v in value)
        elif isinstance(value, list):
            flat[name] = _joined(value)
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


BOM = "\ufeff".encode()
BOM_VALUES = {"1": True, "true": True, "0": False, "false": False}


def wants_bom(request: Request) -> bool:
    """``?bom=1``: CSV starts with a UTF-8 byte order mark, which Excel needs to read UTF-8."""
    value = request.query_params.get("bom")
    if value is None:
        return False
    if value.lower() not in BOM_VALUES:
        raise exceptions.ValidationError({"bom": [_("Enter true or false.")]})
    return BOM_VALUES[value.lower()]


class CSVRenderer(renderers.BaseRenderer):
    """RFC 4180 CSV in UTF-8: a header line, comma-separated, ``"``-quoted when needed,
    CRLF line ends (docs/api.md)."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        view = renderer_context["view"]
        rows = data["results"] if isinstance(data, dict) and "results" in data else [data]
        writer = CSVWriter(csv_columns(view.get_serializer()))
        bom = BOM if wants_bom(renderer_context["request"]) else b""
        return bom + writer.header() + writer.rows(rows)


def feature(row: dict[str, Any], kind: str) -> dict[str, Any]:
    """A GeoJSON Feature of a row: a Point, or ``"geometry": null`` without coordinates
    (RFC 7946, 3.2).

    The row's ``id`` becomes the Feature's, with its kind (``raid-1``): unique across kinds,
    and the only id GDAL sees (a numeric ``id`` left in the properties would be taken for
    the feature id, and a raid and a detention share numbers).
    """
    properties = {k: v for k, v in row.items() if k not in ("id", "latitude", "longitude")}
    if row.get("latitude") is None or row.get("longitude") is None:
        geometry = None
    else:
        point = [float(row["longitude"]), float(row["latitude"])]
        geometry = {"type": "Point", "coordinates": point}
    key = f"{row.get('kind', kind)}-{row['id']}"
    return {"type": "Feature", "id": key, "geometry": geometry, "properties": properties}


class GeoJSONRenderer(renderers.BaseRenderer):
    media_type = "application/geo+json"
    format = "geojson"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        kind = renderer_context["view"].model._meta.model_name
        if isinstance(data, dict) and "results" in data:
            features = [feature(row, kind) for row in data["results"]]
            links = {"next": data["next"], "previous": data["previous"]}
            return dumps({"type": "FeatureCollection", "features": features, **links})
        return dumps({"type": "FeatureCollection", "features": [feature(data, kind)]})


class NDJSONRenderer(renderers.BaseRenderer):
    """One JSON object a line; used by the bulk export, which streams its own body."""

    media_type = "application/x-ndjson"
    format = "ndjson"
    charset = None
