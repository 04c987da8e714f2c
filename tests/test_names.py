"""Cross-script name keys: one person, many spellings."""

import pytest

from organisations.models import Organisation, Person
from tests.factories import OrganisationFactory, PersonFactory
from tracker import names


@pytest.mark.parametrize(
    ("spelling", "other"),
    [
        ("Беляцкий", "Bialiatski"),
        ("Бяляцкі", "Byalyatski"),
        ("Лукашэнка", "Łukaszenka"),
        ("Казьмерчак", "Kazmerchak"),
        ("Бабарико", "Babaryka"),
    ],
)
def test_spellings_of_one_name_share_a_skeleton(spelling, other):
    assert names.skeleton(names.words(spelling)[0]) == names.skeleton(names.words(other)[0])


def test_unrelated_names_do_not_match(db):
    PersonFactory(name="Ales Bialiatski")
    assert not Person.objects.matching("Babaryko").exists()


def test_every_word_of_the_query_must_match(db):
    PersonFactory(name="Ales Bialiatski")
    assert Person.objects.matching("Алесь Бяляцкі").exists()
    assert not Person.objects.matching("Viktar Бяляцкі").exists()


def test_adding_and_removing_an_other_name_updates_the_key(db):
    viasna = OrganisationFactory(name="Viasna")
    other = viasna.other_names.create(name="Spring-96", language="en")
    assert Organisation.objects.matching("spring").get() == viasna
    other.delete()
    assert not Organisation.objects.matching("spring").exists()


def test_partial_words_match_while_typing(db):
    PersonFactory(name="Igor Kazmerchak")
    assert Person.objects.matching("kazm").exists()
