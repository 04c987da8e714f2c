"""Every endpoint × role × format: no hidden record and no confidential value in the bytes.

Markers are planted in records each role may not see and in the confidential fields of a
visible person who may not be named; a visible record links to each hidden one, so a nested
row that skipped the gate would leak its marker too.
"""

import pytest

from incidents.models import SourceLink
from organisations.models import PersonName
from tests.factories import (
    DetentionFactory,
    OrganisationFactory,
    PersonFactory,
    RaidFactory,
    SourceFactory,
)
from tracker.review import Status, Visibility

COLLECTIONS = ("organisations", "people", "sources", "raids", "detentions", "incidents")
FORMATS = ("json", "csv", "geojson", "ndjson")
CONFIDENTIAL = ("PLANT-NOTES", "PLANT-CONTACT", "SECRET-REAL-NAME", "SECRET-OTHER-NAME")
DRAFT = {"status": Status.DRAFT, "visibility": Visibility.PUBLIC}
STAFF_ONLY = {"status": Status.PUBLISHED, "visibility": Visibility.CONFIDENTIAL}
RESTRICTED = {"status": Status.PUBLISHED, "visibility": Visibility.RESTRICTED}


def plant(marker: str, level: dict) -> dict:
    """One hidden record of each kind, all named after ``marker``, linked from visible ones."""
    organisation = OrganisationFactory(name=f"{marker}-ORG", **level)
    person = PersonFactory(name=f"{marker}-PERSON", **level)
    source = SourceFactory(title=f"{marker}-SOURCE", **level)
    raid = RaidFactory(narrative=f"{marker}-RAID", latitude=53, longitude=27, **level)
    detention = DetentionFactory(person=person, custody_place=f"{marker}-DETENTION", **level)
    return {
        "organisations": organisation,
        "people": person,
        "sources": source,
        "raids": raid,
        "detentions": detention,
        "incidents": f"raid-{raid.pk}",
    }


@pytest.fixture
def planted(sample):
    hidden = {"draft": plant("DRAFT", DRAFT), "staff": plant("STAFFONLY", STAFF_ONLY)}
    hidden["restricted"] = plant("RESTRICTED", RESTRICTED)
    unnamed = PersonFactory(
        name="SECRET-REAL-NAME",
        may_be_named=False,
        pseudonym="Witness A",
        confidential_notes="PLANT-NOTES",
        contact_details="PLANT-CONTACT",
    )
    PersonName.objects.create(person=unnamed, name="SECRET-OTHER-NAME")
    organisation = OrganisationFactory(name="VISIBLE-ORG", parent=hidden["draft"]["organisations"])
    raid = RaidFactory(narrative="VISIBLE-RAID", latitude=53.9, longitude=27.5)
    DetentionFactory(person=unnamed, raid=hidden["staff"]["raids"], custody_place="VISIBLE")
    for records in hidden.values():
        raid.target_people.add(records["people"], unnamed)
        raid.target_organisations.add(records["organisations"], organisation)
        raid.perpetrators.add(records["organisations"])
        DetentionFactory(person=records["people"], authority=records["organisations"])
        SourceLink.objects.create(source=records["sources"], raid=raid, quote="q")
        SourceLink.objects.create(source=SourceFactory(), raid=records["raids"], quote="q")
        SourceLink.objects.create(source=SourceFactory(), person=records["people"])
    return hidden


def urls(records: dict) -> list[str]:
    found = [f"/api/v1/{c}/" for c in COLLECTIONS] + [f"/api/v1/export/{c}/" for c in COLLECTIONS]
    found += [f"/api/v1/{c}/{getattr(r, 'pk', r)}/" for c, r in records.items()]
    return [*found, "/api/v1/", "/api/v1/deletions/?since=2000-01-01T00:00:00Z"]


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def unverified_staff_client(client, editor, settings):
    """Staff signed in without the second factor the site requires."""
    settings.REQUIRE_2FA = True
    client.force_login(editor)
    return client


# Tokens see at most the researcher's view, whoever holds them; staff see everything only in
# a session, with its second factor where one is required.
ROLES = {
    "anon_client": ("DRAFT", "STAFFONLY", "RESTRICTED"),
    "researcher_client": ("DRAFT", "STAFFONLY"),
    "staff_client": ("DRAFT", "STAFFONLY"),
    "unverified_staff_client": ("DRAFT", "STAFFONLY"),
    "staff_session_client": (),
    "verified_staff_client": (),
}
RESEARCHER_VIEW = ["anon_client", "researcher_client", "staff_client", "unverified_staff_client"]


@pytest.mark.parametrize("role", ROLES)
def test_no_hidden_record_or_confidential_value_in_any_format(request, planted, role):
    client = request.getfixturevalue(role)
    forbidden = [m.encode() for m in (*ROLES[role], *CONFIDENTIAL)]
    checked = 0
    for url in urls(planted["draft"]):
        for fmt in FORMATS:
            separator = "&" if "?" in url else "?"
            response = client.get(f"{url}{separator}format={fmt}")
            assert response.status_code in (200, 400, 404), (url, fmt)
            content = body(response)
            leaks = [m for m in forbidden if m in content]
            assert not leaks, (role, url, fmt, leaks)
            checked += response.status_code == 200
    assert checked >= 36  # every list, export and format that exists answered


@pytest.mark.parametrize("role", RESEARCHER_VIEW)
def test_hidden_record_returns_404_in_every_format(request, planted, role):
    client = request.getfixturevalue(role)
    for level in ROLES[role]:
        records = planted[
            {"DRAFT": "draft", "STAFFONLY": "staff", "RESTRICTED": "restricted"}[level]
        ]
        for collection, record in records.items():
            for fmt in ("json", "csv", "geojson"):
                url = f"/api/v1/{collection}/{getattr(record, 'pk', record)}/?format={fmt}"
                response = client.get(url)
                if fmt == "geojson" and collection not in ("raids", "detentions", "incidents"):
                    assert response.status_code == 400, url
                else:
                    assert response.status_code == 404, url


@pytest.mark.parametrize("role", ["staff_session_client", "verified_staff_client"])
def test_staff_sessions_see_every_record_but_never_a_real_name_kept_back(request, planted, role):
    client = request.getfixturevalue(role)
    content = body(client.get("/api/v1/export/people/?format=ndjson"))
    assert b"STAFFONLY-PERSON" in content
    assert b"RESTRICTED-PERSON" in content
    assert b"Witness A" in content
    assert not any(m.encode() in content for m in CONFIDENTIAL)


def test_researcher_sees_restricted_records(researcher_client, planted):
    raids = researcher_client.get("/api/v1/raids/?page_size=5000").json()["results"]
    assert "RESTRICTED-RAID" in {r["narrative"] for r in raids}
    assert "DRAFT-RAID" not in {r["narrative"] for r in raids}


@pytest.mark.parametrize("role", ["staff_client", "unverified_staff_client"])
def test_a_staff_token_or_unverified_session_sees_only_the_researchers_view(request, planted, role):
    raids = request.getfixturevalue(role).get("/api/v1/raids/?page_size=5000").json()["results"]
    narratives = {r["narrative"] for r in raids}
    assert "RESTRICTED-RAID" in narratives
    assert not narratives & {"DRAFT-RAID", "STAFFONLY-RAID"}
