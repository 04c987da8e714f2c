from django.conf import settings
from django.contrib import admin
from django.urls import path

from incidents import views as incident_views
from incidents.admin import review_queue
from incidents.files import source_file
from tracker import api

urlpatterns = [
    path("admin/review-queue/", admin.site.admin_view(review_queue), name="review_queue"),
    path("admin/", admin.site.urls),
    # Uploaded files are not static: each download goes through the staff-only check.
    path(f"{settings.MEDIA_URL.strip('/')}/<path:name>", source_file, name="source-file"),
    path("reports/<str:day>/", incident_views.report_file, name="nightly-report"),
    path("reports/<str:day>/<str:name>", incident_views.report_file, name="nightly-report-file"),
    *api.urlpatterns(),
]
