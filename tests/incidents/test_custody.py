"""Custody over time: stays and transfers, days in custody, facts, hearings, the API."""

import csv
import datetime
import io

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from incidents import custody, reports
from incidents.models import CustodyFact, CustodyStay, Detention, Hearing, PlaceOfCustody
from tests.admin_forms import form_data
from tests.factories import DetentionFactory, PersonFactory
from tracker.dates import DatePrecision

D = datetime.date
pytestmark = pytest.mark.django_db


def stay(detention: Detention, name: str, since: D, **fields) -> CustodyStay:
    place, _ = PlaceOfCustody.objects.get_or_create(name=name, defaults=fields)
    return CustodyStay.objects.create(detention=detention, place=place, since=since)


def at(day: D, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), timezone.get_default_timezone())


def test_days_over_two_stays_and_a_transfer_span_first_day_to_release():
    detention = DetentionFactory(date=D(2021, 7, 14))
    stay(detention, "Okrestina", D(2021, 7, 14))
    stay(detention, "SIZO-1", D(2021, 7, 24))
    detention.release_date, detention.outcome = D(2021, 9, 1), Detention.Outcome.RELEASED
    detention.save()
    custody.settle_stays(detention)
    first, second = detention.stays.all()
    assert (first.until, second.until) == (D(2021, 7, 24), D(2021, 9, 1))
    days = custody.days_in_custody(detention)
    assert (days.days, days.precision) == ((D(2021, 9, 1) - D(2021, 7, 14)).days, "day")
    assert str(days) == "49 days"


def test_partial_detention_date_counts_at_least_and_detentions_add_up():
    person = PersonFactory()
    DetentionFactory(
        person=person,
        date=D(2021, 7, 1),
        date_precision=DatePrecision.MONTH,
        release_date=D(2021, 8, 10),
        outcome=Detention.Outcome.RELEASED,
    )
    DetentionFactory(person=person, date=D(2022, 1, 1), release_date=D(2022, 1, 11),
                     outcome=Detention.Outcome.RELEASED)  # fmt: skip
    total = custody.days_in_custody_of(person)
    assert (total.days, total.is_minimum) == (10 + 10, True)
    assert str(total) == "at least 20 days"


def test_the_open_stay_is_the_current_place_and_a_release_closes_it():
    detention = DetentionFactory(date=D(2021, 7, 14))
    stay(detention, "Okrestina", D(2021, 7, 14))
    stay(detention, "Colony No. 1", D(2021, 11, 1))
    custody.settle_stays(detention)
    current = Detention.objects.with_current_place().get(pk=detention.pk)
    assert current.current_place == "Colony No. 1"
    on_day = Detention.objects.with_current_place(on=D(2021, 8, 1)).get(pk=detention.pk)
    assert on_day.current_place == "Okrestina"


def test_a_stay_before_the_detention_or_after_the_release_is_refused():
    detention = DetentionFactory(date=D(2021, 7, 14), release_date=D(2021, 8, 1),
                                 outcome=Detention.Outcome.RELEASED)  # fmt: skip
    place = PlaceOfCustody.objects.create(name="SIZO-1")
    with pytest.raises(ValidationError) as early:
        CustodyStay(detention=detention, place=place, since=D(2021, 7, 1)).full_clean()
    assert "since" in early.value.message_dict
    with pytest.raises(ValidationError) as late:
        CustodyStay(detention=detention, place=place, since=D(2021, 8, 5)).full_clean()
    assert "since" in late.value.message_dict


def test_a_state_that_does_not_fit_the_aspect_is_refused_on_the_field():
    detention = DetentionFactory()
    fact = CustodyFact(detention=detention, aspect="lawyer", state="denied", since=detention.date)
    with pytest.raises(ValidationError) as refused:
        fact.full_clean()
    assert "state" in refused.value.message_dict


def test_whereabouts_unknown_reads_the_latest_fact_longest_first():
    early = DetentionFactory(date=D(2021, 7, 1), whereabouts_known=False)
    late = DetentionFactory(date=D(2021, 7, 10), whereabouts_known=False)
    found = DetentionFactory(date=D(2021, 7, 1), whereabouts_known=False)
    found.custody_facts.create(aspect="whereabouts", state="acknowledged", since=D(2021, 7, 3))
    DetentionFactory(whereabouts_known=False, release_date=D(2021, 8, 1), outcome="released")
    assert list(custody.whereabouts_unknown()) == [early, late]


def test_in_custody_now_and_upcoming_hearings():
    held = DetentionFactory()
    DetentionFactory(release_date=D(2021, 8, 1), outcome="released")
    now = timezone.now()
    soon = Hearing.objects.create(detention=held, starts_at=now + datetime.timedelta(days=2),
                                  court="Minsk City Court", kind="trial")  # fmt: skip
    Hearing.objects.create(detention=held, starts_at=now + datetime.timedelta(days=9),
                           court="Minsk City Court", kind="verdict")  # fmt: skip
    assert list(custody.in_custody_now()) == [held]
    assert list(custody.upcoming_hearings(7)) == [soon]


