"""The queries of the API's pages and filters and of the admin's lists use indexes at scale.

Tables are filled inside PostgreSQL (``INSERT ... SELECT generate_series``) until the planner
prefers indexes, then vacuumed and analysed; each request's queries are captured and
EXPLAINed, and a sequential scan of a large table (people, raids, detentions, their links)
fails the test.
Timings are for ``bench/api.py``; this checks the plans that make them.
"""

# ruff: noqa: S608  (the SQL is built from this module's constants only)

import hashlib
import itertools
import json
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tracker.paginators import EXACT_BELOW

RAIDS = DETENTIONS = 100_000
PEOPLE = 100_000
ORGANISATIONS = 2_000
SOURCES = 5_000
LARGE_TABLES = {
    "incidents_raid",
    "incidents_detention",
    "organisations_person",
    "incidents_sourcelink",
    "incidents_raid_target_people",
    "incidents_raid_target_organisations",
    "incidents_raid_perpetrators",
}
RECORD = "'published', '', 'public', now(), now() - interval '30 days', 1"
RECORD_COLUMNS = "status, status_reason, visibility, created_at, updated_at, version"
# 500 family names that sound different from each other (Kababob, Kababod, …).
FAMILY_NAMES = [
    f"Ka{a}a{b}o{c}" for a, b, c in itertools.islice(itertools.product("bdklmnrsv", repeat=3), 500)
]
NAME = FAMILY_NAMES[123]  # about 130 named people, 130 raids, 130 detentions
# The pseudonym of person 42, who may not be named.
PSEUDONYM = hashlib.md5(b"42", usedforsecurity=False).hexdigest()[:6].upper()
# Session, user, the list, its estimate, the date hierarchy's probes (one per year), filters.
ADMIN_LIST_QUERIES = 20
# settlement, region, date, date_precision
PLACE = "'Town ' || i %% 300, 'BY-HM', date '2020-08-09' + i %% 1500, 'day'"


