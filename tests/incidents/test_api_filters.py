import datetime

import pytest

from incidents.models import Detention
from tests.factories import DetentionFactory, OrganisationFactory, PersonFactory, RaidFactory
from tracker.dates import DatePrecision
from tracker.places import Region
from tracker.review import Status


def ids(client, url: str) -> set:
    response = client.get(url)
    assert response.status_code == 200, response.content
    return {(row.get("kind"), row["id"]) for row in response.json()["results"]}


def parameters_in_error(response) -> set[str]:
    assert response.status_code == 400, response.content
    return {error["parameter"] for error in response.json()["errors"]}


def raid_key(raid) -> tuple:
    return ("raid", raid.pk)


def test_month_precision_matches_whole_month(anon_client):
    july = RaidFactory(date=datetime.date(2021, 7, 1), date_precision=DatePrecision.MONTH)
    day = RaidFactory(date=datetime.date(2021, 7, 1))
    assert ids(anon_client, "/api/v1/incidents/?date_from=2021-07-20") == {raid_key(july)}
    both = ids(anon_client, "/api/v1/incidents/?date_from=2021-07-01&date_to=2021-07-01")
    assert both == {raid_key(july), raid_key(day)}


def test_year_precision_matches_whole_year(anon_client):
    year = RaidFactory(date=datetime.date(2020, 1, 1), date_precision=DatePrecision.YEAR)
    RaidFactory(date=datetime.date(2020, 1, 1))
    assert ids(anon_client, "/api/v1/incidents/?date_from=2020-12-31") == {raid_key(year)}
    assert ids(anon_client, "/api/v1/incidents/?date_to=2019-12-31") == set()


def test_kind_region_and_settlement_filters(anon_client):
    raid = RaidFactory(settlement="Orsha", region=Region.VITEBSK)
    detention = DetentionFactory(settlement="Orsha", region=Region.VITEBSK)
    RaidFactory()
    assert ids(anon_client, "/api/v1/incidents/?region=BY-VI&kind=detention") == {
        ("detention", detention.pk)
    }
    assert ids(anon_client, "/api/v1/incidents/?settlement=orsha") == {
        raid_key(raid),
        ("detention", detention.pk),
    }


def test_organisation_filter_matches_targets_perpetrators_and_authorities(anon_client):
    agency = OrganisationFactory(is_state_actor=True)
    targeted, carried_out = RaidFactory(), RaidFactory()
    targeted.target_organisations.add(agency)
    carried_out.perpetrators.add(agency)
    detention = DetentionFactory(authority=agency)
    found = ids(anon_client, f"/api/v1/incidents/?organisation={agency.pk}")
    assert found == {raid_key(targeted), raid_key(carried_out), ("detention", detention.pk)}


def test_person_filter_ignores_hidden_people(anon_client):
    hidden = PersonFactory(status=Status.DRAFT)
    raid = RaidFactory()
    raid.target_people.add(hidden)
    DetentionFactory(person=hidden)
    assert ids(anon_client, f"/api/v1/incidents/?person={hidden.pk}") == set()


def test_person_filter_on_raids_and_detentions(anon_client):
    person = PersonFactory()
    raid = RaidFactory()
    raid.target_people.add(person)
    detention = DetentionFactory(person=person)
    found = ids(anon_client, f"/api/v1/incidents/?person={person.pk}")
    assert found == {raid_key(raid), ("detention", detention.pk)}


def test_in_custody_lists_detentions_not_released(anon_client):
    held = DetentionFactory()
    DetentionFactory(release_date=datetime.date(2021, 8, 1), outcome=Detention.Outcome.RELEASED)
    RaidFactory()
    assert ids(anon_client, "/api/v1/incidents/?in_custody=true") == {("detention", held.pk)}
    assert ids(anon_client, "/api/v1/detentions/?in_custody=true") == {(None, held.pk)}


def test_q_matches_names_in_any_script(anon_client, sample):
    found = ids(anon_client, "/api/v1/incidents/?q=Бяляцкі")
    assert {kind for kind, _ in found} == {"raid", "detention"}
    people = anon_client.get("/api/v1/people/?q=Беляцкий").json()["results"]
    assert [p["name"] for p in people] == ["Ales Bialiatski"]


def test_q_does_not_reveal_the_real_name_behind_a_pseudonym(anon_client):
    person = PersonFactory(name="Hanna Secret", may_be_named=False, pseudonym="Witness B")
    DetentionFactory(person=person)
    assert ids(anon_client, "/api/v1/people/?q=Hanna") == set()
    assert ids(anon_client, "/api/v1/detentions/?q=Hanna") == set()
    assert ids(anon_client, "/api/v1/people/?q=witness") == {(None, person.pk)}


