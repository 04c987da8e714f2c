from django.contrib import admin
from django.urls import path

from tracker import api

urlpatterns = [
    path("admin/", admin.site.urls),
    *api.urlpatterns(),
]