def fill_large_tables() -> dict[str, int]:
    """Published, public records in bulk; returns ids found in them for the filters."""
    from tracker.names import search_key

    family_names = FAMILY_NAMES
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO organisations_person ({RECORD_COLUMNS}, name, search_key, may_be_named,"
            " pseudonym, gender, occupation, home_region, confidential_notes, contact_details)"
            f" SELECT {RECORD}, 'Anna ' || f, k, i %% 3 > 0,"
            " 'Anon ' || upper(substr(md5(i::text), 1, 6)), 'unknown', '', '', '', ''"
            " FROM generate_series(0, %s - 1) i,"
            " LATERAL (SELECT (%s::text[])[1 + i %% 500] AS f, (%s::text[])[1 + i %% 500] AS k) n",
            [PEOPLE, family_names, [search_key([f"Anna {f}"]) for f in family_names]],
        )
        cursor.execute(
            f"INSERT INTO organisations_organisation ({RECORD_COLUMNS}, name, search_key, kind,"
            " is_state_actor, country, city, founded_precision, legal_status, website,"
            f" description) SELECT {RECORD}, 'Group ' || i, ' group ~krp ', 'human_rights',"
            " i < 20, 'BY', '', 'year', 'active', '', '' FROM generate_series(0, %s - 1) i",
            [ORGANISATIONS],
        )
        cursor.execute(
            f"INSERT INTO incidents_source ({RECORD_COLUMNS}, kind, title, publisher, url,"
            f" published_on, reliability, file, sha256) SELECT {RECORD}, 'news', 'Source ' || i,"
            " '', '', date '2020-08-09' + i %% 1500, 'U', '', ''"
            " FROM generate_series(0, %s - 1) i",
            [SOURCES],
        )
        cursor.execute(
            f"INSERT INTO incidents_raid ({RECORD_COLUMNS}, settlement, region, date,"
            " date_precision, premises_type, case_reference, narrative, external_ref)"
            f" SELECT {RECORD}, {PLACE}, 'home', '', '', '' FROM generate_series(1, %s) i",
            [RAIDS],
        )
        cursor.execute("SELECT min(id) FROM organisations_person")
        person = cursor.fetchone()[0]
        cursor.execute("SELECT min(id) FROM organisations_organisation")
        organisation = cursor.fetchone()[0]
        cursor.execute("SELECT min(id) FROM incidents_source")
        source = cursor.fetchone()[0]
        for table, column, first, count in (
            ("incidents_raid_target_people", "person_id", person, PEOPLE),
            ("incidents_raid_target_organisations", "organisation_id", organisation, ORGANISATIONS),
            ("incidents_raid_perpetrators", "organisation_id", organisation, 20),
        ):
            cursor.execute(
                f"INSERT INTO {table} (raid_id, {column})"
                f" SELECT id, {first} + id * 7919 %% {count} FROM incidents_raid",
                [],
            )
        cursor.execute(
            f"INSERT INTO incidents_detention ({RECORD_COLUMNS}, settlement, region, date,"
            " date_precision, person_id, authority_id, legal_track,"
            " outcome, release_date, recognised_political_prisoner,"
            f" recognised_by, external_ref) SELECT {RECORD}, {PLACE}, %s + i * 7919 %% %s,"
            " %s + i %% 20, 'unknown',"
            " CASE WHEN i %% 100 = 0 THEN 'in_custody' ELSE 'released' END,"
            " CASE WHEN i %% 100 = 0 THEN NULL ELSE date '2026-01-01' END, false, '', ''"
            " FROM generate_series(1, %s) i",
            [person, PEOPLE, organisation, DETENTIONS],
        )
        cursor.execute(
            "INSERT INTO incidents_sourcelink (source_id, raid_id, quote)"
            f" SELECT {source} + id %% {SOURCES}, id, '' FROM incidents_raid",
            [],
        )
        cursor.execute(
            "INSERT INTO incidents_sourcelink (source_id, detention_id, quote)"
            f" SELECT {source} + id %% {SOURCES}, id, '' FROM incidents_detention",
            [],
        )
        # Statistics, and the trigram indexes' pending entries merged, as autovacuum would.
        cursor.execute("VACUUM ANALYZE")
    return {"person": person + 4321, "organisation": organisation + 77, "agency": organisation}


@pytest.fixture(scope="module")
def large_tables(django_db_setup, django_db_blocker):
    """The filled tables, committed once for this module's tests and emptied after them."""
    with django_db_blocker.unblock():
        yield fill_large_tables()
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE incidents_sourcelink, incidents_raid_target_people,"
                " incidents_raid_target_organisations, incidents_raid_perpetrators,"
                " incidents_detention, incidents_raid, incidents_source, organisations_person,"
                " organisations_organisation CASCADE"
            )


def large_scans(plan: dict) -> list[str]:
    """Sequential scans of large tables anywhere in an EXPLAIN (FORMAT JSON) plan."""
    found = []
    if plan.get("Node Type") == "Seq Scan" and plan.get("Relation Name") in LARGE_TABLES:
        found.append(plan["Relation Name"])
    for child in plan.get("Plans", []):
        found += large_scans(child)
    return found


