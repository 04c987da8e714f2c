from django.conf import settings
from django.urls import path

from . import views

urlpatterns = [
    # Uploaded files are not static: each download goes through the staff-only check.
    path(f"{settings.MEDIA_URL.strip('/')}/<path:name>", views.source_file, name="source-file"),
    path("reports/<str:day>/", views.report_file, name="nightly-report"),
    path("reports/<str:day>/<str:name>", views.report_file, name="nightly-report-file"),
]
