from django.contrib import admin
from django.urls import path

from incidents.admin import review_queue

urlpatterns = [
    path("admin/review-queue/", admin.site.admin_view(review_queue), name="review_queue"),
    path("admin/", admin.site.urls),
]
