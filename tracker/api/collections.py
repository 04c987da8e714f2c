"""The API's collections, recorded by ``routers.CollectionRouter`` as each app routes its own.

They are recorded in the order ``tracker/urls.py`` includes the apps' URLs, so that the API
root, the bulk export and the deletions feed serve every collection without knowing the apps.
"""

from django.urls import get_resolver
from rest_framework.viewsets import GenericViewSet

_views: dict[str, type[GenericViewSet]] = {}


def record(name: str, view: type[GenericViewSet]) -> None:
    _views[name] = view


def views() -> dict[str, type[GenericViewSet]]:
    """Every collection's view by name, in the order of the API root."""
    get_resolver().url_patterns  # noqa: B018  (loads the URLs, which register the collections)
    return dict(_views)


def record_kinds() -> list[str]:
    """The kinds of record the collections serve (``raid``, ``person``...), each once."""
    return list(dict.fromkeys(view.model._meta.model_name for view in views().values()))
