"""Query parameters of the ``sources``, ``raids``, ``detentions`` and ``incidents`` lists.

One ``IncidentFilter`` serves raids, detentions and both halves of the incident feed: each
method asks which model it filters. Ids of people and organisations match only records the
caller may see, so a hidden record's id behaves like a missing one.
"""

import datetime

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from incidents.involvement import any_of, ids_of, involving
from incidents.models import (
    CustodyStay,
    Detention,
    Hearing,
    PlaceOfCustody,
    Raid,
    Source,
    SourceLink,
    still_held_q,
)
from organisations.api.filters import matching_organisations, matching_people
from organisations.models import Organisation, Person
from tracker.api.filters import BooleanFilter, IdFilter, RecordFilterSet
from tracker.dates import DatePrecision, period
from tracker.formfields import DATE_HINT
from tracker.places import Region

DATE_ERRORS = {"invalid": DATE_HINT}


class IncidentFilter(RecordFilterSet):
    date_from = django_filters.DateFilter(
        method="filter_date_from",
        error_messages=DATE_ERRORS,
        help_text=_("YYYY-MM-DD. Includes a month- or year-precision date whose period ends on "
                    "or after this day."),
    )  # fmt: skip
    date_to = django_filters.DateFilter(
        method="filter_date_to",
        error_messages=DATE_ERRORS,
        help_text=_("YYYY-MM-DD. Includes dates whose period starts on or before this day."),
    )
    region = django_filters.ChoiceFilter(choices=Region.choices, help_text="ISO 3166-2:BY")
    settlement = django_filters.CharFilter(
        field_name="settlement", lookup_expr="iexact", help_text=_("Exact name, any case.")
    )
    organisation = IdFilter(
        method="filter_organisation",
        help_text=_("Organisation id: raids targeting it or carried out by it, detentions by it."),
    )
    person = IdFilter(
        method="filter_person", help_text=_("Person id: raids targeting them, their detentions.")
    )
    in_custody = BooleanFilter(
        method="filter_in_custody",
        help_text=_("true: detentions of people not yet released; false: released. "
                    "Raids never match."),
    )  # fmt: skip
    q = django_filters.CharFilter(
        method="filter_q",
        help_text=_("A name of a person or organisation involved, in any script, or the "
                    "settlement."),
    )  # fmt: skip

    class Meta:
        model = Raid
        fields: list[str] = []

    def is_raid(self, queryset: QuerySet) -> bool:
        return queryset.model is Raid

    def filter_date_from(self, queryset: QuerySet, name: str, value) -> QuerySet:
        whole_period = Q(date__gte=value)
        for precision in (DatePrecision.MONTH, DatePrecision.YEAR):
            start = period(value, precision)[0]
            whole_period |= Q(date_precision=precision, date__gte=start)
        return queryset.filter(whole_period)

    def filter_date_to(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(date__lte=value)  # a partial date is stored as its first day

    def filter_organisation(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        organisations = ids_of(Organisation.objects.visible_to(self.viewer).filter(pk=value))
        return queryset.filter(
            pk__in=any_of(*involving(queryset.model, organisations=organisations))
        )

    def filter_person(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        people = ids_of(Person.objects.visible_to(self.viewer).filter(pk=value))
        return queryset.filter(pk__in=any_of(*involving(queryset.model, people=people)))

    def filter_in_custody(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        if self.is_raid(queryset):
            return queryset.none()
        return queryset.filter(still_held_q() if value else ~still_held_q())

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        people = ids_of(matching_people(self.viewer, value))
        organisations = ids_of(matching_organisations(self.viewer, value))
        by_place = queryset.model.objects.filter(settlement__iexact=value.strip()).values("pk")
        involved = involving(queryset.model, people=people, organisations=organisations)
        return queryset.filter(pk__in=any_of(*involved, by_place))


class RaidFilter(IncidentFilter):
    premises = django_filters.ChoiceFilter(
        field_name="premises_type", choices=Raid.Premises.choices
    )

    class Meta(IncidentFilter.Meta):
        model = Raid


class DetentionFilter(IncidentFilter):
    outcome = django_filters.ChoiceFilter(choices=Detention.Outcome.choices)
    in_custody_on = django_filters.DateFilter(
        method="filter_in_custody_on",
        error_messages=DATE_ERRORS,
        help_text=_("YYYY-MM-DD. People certainly held that day: detained by then (a date "
                    "known to the month counts once the month is over) and not released "
                    "before it."),
    )  # fmt: skip
    custody_place = IdFilter(
        method="filter_custody_place",
        help_text=_("Place of custody id: detentions with a stay there at any time."),
    )
    hearing_from = django_filters.DateFilter(
        method="filter_hearing_from",
        error_messages=DATE_ERRORS,
        help_text=_("YYYY-MM-DD. Detentions with a hearing on or after this day."),
    )
    hearing_to = django_filters.DateFilter(
        method="filter_hearing_to",
        error_messages=DATE_ERRORS,
        help_text=_("YYYY-MM-DD. Detentions with a hearing on or before this day."),
    )

    class Meta(IncidentFilter.Meta):
        model = Detention

    def filter_in_custody_on(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(pk__in=Detention.objects.in_custody_on(value).values("pk"))

    def filter_custody_place(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        places = PlaceOfCustody.objects.filter(pk=value)
        if not self.viewer.sees_everything:
            places = places.filter(is_confidential=False)  # a confidential one matches nothing
        stays = CustodyStay.objects.filter(place__in=places)
        return queryset.filter(pk__in=stays.values("detention_id"))

    def filter_hearing_from(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return self.with_hearing(queryset, value, self.form.cleaned_data.get("hearing_to"))

    def filter_hearing_to(self, queryset: QuerySet, name: str, value) -> QuerySet:
        if self.form.cleaned_data.get("hearing_from"):
            return queryset  # filtered together by filter_hearing_from
        return self.with_hearing(queryset, None, value)

    def with_hearing(self, queryset: QuerySet, first, last) -> QuerySet:
        """Detentions with one hearing between the two days (local time), both included."""
        zone = timezone.get_default_timezone()
        hearings = Hearing.objects.all()
        if first:
            hearings = hearings.filter(
                starts_at__gte=datetime.datetime.combine(first, datetime.time.min, zone)
            )
        if last:
            after = last + datetime.timedelta(days=1)
            hearings = hearings.filter(
                starts_at__lt=datetime.datetime.combine(after, datetime.time.min, zone)
            )
        return queryset.filter(pk__in=hearings.values("detention_id"))


class PoliticalPrisonerFilter(DetentionFilter):
    """The detentions' filters, over people recognised as political prisoners only."""

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        return super().filter_queryset(queryset).filter(recognised_political_prisoner=True)


class IncidentFeedFilter(IncidentFilter):
    kind = django_filters.ChoiceFilter(
        method="filter_kind", choices=[("raid", "raid"), ("detention", "detention")]
    )

    def filter_kind(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset if queryset.model._meta.model_name == value else queryset.none()


class SourceFilter(RecordFilterSet):
    q = django_filters.CharFilter(
        method="filter_q", help_text=_("Words of the title or the publisher.")
    )
    kind = django_filters.ChoiceFilter(choices=Source.Kind.choices)
    date_from = django_filters.DateFilter(
        field_name="published_on",
        lookup_expr="gte",
        help_text=_("Published on or after."),
        error_messages=DATE_ERRORS,
    )
    date_to = django_filters.DateFilter(
        field_name="published_on",
        lookup_expr="lte",
        help_text=_("Published on or before."),
        error_messages=DATE_ERRORS,
    )
    organisation = IdFilter(
        method="filter_organisation", help_text=_("Supports this organisation.")
    )
    person = IdFilter(method="filter_person", help_text=_("Supports this person's record."))

    class Meta:
        model = Source
        fields: list[str] = []

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        for word in value.split():
            queryset = queryset.filter(Q(title__icontains=word) | Q(publisher__icontains=word))
        return queryset

    def filter_organisation(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        organisations = Organisation.objects.visible_to(self.viewer).filter(pk=value)
        links = SourceLink.objects.filter(organisation__in=organisations)
        return queryset.filter(pk__in=links.values("source_id"))

    def filter_person(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        people = Person.objects.visible_to(self.viewer).filter(pk=value)
        return queryset.filter(
            pk__in=SourceLink.objects.filter(person__in=people).values("source_id")
        )
