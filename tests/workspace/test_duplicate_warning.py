"""The add-person form warns of people already recorded under a name like the one typed."""

from django.urls import reverse

from incidents.models import Detention
from organisations.models import Person
from tests.admin_forms import form_data

SIMILAR = reverse("admin:organisations_person_similar")
ADD = reverse("admin:organisations_person_add")


def test_ales_bialiatski_in_cyrillic_names_the_existing_record(editor_client, sample):
    found = editor_client.get(SIMILAR, {"name": "Алесь Бяляцкі"}).json()["candidates"]
    ales = Person.objects.get(name="Ales Bialiatski")
    assert found[0]["id"] == ales.pk
    assert found[0]["name"] == "Ales Bialiatski"
    assert "Алесь Бяляцкі" in found[0]["other_names"]
    assert found[0]["last_event"] == "detained 14 July 2021, Minsk"
    assert found[0]["url"] == reverse("admin:organisations_person_change", args=[ales.pk])


def test_a_name_nobody_has_warns_of_nobody(editor_client, sample):
    assert editor_client.get(SIMILAR, {"name": "Marfa Rabkova"}).json() == {"candidates": []}
    assert editor_client.get(SIMILAR, {"name": "Al"}).json() == {"candidates": []}
    assert editor_client.get(SIMILAR).json() == {"candidates": []}


def test_the_endpoint_costs_the_same_for_any_number_of_candidates(
    editor_client, sample, django_assert_max_num_queries
):
    for n in range(6):
        Person.objects.create(name=f"Ales Bialiatski {n}")
    with django_assert_max_num_queries(14):
        found = editor_client.get(SIMILAR, {"name": "Бяляцкі"}).json()["candidates"]
    assert len(found) == 5


def test_the_endpoint_is_for_staff_who_may_view_people(client, researcher, sample):
    assert client.get(SIMILAR, {"name": "Bialiatski"}).status_code == 302  # to the login
    client.force_login(researcher)
    assert client.get(SIMILAR, {"name": "Bialiatski"}).status_code == 302


def test_last_event_needs_permission_to_view_detentions(client, sample, django_user_model):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("narrow", password="x" * 16, is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_person"))
    client.force_login(user)
    found = client.get(SIMILAR, {"name": "Bialiatski"}).json()["candidates"]
    assert found[0]["last_event"] == ""
    assert Detention.objects.filter(person__name="Ales Bialiatski").exists()


def test_add_form_carries_the_warning_and_it_is_someone_else_is_recorded(editor_client, sample):
    page = editor_client.get(ADD)
    html = page.content.decode()
    assert f'data-similar-url="{SIMILAR}"' in html
    assert "organisations/duplicate_warning.js" in html
    assert "Possible duplicates" not in html  # the warning replaces it on a new record
    ales = Person.objects.get(name="Ales Bialiatski")
    data = form_data(page)
    data.update({"name": "Алесь Бяляцкі", "may_be_named": "on", "not_duplicate_of": str(ales.pk)})
    answer = editor_client.post(ADD, data)
    assert answer.status_code == 302
    created = Person.objects.get(name="Алесь Бяляцкі")
    note = created.history.get().history_change_reason
    assert note == f"Checked: not the same person as #{ales.pk} Ales Bialiatski"
