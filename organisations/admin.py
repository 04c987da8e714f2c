from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from incidents.admin import source_link_inline
from tracker.admin import RecordAdmin

from .models import Membership, Organisation, OrganisationName, Person, PersonName


class NameSearchMixin:
    """Search by any name in any script; show records that may be the same one."""

    search_fields = ("name",)  # turns the search box on; the lookup itself is below

    def get_readonly_fields(self, request, obj=None):
        return ("possible_duplicates", *super().get_readonly_fields(request, obj))

    @admin.display(description=_("possible duplicates"))
    def possible_duplicates(self, obj) -> str:
        if obj is None or obj.pk is None:
            return "—"
        similar = type(obj).objects.similar_to(obj)[:10]
        links = [
            format_html('<a href="{}">{}</a>', reverse(self._change_url_name(), args=[o.pk]), o)
            for o in similar
        ]
        return format_html_join(", ", "{}", ((link,) for link in links)) or "—"

    def _change_url_name(self) -> str:
        meta = self.model._meta
        return f"admin:{meta.app_label}_{meta.model_name}_change"

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return queryset.matching(search_term), False


class OrganisationNameInline(admin.TabularInline):
    model = OrganisationName
    extra = 1
    verbose_name = _("other name")
    verbose_name_plural = _("other names and spellings")


class PersonNameInline(admin.TabularInline):
    model = PersonName
    extra = 1
    verbose_name = _("other name")
    verbose_name_plural = _("other names and spellings")


class PersonMembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("organisation",)


class OrganisationMembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("person",)


@admin.register(Organisation)
class OrganisationAdmin(NameSearchMixin, RecordAdmin):
    list_display = ("name", "kind", "is_state_actor", "legal_status", "parent", "status")
    list_filter = ("status", "visibility", "kind", "is_state_actor", "legal_status", "country")
    list_select_related = ("parent",)
    autocomplete_fields = ("parent",)
    inlines = (
        OrganisationNameInline,
        OrganisationMembershipInline,
        source_link_inline("organisation"),
    )
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "name",
                    "possible_duplicates",
                    "kind",
                    "is_state_actor",
                    "parent",
                    ("country", "city"),
                    ("founded", "founded_precision"),
                    "legal_status",
                    "website",
                    "description",
                )
            },
        ),
        *RecordAdmin.review_fieldsets,
    )


@admin.register(Person)
class PersonAdmin(NameSearchMixin, RecordAdmin):
    list_display = ("name", "pseudonym", "may_be_named", "occupation", "status", "visibility")
    list_filter = ("status", "visibility", "may_be_named", "gender")
    inlines = (PersonNameInline, PersonMembershipInline, source_link_inline("person"))
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "name",
                    "possible_duplicates",
                    ("birth_year", "gender"),
                    "occupation",
                    "home_region",
                )
            },
        ),
        (_("Public output"), {"fields": ("may_be_named", "pseudonym")}),
        (
            _("Confidential (staff only, encrypted)"),
            {"fields": ("confidential_notes", "contact_details")},
        ),
        *RecordAdmin.review_fieldsets,
    )


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("person", "role", "organisation", "start_date", "end_date")
    list_filter = ("role",)
    list_select_related = ("person", "organisation")
    autocomplete_fields = ("person", "organisation")
    search_fields = ("person__name", "organisation__name")
    show_full_result_count = False


@admin.register(PersonName)
class PersonNameAdmin(admin.ModelAdmin):
    list_display = ("name", "language", "person")
    list_filter = ("language",)
    list_select_related = ("person",)
    autocomplete_fields = ("person",)
    search_fields = ("name",)


@admin.register(OrganisationName)
class OrganisationNameAdmin(admin.ModelAdmin):
    list_display = ("name", "language", "organisation")
    list_filter = ("language",)
    list_select_related = ("organisation",)
    autocomplete_fields = ("organisation",)
    search_fields = ("name",)
