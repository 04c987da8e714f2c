"""Admin building blocks shared by every reviewed record."""

from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

RECORD_FIELDS = ("status", "status_reason", "visibility")
RECORD_META_FIELDS = ("version", "created_by", "created_at", "updated_by", "updated_at")


class RecordAdmin(SimpleHistoryAdmin):
    """Stamps authorship, keeps changelists cheap on large tables."""

    readonly_fields = RECORD_META_FIELDS
    list_per_page = 50
    show_full_result_count = False
    review_fieldsets = (
        (_("Review"), {"fields": RECORD_FIELDS}),
        (_("Record"), {"fields": RECORD_META_FIELDS, "classes": ("collapse",)}),
    )

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
