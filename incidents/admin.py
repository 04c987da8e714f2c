from csp.decorators import csp_update
from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count
from django.forms import Textarea, TextInput
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from organisations.admin import add_last_events
from organisations.models import Organisation, Person
from tracker.admin import (
    ChildRowAdmin,
    LockedParentInlineMixin,
    RecordAdmin,
    add_inline,
    add_panel,
)
from tracker.dates import searched_period
from tracker.places import Region

from .models import (
    Charge,
    Detention,
    NightlyReport,
    Raid,
    SeizedItem,
    Sentence,
    Source,
    SourceLink,
    still_held_q,
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


class InCustodyFilter(admin.SimpleListFilter):
    """The dashboard's rule for "in custody now" (``still_held_q``), as a list filter."""

    title = _("custody")
    parameter_name = "custody"

    def lookups(self, request, model_admin):
        return (("held", _("in custody now")), ("released", _("released")))

    def queryset(self, request, queryset):
        if self.value() == "held":
            return queryset.filter(still_held_q())
        if self.value() == "released":
            return queryset.exclude(still_held_q())
        return queryset


class RaidDetentionForm(forms.ModelForm):
    """A detention entered on its raid's page; a decided one is changed on its own page."""

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.instance.pk and self.instance.is_locked and self.has_changed():
            raise ValidationError(
                _(
                    "This detention is %(status)s: open it to send it back to draft before "
                    "changing it."
                )
                % {"status": self.instance.get_status_display()}
            )
        return cleaned


class RaidDetentionInline(LockedParentInlineMixin, admin.TabularInline):
    """The people detained in the raid, entered and changed on the raid's page."""

    model = Detention
    form = RaidDetentionForm
    fk_name = "raid"
    fields = (
        "person",
        "date",
        "authority",
        "whereabouts_known",
        "custody_place",
        "outcome",
        "visibility",
    )
    autocomplete_fields = ("person", "authority")
    show_change_link = True
    can_delete = False  # a detention leaves through the review workflow, not from here
    verbose_name = _("detention during the raid")
    verbose_name_plural = _("detentions during the raid")
    formfield_overrides = {models.CharField: {"widget": TextInput(attrs={"size": 24})}}

    def get_extra(self, request, obj=None, **kwargs) -> int:
        return 1 if obj is None else 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person", "authority")


class IncidentAdmin(RecordAdmin):
    """Raids and detentions: a date is shown as far as it is known ("July 2021")."""

    @admin.display(description=_("date"), ordering="date")
    def when(self, incident: Raid | Detention) -> str:
        return incident.when

    def get_search_results(self, request, queryset, search_term):
        """Also by date: "2021-07-14", "14.07.2021", "July 2021", "ліпень 2021", "июля 2021"."""
        queryset, duplicates = super().get_search_results(request, queryset, search_term)
        if days := searched_period(search_term):
            queryset |= self.get_queryset(request).filter(date__range=days)
        return queryset, duplicates

    @admin.display(description=_("place"), ordering="settlement")
    def place(self, incident: Raid | Detention) -> str:
        return incident.place_label

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
        "targets",
        "premises_type",
        "place",
        "item_count",
        "status",
        "visibility",
    )
    list_filter = ("status", "visibility", "premises_type", "region", "date_precision", "date")
    date_hierarchy = "date"
    search_fields = ("settlement", "case_reference")
    autocomplete_fields = ("target_organisations", "target_people", "perpetrators")
    inlines = (RaidDetentionInline, SeizedItemInline, source_link_inline("raid"))
    fieldsets = (
        (None, {"fields": (("date", "date_precision"), *PLACE_FIELDS, "premises_type")}),
        (_("Who"), {"fields": ("target_organisations", "target_people", "perpetrators")}),
        (_("Case"), {"fields": ("case_reference", "narrative")}),
        *RecordAdmin.review_fieldsets,
    )

    def get_queryset(self, request):
        raids = super().get_queryset(request).for_listing()
        return raids.annotate(item_count=Count("seized_items"))

    def save_formset(self, request, form, formset, change) -> None:
        """Detentions entered on the raid's page: stamped, and placed where the raid was."""
        if formset.model is not Detention:
            return super().save_formset(request, form, formset, change)
        raid = form.instance
        for detention in formset.save(commit=False):
            if detention.pk is None:
                detention.created_by = request.user
                if not detention.settlement and detention.region == Region.UNKNOWN:
                    detention.settlement, detention.region = raid.settlement, raid.region
            detention.updated_by = request.user
            detention.save()
        formset.save_m2m()
        return None

    @admin.display(description=_("targets"))
    def targets(self, raid: Raid) -> str:
        return ", ".join(raid.target_names()) or "—"

    @admin.display(description=_("seized items"), ordering="item_count")
    def item_count(self, raid: Raid) -> int:
        return raid.item_count

    def get_search_results(self, request, queryset, search_term):
        queryset, duplicates = super().get_search_results(request, queryset, search_term)
        if search_term.strip():
            by_name = Raid.objects.filter(
                models.Q(target_people__in=Person.objects.matching(search_term))
                | models.Q(target_organisations__in=Organisation.objects.matching(search_term))
            )
            queryset |= self.get_queryset(request).filter(pk__in=by_name.values("pk"))
        return queryset, duplicates


