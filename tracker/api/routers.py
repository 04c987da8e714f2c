"""Each app's ``api/urls.py`` routes its collections through ``CollectionRouter``."""

from django.urls import URLPattern, path
from rest_framework.routers import SimpleRouter

from tracker.api import collections
from tracker.api.views import ExportView


class CollectionRouter(SimpleRouter):
    """Routes ``<name>/``, ``<name>/<id>/`` and ``export/<name>/``, and records the collection.

    Each collection has an export path of its own, so that the schema lists its filters and
    types its rows.
    """

    def register(self, prefix: str, viewset, basename: str | None = None) -> None:
        super().register(prefix, viewset, basename=basename or prefix)
        collections.record(prefix, viewset)

    def get_urls(self) -> list[URLPattern]:
        exports = [
            path(
                f"export/{prefix}/",
                ExportView.of(prefix, viewset).as_view(),
                name=f"export-{prefix}",
            )
            for prefix, viewset, _basename in self.registry
        ]
        return [*super().get_urls(), *exports]
