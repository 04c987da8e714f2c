"""The API's own paths under ``/api/v1/``; each app's ``api/urls.py`` adds its collections
and their exports."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from tracker.api.views import DeletionViewSet, RootView

urlpatterns = [
    path("", RootView.as_view(), name="root"),
    path("deletions/", DeletionViewSet.as_view({"get": "list"}), name="deletions"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]
