"""Finding a person by any spelling among thousands (issue 17), on PostgreSQL.

The real people of tests/name_search_data.py are each stored under one spelling among 3,000
generated people and look-alikes, then searched under every other spelling.
"""

import pytest
from django.db import connection

from organisations.models import Person
from tests.name_search_data import PAIRS, everyone, people_rows

FULL_NAMES = [(stored, searched) for stored, searched in PAIRS if " " in searched]


@pytest.fixture(scope="module")
def crowd(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        Person.objects.bulk_create(people_rows(Person, everyone(3000)), batch_size=1000)
        yield
        with connection.cursor() as cursor:  # no history rows or tombstones for later tests
            cursor.execute("DELETE FROM organisations_person")


def top(query: str, count: int) -> list[str]:
    return list(Person.objects.matching(query).values_list("name", flat=True)[:count])


def test_the_test_set_has_at_least_sixty_pairs_in_several_scripts():
    assert len(PAIRS) >= 60
    assert any("ł" in searched or "ŭ" in searched for _, searched in PAIRS)


@pytest.mark.parametrize(("stored", "searched"), PAIRS)
def test_any_spelling_finds_the_person_in_the_top_five(crowd, db, stored, searched):
    assert stored in top(searched, 5)


@pytest.mark.parametrize(("stored", "searched"), FULL_NAMES)
def test_a_full_name_in_any_spelling_puts_the_person_first(crowd, db, stored, searched):
    assert top(searched, 1) == [stored]


def test_masculine_and_feminine_forms_of_a_family_name_match(crowd, db):
    assert {"Ivan Ivanov", "Iryna Ivanova", "Аляксей Іваноў"} <= set(top("Ivanou", 5))


def test_a_family_name_differing_by_a_consonant_does_not_match(crowd, db):
    assert "Ivan Ivashov" not in top("Ivanov", 50)


def test_the_exact_spelling_ranks_above_another_form_of_the_family_name(crowd, db):
    assert top("Tsikhanouskaya", 1) == ["Святлана Ціханоўская"]
    assert top("Тихановский", 1) == ["Siarhei Tsikhanouski"]