def test_updated_since_returns_rows_changed_since(anon_client):
    old = RaidFactory()
    moment = datetime.datetime.now(tz=datetime.UTC)
    new = RaidFactory()
    old_since = (moment - datetime.timedelta(days=1)).isoformat().replace("+00:00", "Z")
    assert ids(anon_client, f"/api/v1/incidents/?updated_since={old_since}") == {
        raid_key(old),
        raid_key(new),
    }
    since = moment.isoformat().replace("+00:00", "Z")
    assert ids(anon_client, f"/api/v1/incidents/?updated_since={since}") == {raid_key(new)}


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("date_from=yesterday", "date_from"),
        ("date_to=2021-13-01", "date_to"),
        ("organisation=abc", "organisation"),
        ("person=1.5", "person"),
        ("kind=protest", "kind"),
        ("region=XX", "region"),
        ("in_custody=maybe", "in_custody"),
        ("updated_since=last-week", "updated_since"),
        ("organisation=99999999999999999999", "organisation"),
        ("page_size=0", "page_size"),
        ("page_size=5001", "page_size"),
        ("cursor=nonsense", "cursor"),
        ("q=a%00b", "q"),
        ("format=xml", "format"),
        ("format=", "format"),
        ("updated_since=", "updated_since"),
        ("region=", "region"),
        ("q=", "q"),
    ],
)
def test_bad_value_answers_400_naming_the_parameter(anon_client, query, parameter):
    response = anon_client.get(f"/api/v1/incidents/?{query}")
    assert parameters_in_error(response) == {parameter}


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/raids/?updated_since=",
        "/api/v1/export/raids/?updated_since=",
        "/api/v1/export/raids/?format=",
        "/api/v1/people/1/?format=",
        "/api/v1/deletions/?since=",
    ],
)
def test_an_empty_parameter_is_an_error_not_ignored(anon_client, url):
    response = anon_client.get(url)
    (parameter,) = parameters_in_error(response)
    assert f"?{parameter}=" in url


def test_an_error_names_the_accepted_values(anon_client):
    response = anon_client.get("/api/v1/incidents/?kind=protest&in_custody=maybe&page_size=0")
    assert response.json()["detail"] == "Bad parameters: see errors."
    accepted = {error["parameter"]: error["accepted"] for error in response.json()["errors"]}
    assert accepted == {"kind": "raid, detention", "in_custody": "true, 1, false, 0"}
    response = anon_client.get("/api/v1/incidents/?page_size=0")
    assert response.json()["errors"] == [
        {
            "parameter": "page_size",
            "message": "Enter a whole number from 1 to 5000.",
            "accepted": "1-5000",
        }
    ]


@pytest.mark.parametrize("client_name", ["anon_client", "researcher_client", "staff_client"])
def test_id_zero_matches_nothing(request, client_name):
    client = request.getfixturevalue(client_name)
    RaidFactory()
    for collection in ("incidents", "raids", "detentions", "sources", "people"):
        for parameter in ("organisation", "person"):
            url = f"/api/v1/{collection}/?{parameter}=0"
            if collection == "people" and parameter == "person":
                continue
            response = client.get(url)
            assert response.status_code == 200, url
            assert response.json()["results"] == [], url


def test_deletions_need_since(anon_client):
    response = anon_client.get("/api/v1/deletions/")
    assert parameters_in_error(response) == {"since"}


def test_filters_apply_to_exports(anon_client):
    kept = RaidFactory(region=Region.GOMEL)
    RaidFactory()
    response = anon_client.get("/api/v1/export/raids/?format=ndjson&region=BY-HO")
    lines = b"".join(response.streaming_content).splitlines()
    assert len(lines) == 2  # the row, then the mark of completeness
    assert f'"id":{kept.pk},'.encode() in lines[0]
    assert anon_client.get("/api/v1/export/raids/?region=nowhere").status_code == 400


@pytest.mark.parametrize("collection", ["incidents", "sources"])
def test_a_date_filter_that_cannot_be_read_names_the_expected_form(anon_client, collection):
    response = anon_client.get(f"/api/v1/{collection}/?date_from=14.07.2021")
    assert response.json()["errors"] == [
        {
            "parameter": "date_from",
            "message": "Enter the date as YYYY-MM-DD, e.g. 2021-07-14.",
            "accepted": "YYYY-MM-DD",
        }
    ]


def test_updated_since_that_cannot_be_read_names_the_expected_form(anon_client):
    response = anon_client.get("/api/v1/raids/?updated_since=last-week")
    assert response.json()["errors"] == [
        {
            "parameter": "updated_since",
            "message": "Enter a date and time in ISO 8601, e.g. 2026-02-01T09:55:00Z.",
            "accepted": "ISO 8601 (2026-02-01T09:55:00Z)",
        }
    ]


def test_an_unknown_format_lists_the_formats_there_are(anon_client):
    (listed,) = anon_client.get("/api/v1/raids/?format=xml").json()["errors"]
    assert listed == {
        "parameter": "format",
        "message": "Unknown format: use one of json, csv, geojson.",
        "accepted": "json, csv, geojson",
    }
    (exported,) = anon_client.get("/api/v1/export/people/?format=geojson").json()["errors"]
    assert exported["message"] == "Unknown format: use one of json, ndjson, csv."
    assert exported["accepted"] == "json, ndjson, csv"