def scans_of(client, url: str) -> list[str]:
    """Each large table scanned in full by a query of ``url``, with the query."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.content[:300])
    found = []
    with connection.cursor() as cursor:
        for query in queries.captured_queries:
            if not query["sql"].lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN (FORMAT JSON) " + query["sql"])
            raw = cursor.fetchone()[0]
            plan = (json.loads(raw) if isinstance(raw, str) else raw)[0]["Plan"]
            found += [f"{table} in {query['sql'][:100]}…" for table in large_scans(plan)]
    return found


def api_urls(values: dict[str, int]) -> list[str]:
    incident_filters = [
        {},
        {"date_from": "2024-01-01"},
        {"date_to": "2020-09-01"},
        {"region": "BY-HM"},
        {"settlement": "Town 299"},
        {"organisation": values["organisation"]},
        {"organisation": values["agency"]},
        {"person": values["person"]},
        {"in_custody": "true"},
        {"in_custody": "false"},
        {"q": NAME},
        {"q": "Town 299"},
        {"q": PSEUDONYM},
        {"updated_since": "2099-01-01T00:00:00Z"},
    ]
    per_collection = {
        "raids": [*incident_filters, {"premises": "home"}],
        "detentions": [*incident_filters, {"outcome": "released"}],
        "incidents": [*incident_filters, {"kind": "raid"}],
        "people": [
            {},
            {"q": NAME},
            {"q": f"Anna {NAME}"},
            {"q": PSEUDONYM},
            {"organisation": values["organisation"]},
            {"updated_since": "2099-01-01T00:00:00Z"},
        ],
        "sources": [
            {},
            {"q": "Source 17"},
            {"kind": "news"},
            {"date_from": "2024-01-01"},
            {"person": values["person"]},
            {"organisation": values["organisation"]},
            {"updated_since": "2099-01-01T00:00:00Z"},
        ],
        "organisations": [{}, {"q": "Group"}, {"updated_since": "2099-01-01T00:00:00Z"}],
    }
    return [
        f"/api/v1/{collection}/?{urlencode({**params, 'page_size': 100})}"
        for collection, filters in per_collection.items()
        for params in filters
    ]


@pytest.mark.django_db
def test_api_pages_and_filters_scan_no_large_table(client, settings, large_tables):
    settings.API_THROTTLE_RATES = {"anonymous": None, "token": None}
    values = large_tables
    failures = [f"{url}: {scan}" for url in api_urls(values) for scan in scans_of(client, url)]
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_admin_lists_scan_no_large_table_and_count_no_large_list(admin_client, large_tables):
    pages = [
        "/admin/incidents/raid/",
        "/admin/incidents/raid/?q=Town+299",
        f"/admin/incidents/raid/?q={NAME}",
        "/admin/incidents/raid/?date__year=2022",
        "/admin/incidents/raid/?date__year=2022&date__month=3",
        "/admin/incidents/detention/",
        f"/admin/incidents/detention/?q={NAME}",
        "/admin/incidents/detention/?date__year=2021",
        "/admin/organisations/person/",
        f"/admin/organisations/person/?q={NAME}",
        "/admin/incidents/source/",
        "/admin/incidents/sourcelink/",
        "/admin/autocomplete/?"
        + urlencode(
            {
                "app_label": "incidents",
                "model_name": "raid",
                "field_name": "target_people",
                "term": NAME,
            }
        ),
    ]
    failures = [f"{page}: {scan}" for page in pages for scan in scans_of(admin_client, page)]
    assert not failures, "\n".join(failures)

    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get("/admin/incidents/raid/")
    counts = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT COUNT(")]
    assert counts == []  # the list's size is PostgreSQL's estimate, not a COUNT(*)
    assert response.context["cl"].result_count >= EXACT_BELOW


@pytest.mark.django_db
@pytest.mark.parametrize(
    "page", ["incidents/raid", "incidents/detention", "organisations/person", "incidents/source"]
)
def test_admin_list_queries_a_fixed_number_whatever_the_rows(admin_client, page, large_tables):
    """The same queries for any page of 50 rows (nothing per row), and the raid list's
    seized-item counts by a subquery per row shown, not by grouping every raid."""
    counted = []
    for number in (1, 2):
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(f"/admin/{page}/?p={number}").status_code == 200
        counted.append(len(queries))
    assert counted[0] == counted[1] <= ADMIN_LIST_QUERIES
    if page == "incidents/raid":
        listed = [
            q["sql"]
            for q in queries.captured_queries
            if "incidents_seizeditem" in q["sql"] and not q["sql"].startswith("EXPLAIN")
        ]
        assert len(listed) == 1
        assert 'GROUP BY "incidents_raid"."id"' not in listed[0]
        assert listed[0].rstrip().endswith("LIMIT 50 OFFSET 50")
