"""Minimal valid records; override only what a test is about."""

import datetime

import factory

from incidents.models import (
    CustodyFact,
    Detention,
    PlaceOfCustody,
    Raid,
    SeizedItem,
    Source,
    SourceLink,
)
from organisations.models import Organisation, Person
from tracker.review import Status, Visibility


class RecordFactory(factory.django.DjangoModelFactory):
    status = Status.PUBLISHED
    visibility = Visibility.PUBLIC


class OrganisationFactory(RecordFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = Organisation.Kind.HUMAN_RIGHTS


class PersonFactory(RecordFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Person {n}")
    may_be_named = True


class RaidFactory(RecordFactory):
    class Meta:
        model = Raid

    date = datetime.date(2021, 7, 14)
    settlement = "Minsk"
    premises_type = Raid.Premises.OFFICE


class SeizedItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SeizedItem

    raid = factory.SubFactory(RaidFactory)
    kind = SeizedItem.Kind.COMPUTER
    count = 1


class DetentionFactory(RecordFactory):
    """``custody_place="…"`` adds a stay there from the detention's date;
    ``whereabouts_known=False`` adds a fact "whereabouts unknown" since then."""

    class Meta:
        model = Detention
        skip_postgeneration_save = True

    person = factory.SubFactory(PersonFactory)
    date = datetime.date(2021, 7, 14)
    settlement = "Minsk"

    @factory.post_generation
    def custody_place(detention, create, name, **kwargs):
        if name:
            place, _ = PlaceOfCustody.objects.get_or_create(name=name)
            detention.stays.create(
                place=place, since=detention.date, since_precision=detention.date_precision
            )

    @factory.post_generation
    def whereabouts_known(detention, create, known, **kwargs):
        if known is False:
            detention.custody_facts.create(
                aspect=CustodyFact.Aspect.WHEREABOUTS,
                state=CustodyFact.State.UNKNOWN,
                since=detention.date,
                since_precision=detention.date_precision,
            )


class SourceFactory(RecordFactory):
    class Meta:
        model = Source

    kind = Source.Kind.NEWS
    title = factory.Sequence(lambda n: f"Article {n}")


class SourceLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SourceLink

    source = factory.SubFactory(SourceFactory)
