from django.contrib import admin
from django.urls import path

from incidents import views as incident_views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("reports/<str:day>/", incident_views.report_file, name="nightly-report"),
    path("reports/<str:day>/<str:name>", incident_views.report_file, name="nightly-report-file"),
]
