"""Every admin page renders with the sample case; changelists stay at a fixed query count."""

import datetime

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from incidents.models import Detention, Raid
from organisations.models import Person
from tests.factories import DetentionFactory, RaidFactory, SeizedItemFactory, SourceFactory

MODELS = sorted(admin.site._registry, key=lambda m: m._meta.label)
OURS = [m for m in MODELS if m._meta.app_label in {"organisations", "incidents"}]


def url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_changelist_and_add_pages_render(admin_client, sample, model, rf, superuser):
    assert admin_client.get(url(model, "changelist")).status_code == 200
    request = rf.get("/")
    request.user = superuser
    addable = admin.site._registry[model].has_add_permission(request)
    assert admin_client.get(url(model, "add")).status_code == (200 if addable else 403)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_change_and_history_pages_render_for_every_sample_row(admin_client, sample, model):
    for pk in model.objects.values_list("pk", flat=True):
        assert admin_client.get(url(model, "change", pk)).status_code == 200
    if first := model.objects.first():
        assert admin_client.get(url(model, "history", first.pk)).status_code == 200


@pytest.mark.parametrize("query", ["Беляцкий", "Бяляцкі", "Bialiatski", "byalyatski"])
def test_person_search_finds_bialiatski_in_any_script(admin_client, sample, query):
    response = admin_client.get(url(Person, "changelist"), {"q": query})
    assert list(response.context["cl"].result_list) == [Person.objects.get(name="Ales Bialiatski")]


def test_detention_search_finds_the_person_in_another_script(admin_client, sample):
    response = admin_client.get(url(Detention, "changelist"), {"q": "Бабарико"})
    assert [d.person.name for d in response.context["cl"].result_list] == ["Viktor Babaryko"]


def test_raid_search_finds_raids_on_an_organisation_by_its_other_name(admin_client, sample):
    response = admin_client.get(url(Raid, "changelist"), {"q": "Вясна"})
    assert {r.narrative[:6] for r in response.context["cl"].result_list} >= {"Viasna"}


def queries_for(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def add_rows(n: int) -> None:
    for _ in range(n):
        raid = RaidFactory()
        SeizedItemFactory(raid=raid)
        DetentionFactory(raid=raid)
        SourceFactory()


@pytest.mark.parametrize("model", OURS, ids=lambda m: m._meta.label)
def test_changelist_queries_do_not_grow_with_rows(admin_client, model):
    add_rows(3)
    few = queries_for(admin_client, url(model, "changelist"))
    add_rows(12)
    assert queries_for(admin_client, url(model, "changelist")) == few


def test_an_invalid_detention_is_refused_with_the_error_on_the_field(admin_client, sample):
    person = Person.objects.get(name="Ales Bialiatski")
    data = {
        "person": person.pk,
        "date": "2021-07-14",
        "date_precision": "day",
        "region": "BY-HM",
        "legal_track": "unknown",
        "outcome": "released",
        "release_date": "2021-07-01",
        "status": "draft",
        "visibility": "confidential",
        **{
            f"{p}-{k}": v
            for p in ("stays", "custody_facts", "hearings", "charges", "sentence", "source_links")
            for k, v in (("TOTAL_FORMS", "0"), ("INITIAL_FORMS", "0"))
        },
    }
    before = Detention.objects.count()
    response = admin_client.post(url(Detention, "add"), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "release_date": ["The release date is before the detention date."]
    }
    assert Detention.objects.count() == before


def test_admin_save_stamps_authorship_and_bumps_the_version(admin_client, superuser, sample):
    # A draft: published records are read-only (docs/workflow.md).
    raid = Raid.objects.get(narrative__startswith="Officers broke the doors")
    data = {
        "date": raid.date.isoformat(),
        "date_precision": "day",
        "settlement": "Minsk",
        "region": "BY-HM",
        "premises_type": "newsroom",
        "narrative": "Edited",
        "visibility": raid.visibility,
        "seen_version": raid.version,
        **{
            f"{p}-{k}": v
            for p in ("detentions", "seized_items", "source_links")
            for k, v in (("TOTAL_FORMS", "0"), ("INITIAL_FORMS", "0"))
        },
    }
    response = admin_client.post(url(Raid, "change", raid.pk), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    raid.refresh_from_db()
    assert (raid.narrative, raid.updated_by, raid.version) == ("Edited", superuser, 2)
    assert raid.history.filter(narrative="Edited", history_user=superuser).exists()
    assert raid.date == datetime.date(2021, 7, 14)


def test_removing_a_targeted_person_is_recorded_in_the_history(admin_client, superuser, sample):
    raid = Raid.objects.get(narrative__startswith="Officers broke the doors")
    bastunets = raid.target_people.get()
    raid.target_people.remove(bastunets)
    before, after = raid.history.all()[1], raid.history.all()[0]
    change = after.diff_against(before).changes
    assert [(c.field, len(c.old), len(c.new)) for c in change] == [("target_people", 1, 0)]
    page = admin_client.get(url(Raid, "change", raid.pk)).content.decode()
    assert "<strong>Targeted people:</strong> Andrei Bastunets &rarr; —" in page