# The API ---------------------------------------------------------------------------------


PUBLIC = {"status": "published", "visibility": "public"}


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_in_custody_on_finds_exactly_the_people_held_that_day_over_partial_dates(anon_client):
    day = D(2021, 7, 20)
    exact = DetentionFactory(date=D(2021, 7, 14), **PUBLIC)
    released_that_day = DetentionFactory(date=D(2021, 7, 1), release_date=day,
                                         outcome="released", **PUBLIC)  # fmt: skip
    june = DetentionFactory(date=D(2021, 6, 1), date_precision="month", **PUBLIC)
    year_before = DetentionFactory(date=D(2020, 1, 1), date_precision="year", **PUBLIC)
    DetentionFactory(date=D(2021, 7, 1), date_precision="month", **PUBLIC)  # July not over
    DetentionFactory(date=D(2021, 1, 1), date_precision="year", **PUBLIC)  # 2021 not over
    DetentionFactory(date=D(2021, 7, 21), **PUBLIC)  # detained the day after
    DetentionFactory(date=D(2021, 7, 1), release_date=D(2021, 7, 19), outcome="released",
                     **PUBLIC)  # fmt: skip
    DetentionFactory(date=D(2021, 7, 1), outcome="released", **PUBLIC)  # release day unknown
    response = anon_client.get("/api/v1/detentions/", {"in_custody_on": "2021-07-20"})
    assert ids(response) == {exact.pk, released_that_day.pk, june.pk, year_before.pk}


def test_in_custody_on_refuses_a_bad_date_naming_the_field(anon_client):
    response = anon_client.get("/api/v1/detentions/", {"in_custody_on": "20 July"})
    assert response.status_code == 400
    assert [e["parameter"] for e in response.json()["errors"]] == ["in_custody_on"]


def test_rows_carry_stays_facts_hearings_and_days_without_n_plus_one(anon_client):
    def make() -> None:
        detention = DetentionFactory(date=D(2021, 7, 14), whereabouts_known=False, **PUBLIC)
        stay(detention, "Okrestina", D(2021, 7, 14), kind="temporary")
        Hearing.objects.create(detention=detention, starts_at=at(D(2021, 9, 1)),
                               court="Court", kind="trial")  # fmt: skip

    make()
    with CaptureQueriesContext(connection) as one:
        row = anon_client.get("/api/v1/detentions/").json()["results"][0]
    for _ in range(5):
        make()
    with CaptureQueriesContext(connection) as six:
        assert len(anon_client.get("/api/v1/detentions/").json()["results"]) == 6
    assert len(six) == len(one)
    assert row["stays"][0]["place_name"] == "Okrestina"
    assert row["custody_place"]["kind"] == "temporary"
    assert row["whereabouts_known"] is False
    assert row["facts"][0]["state"] == "unknown"
    assert row["hearings"][0]["kind"] == "trial"
    assert row["days_in_custody"] > 1000
    assert row["days_in_custody_precision"] == "day"


@pytest.fixture
def secret_place():
    detention = DetentionFactory(**PUBLIC)
    stay(detention, "SECRET-PLACE", detention.date, is_confidential=True)
    return detention


@pytest.mark.parametrize(
    ("client_name", "sees"),
    [
        ("anon_client", False),
        ("researcher_client", False),
        ("staff_client", False),
        ("staff_session_client", True),
    ],
)
@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_a_confidential_place_stays_confidential(request, secret_place, client_name, sees, fmt):
    client = request.getfixturevalue(client_name)
    place = secret_place.stays.get().place_id
    listing = client.get("/api/v1/detentions/", {"format": fmt})
    export = client.get("/api/v1/export/detentions/", {"format": fmt})
    body = listing.content + b"".join(export.streaming_content)
    assert (b"SECRET-PLACE" in body) is sees
    filtered = client.get("/api/v1/detentions/", {"custody_place": place})
    assert ids(filtered) == ({secret_place.pk} if sees else set())


def test_custody_place_filter_finds_every_detention_that_stayed_there(anon_client):
    transferred = DetentionFactory(**PUBLIC)
    stay(transferred, "Okrestina", D(2021, 7, 14))
    stay(transferred, "SIZO-1", D(2021, 7, 20))
    elsewhere = DetentionFactory(**PUBLIC)
    stay(elsewhere, "Colony", D(2021, 7, 14))
    okrestina = PlaceOfCustody.objects.get(name="Okrestina").pk
    assert ids(anon_client.get("/api/v1/detentions/", {"custody_place": okrestina})) == {
        transferred.pk
    }


