import datetime

from csp.decorators import csp_update
from django.contrib import admin
from django.db import models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.forms import Textarea
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from incidents.involvement import any_of, ids_of, involving, raids_linked
from organisations.models import Organisation, Person
from tracker import names
from tracker.admin import (
    ChildRowAdmin,
    LockedParentInlineMixin,
    ReadOnlyAdmin,
    RecordAdmin,
    TypedInputMixin,
    add_inline,
)

from . import custody
from .models import (
    Charge,
    CustodyFact,
    CustodyStay,
    Detention,
    Follow,
    Hearing,
    NightlyReport,
    Notice,
    PlaceOfCustody,
    Raid,
    SeizedItem,
    Sentence,
    Source,
    SourceLink,
)

PLACE_FIELDS = (("settlement", "region"), ("latitude", "longitude"))


def source_link_inline(target: str) -> type[admin.TabularInline]:
    """An inline of the sources supporting one kind of record, with their quotes."""
    return type(
        f"{target.title()}SourceLinkInline",
        (LockedParentInlineMixin, admin.TabularInline),
        {
            "model": SourceLink,
            "fk_name": target,
            "fields": ("source", "quote"),
            "autocomplete_fields": ("source",),
            "extra": 1,
            "verbose_name": _("source"),
            "verbose_name_plural": _("sources"),
            "formfield_overrides": {
                models.TextField: {"widget": Textarea(attrs={"rows": 2, "cols": 60})}
            },
        },
    )


class SeizedItemInline(LockedParentInlineMixin, admin.TabularInline):
    model = SeizedItem
    extra = 1


class ChargeInline(LockedParentInlineMixin, admin.TabularInline):
    model = Charge
    extra = 1


class SentenceInline(LockedParentInlineMixin, admin.StackedInline):
    model = Sentence
    extra = 0
    max_num = 1


def search_with_names(admin_class, request, queryset, search_term: str):
    """The search fields' matches plus the incidents naming a person of that name (raids:
    or targeting an organisation of that name): one subquery of ids (``UNION ALL``), each
    part read from its own index, rather than an OR over every incident."""
    by_fields, duplicates = admin_class.get_search_results(request, queryset, search_term)
    if not search_term.strip():
        return by_fields, duplicates
    people = ids_of(Person.objects.filter(names.search_q(search_term)))
    if queryset.model is Raid:
        named = ids_of(Organisation.objects.filter(names.search_q(search_term)))
        by_name = [
            raids_linked("target_people", people),
            raids_linked("target_organisations", named),
        ]
    else:
        by_name = involving(Detention, people=people)
    return queryset.filter(pk__in=any_of(by_fields.values("pk"), *by_name)), duplicates


class PartialDatesInline(LockedParentInlineMixin, admin.TabularInline):
    """Read-only, a row's partial dates read as far as they are known ("July 2021")."""

    dated_fields: tuple[str, ...] = ()

    def get_fields(self, request, obj=None):
        if self.has_change_permission(request, obj):
            return self.fields
        return [f for f in self.fields if f not in self.dated_fields] + ["when"]

    def get_readonly_fields(self, request, obj=None):
        return ("when",)

    @admin.display(description=_("date"))
    def when(self, row: CustodyStay | CustodyFact) -> str:
        return row.when


class CustodyStayInline(PartialDatesInline):
    model = CustodyStay
    fields = ("place", "since", "since_precision", "until", "until_precision")
    dated_fields = ("since", "since_precision", "until", "until_precision")
    autocomplete_fields = ("place",)
    extra = 0
    verbose_name_plural = _("stays in custody (a transfer is a new stay)")


class CustodyFactInline(PartialDatesInline):
    model = CustodyFact
    fields = ("aspect", "state", "since", "since_precision", "source", "note")
    dated_fields = ("since", "since_precision")
    autocomplete_fields = ("source",)
    extra = 0


class HearingInline(LockedParentInlineMixin, admin.TabularInline):
    model = Hearing
    fields = ("starts_at", "court", "kind", "outcome")
    extra = 0


class IncidentAdmin(RecordAdmin):
    """Raids and detentions: a date is shown as far as it is known ("July 2021")."""

    @admin.display(description=_("date"), ordering="date")
    def when(self, incident: Raid | Detention) -> str:
        return incident.when

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        # Read-only, the stored 1st of a month would read as a known day.
        date = ("date", "date_precision")
        return [
            (name, {**options, "fields": ["when" if f == date else f for f in options["fields"]]})
            for name, options in fieldsets
        ]


