"""Cross-script name keys: one person, many spellings."""

import pytest

from organisations.models import Membership, Organisation, Person
from tests.factories import DetentionFactory, OrganisationFactory, PersonFactory
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
def test_spellings_of_one_name_share_a_sound(spelling, other):
    assert set(names.sounds(names.words(spelling)[0])) & set(names.sounds(names.words(other)[0]))


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


def test_a_person_entered_in_another_script_is_flagged_as_a_possible_duplicate(db):
    original = PersonFactory(name="Ales Bialiatski")
    PersonFactory(name="Viktor Babaryko")
    newcomer = PersonFactory(name="Алесь Беляцкий")
    assert list(Person.objects.similar_to(newcomer)) == [original]


def test_the_person_change_page_links_possible_duplicates(admin_client):
    original = PersonFactory(name="Ales Bialiatski")
    newcomer = PersonFactory(name="Алесь Беляцкий")
    page = admin_client.get(f"/admin/organisations/person/{newcomer.pk}/change/")
    assert f"/admin/organisations/person/{original.pk}/change/" in page.content.decode()


def test_a_patronymic_in_the_query_is_not_required(db):
    bialiatski = PersonFactory(name="Ales Bialiatski")
    assert list(Person.objects.matching("Беляцкий Александр Викторович")) == [bialiatski]


def test_the_key_is_latin_whatever_the_script():
    assert names.search_key(["Алесь Бяляцкі"]).isascii()
    assert names.search_key(["Алесь Бяляцкі"]) == names.search_key(["Ales Bialiatski"])


def test_organisations_are_found_by_any_spelling(db):
    niva = OrganisationFactory(name="Наша Ніва")
    OrganisationFactory(name="Naša Vieda")
    assert list(Organisation.objects.matching("Nasha Niva")) == [niva]
    assert list(Organisation.objects.matching("Nasza Niwa")) == [niva]


def test_the_duplicate_warning_flags_the_name_in_another_script_not_the_spouse(db):
    newcomer = PersonFactory(name="Сергей Тихановский")
    PersonFactory(name="Sviatlana Tsikhanouskaya")
    husband = PersonFactory(name="Siarhei Tsikhanouski")
    assert list(Person.objects.similar_to(newcomer)) == [husband]


def test_the_admin_search_lists_the_closest_spelling_first(admin_client):
    husband = PersonFactory(name="Siarhei Tsikhanouski")
    wife = PersonFactory(name="Sviatlana Tsikhanouskaya")
    page = admin_client.get("/admin/organisations/person/", {"q": "Тихановская"})
    assert list(page.context["cl"].result_list) == [wife, husband]


def test_a_sorted_column_still_orders_the_search_results(admin_client):
    husband = PersonFactory(name="Siarhei Tsikhanouski")
    wife = PersonFactory(name="Sviatlana Tsikhanouskaya")
    page = admin_client.get("/admin/organisations/person/", {"q": "Тихановская", "o": "1"})
    assert list(page.context["cl"].result_list) == [husband, wife]


def test_the_person_autocomplete_finds_another_spelling(admin_client):
    person = PersonFactory(name="Ales Bialiatski")
    PersonFactory(name="Viktar Babaryka")
    query = {"app_label": "incidents", "model_name": "detention", "field_name": "person"}
    answer = admin_client.get("/admin/autocomplete/", {**query, "term": "Беляцкий"}).json()
    assert [row["id"] for row in answer["results"]] == [str(person.pk)]


def test_detentions_are_found_by_another_spelling_of_the_person(admin_client):
    detention = DetentionFactory(person=PersonFactory(name="Ales Bialiatski"))
    DetentionFactory(person=PersonFactory(name="Viktar Babaryka"))
    page = admin_client.get("/admin/incidents/detention/", {"q": "Беляцкий"})
    assert list(page.context["cl"].result_list) == [detention]


def test_memberships_are_found_by_another_spelling_of_the_person(admin_client):
    viasna = OrganisationFactory(name="Viasna")
    membership = Membership.objects.create(
        person=PersonFactory(name="Ales Bialiatski"), organisation=viasna, role="chair"
    )
    page = admin_client.get("/admin/organisations/membership/", {"q": "Бяляцкі"})
    assert list(page.context["cl"].result_list) == [membership]


def test_the_api_finds_people_and_their_detentions_by_a_russian_spelling(anon_client):
    person = PersonFactory(name="Sviatlana Tsikhanouskaya")
    detention = DetentionFactory(person=person)
    PersonFactory(name="Siarhei Tsikhanouski")
    people = anon_client.get("/api/v1/people/", {"q": "Светлана Тихановская"}).json()
    detentions = anon_client.get("/api/v1/detentions/", {"q": "Svetlana Tikhanovskaya"}).json()
    assert [row["id"] for row in people["results"]] == [person.pk]
    assert [row["id"] for row in detentions["results"]] == [detention.pk]
