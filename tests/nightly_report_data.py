"""Data for the report tests: the sample case as entered on 14 July 2021, and random data."""

import datetime
import random

import time_machine
from django.utils import timezone

from incidents import sample_data
from incidents.models import Charge, Detention, PlaceOfCustody, Raid, Sentence
from organisations.models import Person
from tracker.places import Region
from tracker.review import Status, Visibility

ENTERED = datetime.datetime(2021, 7, 14, 14, 0, tzinfo=datetime.UTC)


def load_sample_as_entered() -> None:
    """The sample case, typed in on the afternoon of the raids."""
    with time_machine.travel(ENTERED, tick=False):
        sample_data.load()


def generate(day: datetime.date, *, seed: int, raids: int = 40, detentions: int = 60) -> None:
    """Random raids and detentions around ``day``, with changes inside and outside its window."""
    rng = random.Random(seed)
    zone = timezone.get_default_timezone()
    people = Person.objects.bulk_create(
        Person(name=f"Person {n}", may_be_named=n % 2 == 0, pseudonym=f"P{n}") for n in range(8)
    )

    def around(span: int) -> datetime.date:
        return day - datetime.timedelta(days=rng.randint(-1, span))

    def moment() -> datetime.datetime:
        start = datetime.datetime.combine(day, datetime.time.min, zone)
        days = rng.choice([(-3, 2), (-40, -3)])
        return start + datetime.timedelta(minutes=rng.randint(days[0] * 1440, days[1] * 1440))

    common = {
        "status": lambda: rng.choice(Status.values),
        "visibility": lambda: rng.choice(Visibility.values),
        "region": lambda: rng.choice(Region.values),
    }
    made = Raid.objects.bulk_create(
        Raid(date=around(400), premises_type="home", **{k: f() for k, f in common.items()})
        for _ in range(raids)
    )
    for _ in range(detentions):
        released = rng.random() < 0.3
        date = day if rng.random() < 0.15 else around(420)
        detention = Detention(
            person=rng.choice(people),
            date=date,
            release_date=max(date, around(5)) if released else None,
            outcome=rng.choice(
                Detention.Outcome.values[1:] if released else Detention.Outcome.values
            ),
            recognised_political_prisoner=rng.random() < 0.5,
            recognised_by="Viasna",
            recognised_on=around(3) if rng.random() < 0.5 else None,
            **{k: f() for k, f in common.items()},
        )
        detention.save()
        made.append(detention)
        if place := rng.choice(["", "SIZO-1", "IVS Okrestina"]):
            detention.stays.create(
                place=PlaceOfCustody.objects.get_or_create(name=place)[0], since=date
            )
        if rng.random() >= 0.6:
            detention.custody_facts.create(aspect="whereabouts", state="unknown", since=date)
        for n in range(rng.randint(0, 2)):
            Charge.objects.create(detention=detention, code_article=f"Criminal Code {342 + n}")
        if rng.random() < 0.3:
            Sentence.objects.create(
                detention=detention, court="Court", date=max(date, around(3)), kind="colony"
            )
    for record in made:
        created = moment()
        updated = max(created, moment())
        type(record).objects.filter(pk=record.pk).update(created_at=created, updated_at=updated)