@admin.register(Raid)
class RaidAdmin(IncidentAdmin):
    list_display = (
        "when",
        "settlement",
        "region",
        "premises_type",
        "item_count",
        "status",
        "visibility",
    )
    list_filter = ("status", "visibility", "premises_type", "region", "date_precision", "date")
    date_hierarchy = "date"
    search_fields = ("settlement", "case_reference")
    autocomplete_fields = ("target_organisations", "target_people", "perpetrators")
    inlines = (SeizedItemInline, source_link_inline("raid"))
    fieldsets = (
        (None, {"fields": (("date", "date_precision"), *PLACE_FIELDS, "premises_type")}),
        (_("Who"), {"fields": ("target_organisations", "target_people", "perpetrators")}),
        (_("Case"), {"fields": ("case_reference", "narrative")}),
        *RecordAdmin.review_fieldsets,
    )

    def get_queryset(self, request):
        # A count per row shown, not a GROUP BY over every raid before the page is cut.
        items = (
            SeizedItem.objects.filter(raid=OuterRef("pk"))
            .order_by()
            .values("raid")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return super().get_queryset(request).annotate(item_count=Coalesce(Subquery(items), 0))

    @admin.display(description=_("seized items"), ordering="item_count")
    def item_count(self, raid: Raid) -> int:
        return raid.item_count

    def get_search_results(self, request, queryset, search_term):
        return search_with_names(super(), request, queryset, search_term)


@admin.register(Detention)
class DetentionAdmin(IncidentAdmin):
    list_display = (
        "person",
        "when",
        "settlement",
        "region",
        "legal_track",
        "outcome",
        "release_date",
        "status",
        "visibility",
    )
    list_filter = (
        "status",
        "visibility",
        "outcome",
        "legal_track",
        "recognised_political_prisoner",
        "region",
        "date",
    )
    list_select_related = ("person",)
    date_hierarchy = "date"
    search_fields = ("settlement", "stays__place__name")
    autocomplete_fields = ("person", "authority", "raid")
    inlines = (
        CustodyStayInline,
        CustodyFactInline,
        HearingInline,
        ChargeInline,
        SentenceInline,
        source_link_inline("detention"),
    )
    fieldsets = (
        (None, {"fields": ("person", ("date", "date_precision"), *PLACE_FIELDS)}),
        (
            _("Custody"),
            {
                "fields": (
                    "authority",
                    "raid",
                    "legal_track",
                    "outcome",
                    "release_date",
                )
            },
        ),
        (
            _("Political prisoner"),
            {"fields": ("recognised_political_prisoner", "recognised_by", "recognised_on")},
        ),
        *RecordAdmin.review_fieldsets,
    )

    def get_search_results(self, request, queryset, search_term):
        return search_with_names(super(), request, queryset, search_term)

    def save_related(self, request, form, formsets, change) -> None:
        """A new stay closes the one before it (a transfer); the release closes the last."""
        super().save_related(request, form, formsets, change)
        custody.settle_stays(form.instance)


@admin.register(PlaceOfCustody)
class PlaceOfCustodyAdmin(TypedInputMixin, SimpleHistoryAdmin):
    """The list of places of custody that stays name; kept by staff."""

    list_display = ("name", "kind", "region", "is_confidential", "held_now")
    list_filter = ("kind", "region", "is_confidential")
    search_fields = ("name",)

    def get_queryset(self, request):
        held = Count(
            "stays", filter=models.Q(stays__until=None, stays__detention__release_date=None)
        )
        return super().get_queryset(request).annotate(held_now=held)

    @admin.display(description=_("held there now"), ordering="held_now")
    def held_now(self, place: PlaceOfCustody) -> int:
        return place.held_now

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser and super().has_delete_permission(request, obj)


class ComingFilter(admin.SimpleListFilter):
    title = _("when")
    parameter_name = "when"

    def lookups(self, request, model_admin):
        return (("7", _("next 7 days")), ("30", _("next 30 days")), ("past", _("past")))

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "past":
            return queryset.filter(starts_at__lt=now).order_by("-starts_at")
        if self.value() in ("7", "30"):
            ahead = now + datetime.timedelta(days=int(self.value()))
            return queryset.filter(starts_at__gte=now, starts_at__lt=ahead)
        return queryset


@admin.register(Hearing)
class HearingAdmin(ChildRowAdmin):
    """The calendar of hearings: coming ones by day; edited on the detention's page."""

    list_display = ("starts_at", "kind", "court", "detention", "outcome")
    list_filter = (ComingFilter, "kind")
    list_select_related = ("detention__person",)
    date_hierarchy = "starts_at"
    search_fields = ("court", "outcome")
    show_full_result_count = False


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    """What each staff member follows; each sees and edits their own."""

    list_display = ("__str__", "user")
    fields = ("person", "organisation", "region", "everything_urgent")
    autocomplete_fields = ("person", "organisation")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(user=request.user)
            .select_related("person", "organisation", "user")
        )

    def save_model(self, request, obj, form, change) -> None:
        obj.user = request.user
        super().save_model(request, obj, form, change)


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    """A staff member's own notices of custody events."""

    list_display = ("created_at", "event", "sent_at", "read_at")
    list_select_related = ("event",)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(user=request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_staff


@admin.register(Source)
class SourceAdmin(RecordAdmin):
    list_display = ("title", "kind", "publisher", "published_on", "reliability", "status")
    list_filter = ("status", "visibility", "kind", "reliability", "published_on")
    date_hierarchy = "published_on"
    search_fields = ("title", "publisher", "url")
    readonly_fields = ("sha256", *RecordAdmin.readonly_fields)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "kind",
                    "title",
                    "publisher",
                    "url",
                    "published_on",
                    "reliability",
                    ("file", "sha256"),
                )
            },
        ),
        *RecordAdmin.review_fieldsets,
    )