@admin.register(Detention)
class DetentionAdmin(IncidentAdmin):
    list_display = (
        "person",
        "when",
        "place",
        "whereabouts_known",
        "outcome",
        "status",
        "visibility",
    )
    list_filter = (
        "status",
        "visibility",
        InCustodyFilter,
        "outcome",
        "legal_track",
        "whereabouts_known",
        "recognised_political_prisoner",
        "region",
        "date",
    )
    list_select_related = ("person",)
    date_hierarchy = "date"
    search_fields = ("settlement", "custody_place")
    autocomplete_fields = ("person", "authority", "raid")
    inlines = (ChargeInline, SentenceInline, source_link_inline("detention"))
    fieldsets = (
        (None, {"fields": ("person", ("date", "date_precision"), *PLACE_FIELDS)}),
        (
            _("Custody"),
            {
                "fields": (
                    "authority",
                    "raid",
                    "whereabouts_known",
                    "custody_place",
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
        queryset, duplicates = super().get_search_results(request, queryset, search_term)
        if search_term.strip():
            queryset |= self.get_queryset(request).filter(
                person__in=Person.objects.matching(search_term)
            )
        return queryset, duplicates


@admin.register(Source)
class SourceAdmin(RecordAdmin):
    list_display = (
        "title",
        "kind",
        "publisher",
        "published_on",
        "grade",
        "status",
        "visibility",
    )
    list_filter = ("status", "visibility", "kind", "reliability", "published_on")
    date_hierarchy = "published_on"

    @admin.display(description=_("reliability"), ordering="reliability")
    def grade(self, source: Source) -> str:
        """The grade alone ("A"), the column being narrow; the filter names each grade."""
        return "?" if source.reliability == Source.Reliability.UNKNOWN else source.reliability

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


class RaidLabelsMixin:
    """Rows that name their raid load the targets its label names, in two queries."""

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related("raid__target_organisations", "raid__target_people")
        )


@admin.register(SourceLink)
class SourceLinkAdmin(RaidLabelsMixin, ChildRowAdmin):
    list_display = ("source", "raid", "detention", "person", "organisation")
    list_select_related = ("source", "raid", "detention__person", "person", "organisation")
    autocomplete_fields = ("source", "raid", "detention", "person", "organisation")
    search_fields = ("source__title", "quote")
    show_full_result_count = False


@admin.register(SeizedItem)
class SeizedItemAdmin(RaidLabelsMixin, ChildRowAdmin):
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
        js = ["incidents/nightly_report_admin.js"]

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


def person_timeline(request, person: Person) -> dict | None:
    """The person's detentions and the raids that targeted them, newest first."""
    if not request.user.has_perm("incidents.view_detention"):
        return None
    events = [
        {"date": d.date, "when": d.when, "kind": _("detention"), "record": d}
        for d in person.detentions.select_related("person")
    ]
    if request.user.has_perm("incidents.view_raid"):
        events += [
            {"date": r.date, "when": r.when, "kind": _("raid"), "record": r}
            for r in person.raids.for_listing()
        ]
    for event in events:
        meta = event["record"]._meta
        event["url"] = reverse(
            f"admin:{meta.app_label}_{meta.model_name}_change", args=[event["record"].pk]
        )
    events.sort(key=lambda e: (e["date"], e["record"].pk), reverse=True)
    return {
        "key": "timeline",
        "title": _("Timeline: detentions and raids"),
        "template": "admin/incidents/person_timeline.html",
        "events": events,
    }


add_panel(Person, person_timeline)


def last_events(request, person_ids: list[int]) -> dict[int, str]:
    """Each person's latest detention or raid, as the duplicate warning shows it."""
    latest: dict[int, tuple] = {}
    if request.user.has_perm("incidents.view_detention"):
        detentions = (
            Detention.objects.filter(person_id__in=person_ids)
            .order_by("person_id", "-date", "-id")
            .distinct("person_id")
        )
        for d in detentions:
            phrase = _("detained %(when)s, %(place)s") % {
                "when": d.when_in_words,
                "place": d.place_label,
            }
            latest[d.person_id] = (d.date, phrase)
    if request.user.has_perm("incidents.view_raid"):
        targeted = (
            Raid.target_people.through.objects.filter(person_id__in=person_ids)
            .order_by("person_id", "-raid__date", "-raid_id")
            .distinct("person_id")
            .select_related("raid")
        )
        for link in targeted:
            if link.person_id not in latest or latest[link.person_id][0] < link.raid.date:
                phrase = _("raid targeting them: %(raid)s") % {"raid": link.raid}
                latest[link.person_id] = (link.raid.date, phrase)
    return {pk: str(phrase) for pk, (_date, phrase) in latest.items()}


add_last_events(last_events)

# People and organisations cannot name source links (they sit below this app): show the
# sources that support each on their pages from here.
add_inline(Person, source_link_inline("person"))
add_inline(Organisation, source_link_inline("organisation"))
