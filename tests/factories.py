"""Minimal valid records; published and public unless a test says otherwise."""

import datetime

import factory

from incidents.models import Detention, Raid, Source, SourceLink
from organisations.models import Organisation, Person
from tracker.places import Region
from tracker.records import Status, Visibility


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


class SourceFactory(RecordFactory):
    class Meta:
        model = Source

    title = factory.Sequence(lambda n: f"Source {n}")
    kind = Source.Kind.NEWS


class RaidFactory(RecordFactory):
    class Meta:
        model = Raid

    date = datetime.date(2021, 7, 14)
    premises_type = Raid.Premises.OFFICE
    settlement = "Minsk"
    region = Region.MINSK_CITY


class DetentionFactory(RecordFactory):
    class Meta:
        model = Detention

    person = factory.SubFactory(PersonFactory)
    date = datetime.date(2021, 7, 14)
    settlement = "Minsk"
    region = Region.MINSK_CITY


class SourceLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SourceLink

    source = factory.SubFactory(SourceFactory)
