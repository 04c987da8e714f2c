import io

from django.apps import apps
from django.core.management import call_command

from incidents import sample_data
from incidents.models import Detention, Raid, SeizedItem, Sentence, Source
from organisations.models import Organisation, Person
from tracker.review import Status, Visibility

RECORD_MODELS = (Organisation, Person, Source, Raid, Detention)


def snapshot() -> dict[str, object]:
    """Row counts and versions of every project model, history tables included."""
    state = {}
    for app in ("organisations", "incidents"):
        for model in apps.get_app_config(app).get_models():
            state[model._meta.label] = model.objects.count()
    for model in RECORD_MODELS:
        state[f"{model._meta.label}.versions"] = sorted(model.objects.values_list("version"))
    return state


def test_loading_twice_changes_nothing(db):
    sample_data.load()
    first = snapshot()
    sample_data.load()
    assert snapshot() == first


def test_sample_has_every_status_and_visibility(sample):
    statuses = {s for m in RECORD_MODELS for s in m.objects.values_list("status", flat=True)}
    levels = {v for m in RECORD_MODELS for v in m.objects.values_list("visibility", flat=True)}
    assert statuses == set(Status.values)
    assert levels == set(Visibility.values)


def test_sample_tells_the_worked_example(sample):
    bialiatski = Detention.objects.get(person__name="Ales Bialiatski")
    assert bialiatski.raid.target_organisations.filter(name__startswith="Viasna").exists()
    kazmerchak = Detention.objects.get(person__name="Igor Kazmerchak")
    assert Detention.objects.whereabouts_unknown().get() == kazmerchak
    babaryko = Detention.objects.with_current_place().get(person__name="Viktor Babaryko")
    assert babaryko.current_place == "Penal colony No. 1, Novopolotsk"
    assert list(babaryko.stays.values_list("place__kind", flat=True)) == ["pre_trial", "colony"]
    assert babaryko.hearings.filter(kind="verdict").exists()
    assert Sentence.objects.get(detention__person__name="Viktor Babaryko").term_months == 168
    seized = set(SeizedItem.objects.values_list("kind", flat=True))
    assert {SeizedItem.Kind.COMPUTER, SeizedItem.Kind.PHONE, SeizedItem.Kind.EQUIPMENT} <= seized
    assert set(Source.objects.values_list("kind", flat=True)) >= {"news", "ngo_statement"}


def test_sample_names_come_in_latin_and_cyrillic(sample):
    names = Person.objects.get(name="Ales Bialiatski").other_names.values_list("name", flat=True)
    assert "Алесь Бяляцкі" in names
    assert Organisation.objects.matching("Наша Ніва").get().name == "Nasha Niva"


def test_demo_login_names_the_port_the_server_uses(db):
    out = io.StringIO()
    call_command("create_demo_user", "--port", "8001", stdout=out)
    assert "http://127.0.0.1:8001/admin/  user demo  password " in out.getvalue()
