import datetime

import pytest

from incidents.models import Charge, SeizedItem, Sentence
from tests.factories import (
    DetentionFactory,
    OrganisationFactory,
    PersonFactory,
    RaidFactory,
    SourceLinkFactory,
)


@pytest.fixture
def populate(db):
    """``populate(n)``: n raids and n detentions, each with every kind of nested row."""

    def make(n: int) -> None:
        agency = OrganisationFactory(is_state_actor=True)
        for _ in range(n):
            raid = RaidFactory(latitude=53.9, longitude=27.5)
            raid.target_people.add(PersonFactory())
            raid.target_organisations.add(OrganisationFactory(parent=agency))
            raid.perpetrators.add(agency)
            SeizedItem.objects.create(raid=raid, kind=SeizedItem.Kind.PHONE, count=2)
            SourceLinkFactory(raid=raid)
            detention = DetentionFactory(authority=agency, raid=raid)
            Charge.objects.create(detention=detention, code_article="CC 342")
            Sentence.objects.create(
                detention=detention, court="Court", date=datetime.date(2021, 9, 1), kind="prison"
            )
            SourceLinkFactory(detention=detention)
            SourceLinkFactory(person=detention.person)

    return make