@admin.register(SourceLink)
class SourceLinkAdmin(ChildRowAdmin):
    list_display = ("source", "raid", "detention", "person", "organisation")
    list_select_related = ("source", "raid", "detention__person", "person", "organisation")
    autocomplete_fields = ("source", "raid", "detention", "person", "organisation")
    search_fields = ("source__title", "quote")
    show_full_result_count = False


@admin.register(SeizedItem)
class SeizedItemAdmin(ChildRowAdmin):
    list_display = ("__str__", "raid", "description")
    list_filter = ("kind",)
    list_select_related = ("raid",)
    autocomplete_fields = ("raid",)
    show_full_result_count = False


@admin.register(Charge)
class ChargeAdmin(ChildRowAdmin):
    list_display = ("code_article", "text", "detention")
    list_select_related = ("detention__person",)
    autocomplete_fields = ("detention",)
    search_fields = ("code_article", "text")
    show_full_result_count = False


@admin.register(Sentence)
class SentenceAdmin(ChildRowAdmin):
    list_display = ("detention", "court", "date", "kind", "term_display")
    list_filter = ("kind",)
    list_select_related = ("detention__person",)
    autocomplete_fields = ("detention",)
    show_full_result_count = False


@admin.register(NightlyReport)
class NightlyReportAdmin(admin.ModelAdmin):
    """Read-only: reports are made by the nightly job or ``manage.py nightly_report``."""

    list_display = ("day", "made_at", "in_custody", "urgent", "new_incidents")
    date_hierarchy = "day"
    fields = ("day", "made_at", "files", "page")
    readonly_fields = fields
    show_full_result_count = False

    class Media:
        css = {"all": ["incidents/nightly_report_admin.css"]}

    @method_decorator(csp_update({"frame-src": ["'self'"]}))
    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The page frames the report (served by ``incidents.views`` from this site)."""
        return super().change_view(request, object_id, form_url, extra_context)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("in custody"))
    def in_custody(self, report: NightlyReport) -> int | None:
        return report.figures.get("custody", {}).get("in_custody")

    @admin.display(description=_("whereabouts unknown > 24 h"))
    def urgent(self, report: NightlyReport) -> int | None:
        return report.figures.get("custody", {}).get("urgent")

    @admin.display(description=_("new raids and detentions"))
    def new_incidents(self, report: NightlyReport) -> int | None:
        changes = report.figures.get("changes")
        return sum(c["new"] for c in changes.values()) if changes else None

    @admin.display(description=_("files"))
    def files(self, report: NightlyReport) -> str:
        if not report.is_complete:
            return _("Not finished yet: the next run of the job completes it.")
        day = report.day.isoformat()
        return format_html_join(
            " · ",
            '<a href="{}">{}</a>',
            (
                (reverse("nightly-report-file", args=[day, name]), name)
                for name in ("report.html", "report.csv", "by-month.svg", "by-region.svg")
            ),
        )

    @admin.display(description=_("report"))
    def page(self, report: NightlyReport) -> str:
        if not report.is_complete:
            return "—"
        return format_html(
            '<iframe class="nightly-report-page" src="{}" title="{}"></iframe>',
            reverse("nightly-report", args=[report.day.isoformat()]),
            report,
        )


# People and organisations cannot name source links (they sit below this app): show the
# sources that support each on their pages from here.
add_inline(Person, source_link_inline("person"))
add_inline(Organisation, source_link_inline("organisation"))
