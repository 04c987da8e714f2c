"""The project's URLs: the admin, each app's pages and the API under ``/api/v1/``.

The order of the API includes is the order of the collections at the API root.
"""

from django.contrib import admin
from django.urls import include, path, re_path

from tracker.api.views import NotFoundView
from tracker.language import set_language
from tracker.review_queue import publish_together, review_queue

api = [
    path("", include("tracker.api.urls")),
    path("", include("organisations.api.urls")),
    path("", include("incidents.api.urls")),
    # Last: any other path under /api/v1/ is a JSON 404. Only paths ending in a slash, so
    # that APPEND_SLASH still redirects /api/v1/raids to /api/v1/raids/.
    re_path(r"^.*/$", NotFoundView.as_view(), name="not-found"),
]

urlpatterns = [
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/review-queue/", admin.site.admin_view(review_queue), name="review_queue"),
    path(
        "admin/review-queue/publish/",
        admin.site.admin_view(publish_together),
        name="review_queue_publish",
    ),
    path("admin/", admin.site.urls),
    path("", include("incidents.urls")),
    path("api/v1/", include((api, "api"))),
]
