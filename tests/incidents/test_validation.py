"""Each rule lives in the model's clean(), so admin, API and imports share it."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from incidents.models import Detention, Sentence
from tests.factories import DetentionFactory, OrganisationFactory, PersonFactory, RaidFactory
from tracker.dates import DatePrecision

pytestmark = pytest.mark.django_db


def errors_of(record) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        record.full_clean()
    return caught.value.message_dict


def test_release_before_detention_is_an_error_on_release_date():
    detention = DetentionFactory.build(
        person=PersonFactory(), release_date=datetime.date(2021, 7, 1), outcome="released"
    )
    assert errors_of(detention) == {
        "release_date": ["The release date is before the detention date."]
    }


def test_a_date_in_the_future_is_an_error_on_date():
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert errors_of(RaidFactory.build(date=tomorrow)) == {"date": ["This date is in the future."]}


def test_a_future_release_date_is_an_error_on_release_date():
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    detention = DetentionFactory.build(person=PersonFactory(), release_date=tomorrow)
    assert "release_date" in errors_of(detention)


def test_month_precision_date_must_be_the_first():
    raid = RaidFactory.build(date=datetime.date(2021, 7, 14), date_precision=DatePrecision.MONTH)
    assert errors_of(raid) == {
        "date": ["A date known only to the month is stored as the 1st of that month."]
    }


def test_year_precision_date_must_be_the_first_of_january():
    raid = RaidFactory.build(date=datetime.date(2021, 7, 1), date_precision=DatePrecision.YEAR)
    assert list(errors_of(raid)) == ["date"]


@pytest.mark.parametrize(
    ("field", "value"),
    [("latitude", "90.5"), ("latitude", "-91"), ("longitude", "180.1"), ("longitude", "-200")],
)
def test_coordinates_out_of_range_are_errors_on_their_field(field, value):
    raid = RaidFactory.build(**{field: Decimal(value)})
    assert list(errors_of(raid)) == [field]


def test_coordinates_in_range_are_valid():
    RaidFactory.build(latitude=Decimal("53.9"), longitude=Decimal("27.56")).full_clean()


def test_a_sentence_without_a_court_date_is_an_error_on_date():
    sentence = Sentence(detention=DetentionFactory(), court="Minsk City Court", kind="colony")
    assert errors_of(sentence) == {"date": ["A sentence needs the date of the court's decision."]}


def test_a_sentence_dated_before_the_detention_is_an_error_on_date():
    sentence = Sentence(
        detention=DetentionFactory(), court="c", kind="colony", date=datetime.date(2020, 1, 1)
    )
    assert errors_of(sentence) == {"date": ["The sentence is dated before the detention."]}


def test_a_detention_without_a_person_is_an_error_on_person():
    detention = Detention(date=datetime.date(2021, 7, 14))
    assert errors_of(detention) == {"person": ["A detention needs the person detained."]}


def test_a_released_person_is_not_in_custody():
    detention = DetentionFactory.build(
        person=PersonFactory(), release_date=datetime.date(2021, 7, 20)
    )
    assert list(errors_of(detention)) == ["outcome"]


def test_political_prisoner_recognition_needs_who_recognised():
    detention = DetentionFactory.build(person=PersonFactory(), recognised_political_prisoner=True)
    assert list(errors_of(detention)) == ["recognised_by"]


def test_a_person_who_may_not_be_named_needs_a_pseudonym():
    person = PersonFactory.build(may_be_named=False, pseudonym=" ")
    assert errors_of(person) == {"pseudonym": ["A person who may not be named needs a pseudonym."]}


def test_an_organisation_founded_in_the_future_is_an_error_on_founded():
    future = timezone.localdate().replace(month=1, day=1) + datetime.timedelta(days=400)
    organisation = OrganisationFactory.build(founded=future.replace(month=1, day=1))
    assert list(errors_of(organisation)) == ["founded"]


def test_the_database_refuses_a_release_before_detention_too():
    detention = DetentionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Detention.objects.filter(pk=detention.pk).update(release_date=datetime.date(2020, 1, 1))


def test_swapped_coordinates_for_minsk_are_refused_as_swapped():
    raid = RaidFactory.build(region="BY-HM", latitude=Decimal("27.56"), longitude=Decimal("53.9"))
    [message] = errors_of(raid)["latitude"]
    assert message.startswith("Latitude and longitude look swapped")


def test_a_point_outside_its_region_is_refused_naming_the_region():
    raid = RaidFactory.build(region="BY-BR", latitude=Decimal("53.9"), longitude=Decimal("27.56"))
    assert errors_of(raid) == {
        "latitude": ["This point lies outside Brest region: check the coordinates or the region."]
    }


@pytest.mark.parametrize(
    ("region", "latitude", "longitude"),
    [
        ("BY-HM", "53.90454", "27.56152"),  # Minsk
        ("BY-BR", "52.0976", "23.7341"),  # Brest
        ("BY-BR", "52.1115", "26.1031"),  # Pinsk
        ("BY-HO", "52.4345", "30.9754"),  # Gomel
        ("BY-HO", "52.0495", "29.2456"),  # Mazyr
        ("BY-HR", "53.6694", "23.8131"),  # Grodno
        ("BY-HR", "54.6289", "25.9553"),  # Astravyets
        ("BY-MI", "54.2279", "28.505"),  # Barysaw
        ("BY-MI", "52.7876", "27.5415"),  # Salihorsk
        ("BY-MA", "53.9007", "30.3314"),  # Mogilev
        ("BY-MA", "53.4128", "32.5795"),  # Khotsimsk
        ("BY-VI", "54.5081", "30.4172"),  # Orsha
        ("BY-VI", "55.6413", "27.0418"),  # Braslaw
    ],
)
def test_towns_lie_inside_their_regions(region, latitude, longitude):
    RaidFactory.build(
        region=region, latitude=Decimal(latitude), longitude=Decimal(longitude)
    ).full_clean()


def test_a_point_abroad_is_not_checked_against_belarus():
    vilnius = RaidFactory.build(
        region="abroad", latitude=Decimal("54.6872"), longitude=Decimal("25.2797")
    )
    vilnius.full_clean()