def test_hearing_from_and_to_find_one_hearing_in_the_range(anon_client):
    inside = DetentionFactory(**PUBLIC)
    Hearing.objects.create(detention=inside, starts_at=at(D(2021, 9, 2), 23),
                           court="Court", kind="trial")  # fmt: skip
    around = DetentionFactory(**PUBLIC)
    for day in (D(2021, 8, 1), D(2021, 10, 1)):
        Hearing.objects.create(detention=around, starts_at=at(day), court="C", kind="trial")
    found = anon_client.get(
        "/api/v1/detentions/", {"hearing_from": "2021-09-01", "hearing_to": "2021-09-02"}
    )
    assert ids(found) == {inside.pk}
    assert ids(anon_client.get("/api/v1/detentions/", {"hearing_to": "2021-08-01"})) == {around.pk}


def test_political_prisoners_view_of_the_export(anon_client, researcher_client):
    hidden_name = PersonFactory(name="REAL-NAME", may_be_named=False, pseudonym="Witness B",
                                **PUBLIC)  # fmt: skip
    prisoner = DetentionFactory(person=hidden_name, recognised_political_prisoner=True,
                                recognised_by="Viasna", recognised_on=D(2021, 8, 1),
                                **PUBLIC)  # fmt: skip
    prisoner.charges.create(code_article="Criminal Code 342")
    stay(prisoner, "Colony No. 1", prisoner.date)
    not_recognised = DetentionFactory(**PUBLIC)
    DetentionFactory(recognised_political_prisoner=True, recognised_by="Viasna",
                     status="draft")  # fmt: skip
    rows = anon_client.get("/api/v1/political-prisoners/").json()["results"]
    assert [(r["name"], r["articles"], r["current_place"]) for r in rows] == [
        ("Witness B", ["Criminal Code 342"], "Colony No. 1")
    ]
    assert anon_client.get(f"/api/v1/political-prisoners/{prisoner.pk}/").status_code == 200
    assert anon_client.get(f"/api/v1/political-prisoners/{not_recognised.pk}/").status_code == 404
    exported = b"".join(
        researcher_client.get("/api/v1/export/political-prisoners/?format=csv").streaming_content
    ).decode()
    lines = list(csv.DictReader(io.StringIO(exported)))
    assert (lines[0]["name"], lines[0]["recognised_by"]) == ("Witness B", "Viasna")
    assert "REAL-NAME" not in exported


# The nightly report ----------------------------------------------------------------------


def test_report_lists_hearings_of_the_next_seven_days_and_urgency_reads_facts(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    day = D(2021, 7, 15)
    missing = DetentionFactory(date=D(2021, 7, 1))
    missing.custody_facts.create(aspect="whereabouts", state="denied", since=D(2021, 7, 14))
    found_later = DetentionFactory(date=D(2021, 7, 1), whereabouts_known=False)
    found_later.custody_facts.create(aspect="whereabouts", state="known", since=D(2021, 7, 15))
    Hearing.objects.create(detention=missing, starts_at=at(D(2021, 7, 22), 9), court="C1",
                           kind="trial")  # fmt: skip
    Hearing.objects.create(detention=missing, starts_at=at(D(2021, 7, 23), 9), court="C2",
                           kind="trial")  # fmt: skip
    with time_machine.travel(at(D(2021, 7, 16), 2)):
        report = reports.make_report(day=day)
    assert report.figures["custody"]["urgent"] == 1
    assert report.figures["custody"]["whereabouts_unknown"] == 1
    assert report.figures["hearings"] == 1
    assert "C1" in report.html.read().decode()


def test_a_locked_detention_shows_the_partial_dates_of_its_rows_as_known(admin_client):
    detention = DetentionFactory(date=D(2021, 7, 1), date_precision="month", custody_place="SIZO",
                                 whereabouts_known=False, status="published")  # fmt: skip
    page = admin_client.get(f"/admin/incidents/detention/{detention.pk}/change/").content
    assert "July 2021 – …" in page.decode()
    assert "July 1, 2021" not in page.decode()
    detention.status = "draft"
    detention.save()
    page = admin_client.get(f"/admin/incidents/detention/{detention.pk}/change/").content
    assert b'name="stays-0-since"' in page


def test_data_entry_records_a_transfer_on_the_detention_page(client, editor):
    client.force_login(editor)
    detention = DetentionFactory(date=D(2021, 7, 14), custody_place="Okrestina", status="draft")
    colony = PlaceOfCustody.objects.create(name="Colony No. 1", kind="colony")
    url = f"/admin/incidents/detention/{detention.pk}/change/"
    data = form_data(client.get(url))
    data.update({"stays-TOTAL_FORMS": "2", "stays-1-place": colony.pk,
                 "stays-1-since": "2021-11-01", "stays-1-since_precision": "month",
                 "stays-1-until_precision": "day"})  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    first, second = detention.stays.all()
    assert (first.until, first.until_precision) == (D(2021, 11, 1), "month")
    assert (second.place, second.until) == (colony, None)
    assert first.history.count() == 2  # created, then closed by the transfer
