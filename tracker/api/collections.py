"""The API's collections: each app's ``api/urls.py`` routes its own through ``CollectionRouter``.

The router also records each collection here, in the order ``tracker/urls.py`` includes the
apps' URLs, so that the API root, the bulk export and the deletions feed serve every
collection without knowing the apps.
"""

from django.urls import get_resolver
from rest_framework.routers import SimpleRouter
from rest_framework.viewsets import GenericViewSet

_views: dict[str, type[GenericViewSet]] = {}


class CollectionRouter(SimpleRouter):
    """Routes ``<name>/`` and ``<name>/<id>/`` to a collection's view, and records it."""

    def register(self, prefix: str, viewset, basename: str | None = None) -> None:
        super().register(prefix, viewset, basename=basename or prefix)
        _views[prefix] = viewset


def views() -> dict[str, type[GenericViewSet]]:
    """Every collection's view by name, in the order of the API root."""
    get_resolver().url_patterns  # noqa: B018  (loads the URLs, which register the collections)
    return dict(_views)


def record_kinds() -> list[str]:
    """The kinds of record the collections serve (``raid``, ``person``...), each once."""
    return list(dict.fromkeys(view.model._meta.model_name for view in views().values()))
