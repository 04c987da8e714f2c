from django.conf import settings
from django.contrib import admin
from django.urls import path

from incidents.files import source_file
from tracker import api

urlpatterns = [
    path("admin/", admin.site.urls),
    # Uploaded files are not static: each download goes through the staff-only check.
    path(f"{settings.MEDIA_URL.strip('/')}/<path:name>", source_file, name="source-file"),
    *api.urlpatterns(),
]
