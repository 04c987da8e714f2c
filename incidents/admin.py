import datetime

from csp.decorators import csp_update
from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.forms import Textarea, TextInput
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from incidents.involvement import any_of, ids_of, involving, raids_linked
from organisations.admin import add_last_events
from organisations.models import Organisation, Person
from tracker import names
from tracker.admin import (
    ChildRowAdmin,
    LockedParentInlineMixin,
    ReadOnlyAdmin,
    RecordAdmin,
    TypedInputMixin,
    add_inline,
    add_panel,
)
from tracker.dates import DatePrecision, searched_period
from tracker.places import Region

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


def search_with_names(admin_class, request, queryset, search_term: str):
    """The search fields' matches plus the incidents naming a person of that name (raids:
    or targeting an organisation of that name; detentions: or held at a place of that name):
    one subquery of ids (``UNION ALL``), each
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
        held_at = CustodyStay.objects.filter(place__name__icontains=search_term.strip())
        by_name = [*involving(Detention, people=people), held_at.values("detention_id")]
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
    """A detention entered on its raid's page; a decided one is changed on its own page.

    The place of custody and the whereabouts are the detention's open stay and latest
    whereabouts fact: a change here adds a stay (a transfer) or a fact from today, a new
    detention's from its date. Stays, facts and hearings in full are on its own page.
    """

    custody_place = forms.CharField(label=_("place of custody"), max_length=300, required=False)
    whereabouts_known = forms.BooleanField(
        label=_("whereabouts known"), required=False, initial=True
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:  # the inline's queryset prefetches both
            stays = list(self.instance.stays.all())
            facts = list(self.instance.custody_facts.all())
            self.fields["custody_place"].initial = stays[0].place.name if stays else ""
            self.fields["whereabouts_known"].initial = not (
                facts and facts[0].state in CustodyFact.WHEREABOUTS_MISSING
            )

    def record_custody(self, detention: Detention, *, new: bool) -> None:
        """Write a changed place as a new stay and a changed whereabouts as a new fact."""
        if new:  # what the row says from the detention's day; a later change from today
            since, precision = detention.date, detention.date_precision
        else:
            since, precision = timezone.localdate(), DatePrecision.DAY
        name = self.cleaned_data.get("custody_place", "").strip()
        if name and "custody_place" in self.changed_data:
            place, _created = PlaceOfCustody.objects.get_or_create(name=name)
            detention.stays.create(place=place, since=since, since_precision=precision)
            custody.settle_stays(detention)
        if "whereabouts_known" in self.changed_data:
            known = self.cleaned_data.get("whereabouts_known")
            detention.custody_facts.create(
                aspect=CustodyFact.Aspect.WHEREABOUTS,
                state=CustodyFact.State.KNOWN if known else CustodyFact.State.UNKNOWN,
                since=since,
                since_precision=precision,
            )

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

    # Shown in place of the form's fields once the raid is decided (read-only).
    @admin.display(description=_("place of custody"))
    def custody_place(self, detention: Detention) -> str:
        stays = list(detention.stays.all())  # the open stay, prefetched
        return stays[0].place.name if stays else "—"

    @admin.display(description=_("whereabouts known"), boolean=True)
    def whereabouts_known(self, detention: Detention) -> bool:
        facts = list(detention.custody_facts.all())  # the latest first, prefetched
        return not (facts and facts[0].state in CustodyFact.WHEREABOUTS_MISSING)

    def get_queryset(self, request):
        open_stays = CustodyStay.objects.filter(until=None).select_related("place")
        whereabouts = CustodyFact.objects.filter(aspect=CustodyFact.Aspect.WHEREABOUTS)
        return (
            super()
            .get_queryset(request)
            .select_related("person", "authority")
            .prefetch_related(
                models.Prefetch("stays", queryset=open_stays.order_by("-since", "-id")),
                models.Prefetch("custody_facts", queryset=whereabouts.order_by("-since", "-id")),
            )
        )


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
        # A count per row shown, not a GROUP BY over every raid before the page is cut.
        items = (
            SeizedItem.objects.filter(raid=OuterRef("pk"))
            .order_by()
            .values("raid")
            .annotate(n=Count("pk"))
            .values("n")
        )
        raids = super().get_queryset(request).for_listing()
        return raids.annotate(item_count=Coalesce(Subquery(items), 0))

    def save_formset(self, request, form, formset, change) -> None:
        """Detentions entered on the raid's page: stamped, and placed where the raid was."""
        if formset.model is not Detention:
            return super().save_formset(request, form, formset, change)
        raid = form.instance
        new = set()
        for detention in formset.save(commit=False):
            if detention.pk is None:
                new.add(id(detention))
                detention.created_by = request.user
                if not detention.settlement and detention.region == Region.UNKNOWN:
                    detention.settlement, detention.region = raid.settlement, raid.region
            detention.updated_by = request.user
            detention.save()
        formset.save_m2m()
        for row in formset.forms:
            if row.instance.pk and row.has_changed():
                row.record_custody(row.instance, new=id(row.instance) in new)
        return None

    @admin.display(description=_("targets"))
    def targets(self, raid: Raid) -> str:
        return ", ".join(raid.target_names()) or "—"

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
        "place",
        "whereabouts",
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
        "recognised_political_prisoner",
        "region",
        "date",
    )
    list_select_related = ("person",)
    date_hierarchy = "date"
    search_fields = ("settlement",)
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

    def get_queryset(self, request):
        return super().get_queryset(request).with_whereabouts()

    @admin.display(description=_("whereabouts"))
    def whereabouts(self, detention: Detention) -> str:
        if detention.whereabouts is None:
            return "—"
        return CustodyFact.State(detention.whereabouts).label

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
        {
            "date": d.date,
            "when": d.when,
            "kind": _("detention"),
            "record": d,
            "missing": d.whereabouts in CustodyFact.WHEREABOUTS_MISSING,
        }
        for d in person.detentions.with_whereabouts().select_related("person")
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
        detentions = Detention.objects.filter(person_id__in=person_ids).order_by("-date", "-id")
        for d in detentions:
            if d.person_id in latest:
                continue
            phrase = _("detained %(when)s, %(place)s") % {
                "when": d.when_in_words,
                "place": d.place_label,
            }
            latest[d.person_id] = (d.date, phrase)
    if request.user.has_perm("incidents.view_raid"):
        targeted = (
            Raid.target_people.through.objects.filter(person_id__in=person_ids)
            .order_by("-raid__date", "-raid_id")
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
