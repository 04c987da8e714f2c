from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ORDER_VAR
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from knox.models import AuthToken

from tracker.admin import ChildRowAdmin, LockedParentInlineMixin, RecordAdmin
from tracker.workflow import WorkflowError

from .merging import merge_people
from .models import Membership, Organisation, OrganisationName, Person, PersonName
from .tokens import TokenAdmin


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
        """The closest spelling first, unless the list is sorted by a column."""
        if not search_term.strip():
            return queryset, False
        matched = queryset.matching(search_term)
        if request.GET.get(ORDER_VAR):
            matched = matched.order_by(*queryset.query.order_by)
        return matched, False


class OrganisationNameInline(LockedParentInlineMixin, admin.TabularInline):
    model = OrganisationName
    extra = 1
    verbose_name = _("other name")
    verbose_name_plural = _("other names and spellings")


class PersonNameInline(LockedParentInlineMixin, admin.TabularInline):
    model = PersonName
    extra = 1
    verbose_name = _("other name")
    verbose_name_plural = _("other names and spellings")


class PersonMembershipInline(LockedParentInlineMixin, admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("organisation",)


class OrganisationMembershipInline(LockedParentInlineMixin, admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("person",)


class MergeForm(forms.Form):
    keep = forms.ModelChoiceField(
        label=_("Keep this record; the other one is folded into it"),
        queryset=Person.objects.none(),
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea)

    def __init__(self, *args, people, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["keep"].queryset = people


@admin.register(Organisation)
class OrganisationAdmin(NameSearchMixin, RecordAdmin):
    list_display = ("name", "kind", "is_state_actor", "legal_status", "parent", "status")
    list_filter = ("status", "visibility", "kind", "is_state_actor", "legal_status", "country")
    list_select_related = ("parent",)
    autocomplete_fields = ("parent",)
    inlines = (
        OrganisationNameInline,
        OrganisationMembershipInline,
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
    inlines = (PersonNameInline, PersonMembershipInline)
    actions = (*RecordAdmin.actions, "merge_selected")
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

    def has_merge_permission(self, request) -> bool:
        return request.user.has_perm("tracker.merge_people")

    @admin.action(description=_("Merge the two selected people"), permissions=("merge",))
    def merge_selected(self, request, queryset):
        people = list(queryset[:3])
        if len(people) != 2:
            messages.error(request, _("Select exactly two people to merge."))
            return None
        form = MergeForm(request.POST if "apply" in request.POST else None, people=queryset)
        if not form.is_valid():
            return self.intermediate_page(request, queryset, "merge_selected", form)
        keep = form.cleaned_data["keep"]
        duplicate = next(person for person in people if person.pk != keep.pk)
        try:
            merge_people(
                keep=keep, duplicate=duplicate, by=request.user, reason=form.cleaned_data["reason"]
            )
        except WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Merged into %(name)s.") % {"name": keep})
        return None


@admin.register(Membership)
class MembershipAdmin(ChildRowAdmin):
    list_display = ("person", "role", "organisation", "start_date", "end_date")
    list_filter = ("role",)
    list_select_related = ("person", "organisation")
    autocomplete_fields = ("person", "organisation")
    search_fields = ("person__name",)  # turns the search box on; the lookup itself is below
    show_full_result_count = False

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        people = Person.objects.matching(search_term)
        organisations = Organisation.objects.matching(search_term)
        return queryset.filter(Q(person__in=people) | Q(organisation__in=organisations)), False


@admin.register(PersonName)
class PersonNameAdmin(ChildRowAdmin):
    list_display = ("name", "language", "person")
    list_filter = ("language",)
    list_select_related = ("person",)
    autocomplete_fields = ("person",)
    search_fields = ("name",)  # turns the search box on; the lookup itself is below

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return queryset.filter(person__in=Person.objects.matching(search_term)), False


@admin.register(OrganisationName)
class OrganisationNameAdmin(ChildRowAdmin):
    list_display = ("name", "language", "organisation")
    list_filter = ("language",)
    list_select_related = ("organisation",)
    autocomplete_fields = ("organisation",)
    search_fields = ("name",)  # turns the search box on; the lookup itself is below

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return queryset.filter(organisation__in=Organisation.objects.matching(search_term)), False


admin.site.unregister(AuthToken)
admin.site.register(AuthToken, TokenAdmin)
