"""The API's own paths under ``/api/v1/``; each app's ``api/urls.py`` adds its collections
and their exports."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from tracker.api.dumps import DumpFileView, DumpManifestView
from tracker.api.views import DeletionViewSet, RootView

urlpatterns = [
    path("", RootView.as_view(), name="root"),
    path("deletions/", DeletionViewSet.as_view({"get": "list"}), name="deletions"),
    path("dumps/", DumpManifestView.as_view(), name="dumps"),
    # Any integer id, so that a negative or huge one answers the API's JSON 404 too.
    re_path(
        r"^dumps/(?P<pk>-?[0-9]+)/(?P<filename>[^/]+)$", DumpFileView.as_view(), name="dump-file"
    ),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]
