import json

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ORDER_VAR
from django.db.models import Q
from django.http import HttpRequest, JsonResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from knox.models import AuthToken

from tracker import names
from tracker.admin import ChildRowAdmin, LockedParentInlineMixin, RecordAdmin, RecordForm
from tracker.workflow import CHANGE_REASON_LENGTH, WorkflowError

from .merging import merge_people
from .models import Membership, Organisation, OrganisationName, Person, PersonName
from .tokens import TokenAdmin


class NameSearchMixin:
    """Search by any name in any script; show records that may be the same one."""

    search_fields = ("name",)  # turns the search box on; the lookup itself is below

    def get_readonly_fields(self, request, obj=None):
        return ("possible_duplicates", *super().get_readonly_fields(request, obj))

    def get_fieldsets(self, request, obj=None):
        """A new record has no duplicates yet (a person's add form warns while typing)."""
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None:
            return fieldsets
        return [
            (name, {**opts, "fields": [f for f in opts["fields"] if f != "possible_duplicates"]})
            for name, opts in fieldsets
        ]

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

    def extra_search_q(self, search_term: str) -> Q:
        """What else a search matches besides the names (a person's pseudonym)."""
        return Q()

    def get_search_results(self, request, queryset, search_term):
        """The closest spelling first, unless the list is sorted by a column."""
        if not search_term.strip():
            return queryset, False
        condition = names.search_q(search_term) | self.extra_search_q(search_term)
        matched = queryset.filter(condition).ranked_by(search_term)
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


# Functions that apps above add (``add_last_events``): given people, each one's latest event
# as a phrase ({person id: "detained 14 July 2021, Minsk"}), for the duplicate warning.
LAST_EVENTS: list = []
SIMILAR_LIMIT = 5


def add_last_events(function) -> None:
    LAST_EVENTS.append(function)


# What the duplicate warning's script shows (translated here: the script has no catalogue).
WARNING_TEXTS = {
    "title": _("Already recorded? People with a name like this one:"),
    "other_names": _("other names"),
    "last_event": _("last event"),
    "none": _("nothing recorded yet"),
    "use": _("Use this person"),
    "someone_else": _("It is someone else"),
    "noted": _("Noted: someone else. This is recorded in the history when you save."),
    "open": _("open in a new tab"),
}


class PersonForm(RecordForm):
    # The candidates the duplicate warning showed and the user said are someone else.
    not_duplicate_of = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_not_duplicate_of(self) -> list[int]:
        value = self.cleaned_data["not_duplicate_of"]
        return [int(pk) for pk in value.split(",") if pk.strip().isdigit()]


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
    list_display = ("name", "kind", "is_state_actor", "legal_status", "status", "visibility")
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
    form = PersonForm
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

    def extra_search_q(self, search_term: str) -> Q:
        return Q(pseudonym__icontains=search_term.strip())

    class Media:
        js = ["organisations/duplicate_warning.js"]
        css = {"all": ["organisations/duplicate_warning.css"]}

    def get_urls(self):
        similar = path(
            "similar/",
            self.admin_site.admin_view(self.similar_view),
            name="organisations_person_similar",
        )
        return [similar, *super().get_urls()]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None:
            return fieldsets
        return [*fieldsets, (None, {"fields": ("not_duplicate_of",), "classes": ("hidden",)})]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if obj is None and "name" in form.base_fields:
            # The duplicate warning asks this address while the name is typed.
            attrs = form.base_fields["name"].widget.attrs
            attrs["data-similar-url"] = reverse("admin:organisations_person_similar")
            attrs["data-similar-texts"] = json.dumps({k: str(v) for k, v in WARNING_TEXTS.items()})
            attrs["autocomplete"] = "off"
        return form

    def save_model(self, request, obj, form, change) -> None:
        checked = form.cleaned_data.get("not_duplicate_of") or []
        if not change and checked:
            others = Person.objects.filter(pk__in=checked).order_by("pk")
            note = _("Checked: not the same person as %(people)s") % {
                "people": ", ".join(f"#{p.pk} {p.name}" for p in others)
            }
            obj._change_reason = note[:CHANGE_REASON_LENGTH]
        super().save_model(request, obj, form, change)

    def similar_view(self, request: HttpRequest) -> JsonResponse:
        """People recorded under a name like ``?name=`` in any script, for the add form."""
        if not self.has_view_permission(request):
            return JsonResponse({"error": str(_("Not allowed."))}, status=403)
        name = request.GET.get("name", "").strip()[:200]
        if len(name) < 3:
            return JsonResponse({"candidates": []})
        people = list(Person.objects.matching(name).prefetch_related("other_names")[:SIMILAR_LIMIT])
        events: dict[int, str] = {}
        for last_events in LAST_EVENTS:
            for pk, event in last_events(request, [p.pk for p in people]).items():
                events.setdefault(pk, event)
        candidates = [
            {
                "id": person.pk,
                "name": person.name,
                "other_names": [other.name for other in person.other_names.all()],
                "last_event": events.get(person.pk, ""),
                "status": str(person.get_status_display()),
                "url": reverse("admin:organisations_person_change", args=[person.pk]),
            }
            for person in people
        ]
        return JsonResponse({"candidates": candidates})

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
