"""The full dumps' manifest (``/api/v1/dumps/``) and their downloads.

The manifest lists the files of the highest level the caller may read (``Dump.level_of``):
the public dumps without a token, the researchers' with one. A file of a level that shows
more than the caller may see answers 404, like a hidden record. Local files stream from
storage with their ``Content-Length``; from an S3-compatible store the answer redirects to
a presigned link valid for ``S3_LINK_SECONDS``, which S3 serves with its
``Content-Length``.
"""

from typing import Any

from django.conf import settings
from django.http import FileResponse, HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema
from rest_framework import exceptions
from rest_framework import serializers as drf_serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from tracker import access
from tracker.api.views import ApiView
from tracker.models import Dump


class DumpSerializer(drf_serializers.Serializer):
    collection = drf_serializers.CharField()
    format = drf_serializers.ChoiceField(Dump.Format.values)
    level = drf_serializers.ChoiceField(Dump.Level.values)
    rows = drf_serializers.IntegerField()
    size = drf_serializers.IntegerField(help_text=_("Bytes of the gzipped file."))
    sha256 = drf_serializers.CharField(help_text=_("SHA-256 of the gzipped file, in hex."))
    created_at = drf_serializers.DateTimeField()
    snapshot_at = drf_serializers.DateTimeField(
        help_text=_("The moment the database was read: every file of a set shows that moment.")
    )
    updated_since = drf_serializers.DateTimeField(
        help_text=_("After loading the dump, sync with updated_since (and deletions' since) this.")
    )
    url = drf_serializers.URLField()


class ManifestSerializer(drf_serializers.Serializer):
    results = DumpSerializer(many=True)


def manifest_row(request: Request, dump: Dump) -> dict[str, Any]:
    return {
        "collection": dump.collection,
        "format": dump.format,
        "level": dump.level,
        "rows": dump.rows,
        "size": dump.size,
        "sha256": dump.sha256,
        "created_at": dump.created_at,
        "snapshot_at": dump.snapshot_at,
        "updated_since": dump.updated_since,
        "url": reverse("api:dump-file", args=[dump.pk, dump.filename], request=request),
    }


class DumpManifestView(ApiView):
    api_description = _(
        "Full dumps of every collection (gzipped NDJSON and CSV), newest first: load one, "
        "then sync from its updated_since."
    )

    @extend_schema(operation_id="dumps_list", responses={200: ManifestSerializer})
    def get(self, request: Request) -> Response:
        level = Dump.level_of(access.viewer(request))
        dumps = Dump.objects.filter(level=level)
        return Response({"results": [manifest_row(request, dump) for dump in dumps]})


class DumpFileView(ApiView):
    api_description = _("One file of a full dump, as listed in the manifest.")

    def perform_content_negotiation(self, request: Request, force: bool = False):
        return super().perform_content_negotiation(request, force=True)  # any Accept: a file

    @extend_schema(
        operation_id="dumps_file",
        parameters=[OpenApiParameter("pk", OpenApiTypes.INT, OpenApiParameter.PATH)],
        responses={(200, "application/gzip"): {"type": "string", "format": "binary"}},
    )
    def get(self, request: Request, pk: str, filename: str):
        if not pk.isdigit() or len(pk) > 18:
            raise exceptions.NotFound()
        dump = Dump.objects.for_viewer(access.viewer(request)).filter(pk=int(pk)).first()
        if dump is None or dump.filename != filename:
            raise exceptions.NotFound()
        storage = dump.file.storage
        if settings.FILE_STORAGE == "s3":
            disposition = f'attachment; filename="{dump.filename}"'
            return HttpResponseRedirect(
                storage.url(dump.file.name, parameters={"ResponseContentDisposition": disposition})
            )
        response = FileResponse(
            storage.open(dump.file.name, "rb"),
            as_attachment=True,
            filename=dump.filename,
            content_type="application/gzip",
        )
        response["Content-Length"] = str(dump.size)
        return response
