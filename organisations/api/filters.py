"""Query parameters of the ``organisations`` and ``people`` collections."""

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from organisations.models import Membership, Organisation, Person
from tracker import names
from tracker.api.filters import BooleanFilter, IdFilter, RecordFilterSet

from .serializers import public_name_q


def matching_people(viewer, query: str) -> QuerySet:
    """The people ``viewer`` may see whose public name matches ``query``, unranked.

    The one way other collections' filters reach the name search (the trigram indexes on
    the search key and on the pseudonym answer it).
    """
    return Person.objects.visible_to(viewer).filter(public_name_q(query))


def matching_organisations(viewer, query: str) -> QuerySet:
    """The organisations ``viewer`` may see with a name matching ``query``, unranked."""
    return Organisation.objects.visible_to(viewer).filter(names.search_q(query))


Q_HELP = _("Any name, in any script or spelling (Бяляцкі finds Bialiatski).")


class OrganisationFilter(RecordFilterSet):
    q = django_filters.CharFilter(method="filter_q", help_text=Q_HELP)
    kind = django_filters.ChoiceFilter(choices=Organisation.Kind.choices)
    is_state_actor = BooleanFilter()

    class Meta:
        model = Organisation
        fields: list[str] = []

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.matching(value)


class PersonFilter(RecordFilterSet):
    q = django_filters.CharFilter(
        method="filter_q",
        help_text=_("A name in any script; people who may not be named match by pseudonym."),
    )
    organisation = IdFilter(
        method="filter_organisation",
        help_text=_("Members of this organisation (id) who may be named."),
    )

    class Meta:
        model = Person
        fields: list[str] = []

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(public_name_q(value))

    def filter_organisation(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        organisations = Organisation.objects.visible_to(self.viewer).filter(pk=value)
        # Membership of a person who may not be named is not published, not even by a match.
        members = Membership.objects.filter(
            organisation__in=organisations, person__may_be_named=True
        )
        return queryset.filter(pk__in=members.values("person_id"))
