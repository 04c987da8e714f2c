"""Time every API collection with each of its filters at several page sizes, and the admin's lists.

Run by hand, never in the tests:

    .venv/bin/python bench/api.py                        # 100,000 incidents
    .venv/bin/python bench/api.py --rows 1000000         # 1,000,000 (another --database-url)
    .venv/bin/python bench/api.py --only sources --sizes 100

It fills a separate database (``--database-url``, default ``tracker_bench_api``) once with
``bench/export.py``'s generator (half raids, half detentions, a tenth as many people, each
with their search key), then requests each page in this process through Django's test client
(the whole middleware stack, as an anonymous caller; the admin as a logged-in superuser) and
prints, for each cell, the median of ``--runs`` timings after one warm-up request and the
ratio to the unfiltered first page of the same collection and size. For raids and people it
also times a stock DRF ``ModelSerializer`` view of the same rows (defined here only),
alternating the two sides run by run, and prints how many times faster the API is.
"""

import argparse
import os
import statistics
import sys
import time
import types
from pathlib import Path
from urllib.parse import urlencode

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
import export  # the generator and database helpers

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/tracker_bench_api"


def environment(url: str) -> None:
    """Settings of a production-like process, read when Django starts (also by the generator)."""
    os.environ.update(
        DATABASE_URL=url,
        DEBUG="false",
        ALLOWED_HOSTS="testserver",
        API_THROTTLE_ANONYMOUS="",
        API_THROTTLE_TOKEN="",
        CONN_MAX_AGE=os.environ.get("CONN_MAX_AGE", "60"),  # as in production
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="tracker.settings",
    )


def setup_django() -> None:
    sys.path.insert(0, str(export.ROOT))
    import django

    django.setup()


def baseline_urls() -> str:
    """A URL module with the product's URLs and the stock DRF views under ``/baseline/``."""
    from django.urls import include, path
    from rest_framework import generics, pagination, serializers

    from incidents.models import Raid
    from organisations.models import Organisation, Person, PersonName

    class Page(pagination.CursorPagination):
        ordering = "id"
        page_size_query_param = "page_size"
        max_page_size = 5000

    class PersonRef(serializers.ModelSerializer):
        class Meta:
            model = Person
            fields = ("id", "name")

    class OrganisationRef(serializers.ModelSerializer):
        class Meta:
            model = Organisation
            fields = ("id", "name")

    class RaidSerializer(serializers.ModelSerializer):
        target_people = PersonRef(many=True)
        target_organisations = OrganisationRef(many=True)
        perpetrators = OrganisationRef(many=True)

        class Meta:
            model = Raid
            fields = "__all__"

    class OtherName(serializers.ModelSerializer):
        class Meta:
            model = PersonName
            fields = ("name", "language")

    class PersonSerializer(serializers.ModelSerializer):
        other_names = OtherName(many=True)

        class Meta:
            model = Person
            fields = (
                "id",
                "name",
                "pseudonym",
                "may_be_named",
                "gender",
                "birth_year",
                "occupation",
                "other_names",
                "status",
                "visibility",
                "updated_at",
            )

    public = {"status": "published", "visibility": "public"}

    class Raids(generics.ListAPIView):
        serializer_class = RaidSerializer
        pagination_class = Page
        queryset = Raid.objects.filter(**public).prefetch_related(
            "target_people", "target_organisations", "perpetrators"
        )

    class People(generics.ListAPIView):
        serializer_class = PersonSerializer
        pagination_class = Page
        queryset = Person.objects.filter(**public).prefetch_related("other_names")

    module = types.ModuleType("bench_api_urls")
    module.urlpatterns = [
        path("baseline/raids/", Raids.as_view()),
        path("baseline/people/", People.as_view()),
        path("", include("tracker.urls")),
    ]
    sys.modules[module.__name__] = module
    return module.__name__


class TooSlow(Exception):
    """A query ran past ``--statement-timeout``."""


def timed(client, url: str) -> float:
    from django.db import OperationalError

    started = time.perf_counter()
    try:
        response = client.get(url)
    except OperationalError as error:
        if "statement timeout" in str(error):
            raise TooSlow from None
        raise
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit(f"{url}: {response.status_code} {response.content[:300]!r}")
    return elapsed


def median_ms(client, url: str, runs: int) -> float:
    """The median in ms, or infinity when a query ran past the statement timeout."""
    try:
        timed(client, url)  # warm-up
        return 1000 * statistics.median(timed(client, url) for _ in range(runs))
    except TooSlow:
        return float("inf")


def limit_statements(seconds: float) -> None:
    """Stop any query after ``seconds``: a cell that slow prints as ``inf``."""
    from django.db.backends.signals import connection_created

    def set_timeout(sender, connection, **kwargs) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"SET statement_timeout = {int(seconds * 1000)}")

    connection_created.connect(set_timeout, weak=False)


def sample_values() -> dict[str, str]:
    """Filter values that exist in the generated data."""
    from django.db.models import Max

    from incidents.models import Raid, Source
    from organisations.models import Organisation, Person

    raid = Raid.objects.order_by("id")[Raid.objects.count() // 2]
    person = raid.target_people.first()
    target = raid.target_organisations.first()
    agency = raid.perpetrators.first()
    latest = Raid.objects.aggregate(latest=Max("updated_at"))["latest"]
    source = Source.objects.order_by("id").first()
    return {
        "person": str(person.pk),
        "person_name": person.name.split()[-1],
        "organisation": str(target.pk),
        "agency": str(agency.pk),
        "agency_name": agency.name,
        "organisation_name": Organisation.objects.get(pk=target.pk).name,
        "settlement": raid.settlement,
        "updated_since": latest.isoformat().replace("+00:00", "Z"),
        "source_title": source.title,
        "people": str(Person.objects.count()),
    }


def api_cells(v: dict[str, str]) -> dict[str, list[tuple[str, dict]]]:
    """Each collection's filters (``docs/api.md``), with values found in the data."""
    incident = [
        ("page 1", {}),
        ("date_from", {"date_from": "2024-01-01"}),
        ("date_to", {"date_to": "2020-09-01"}),
        ("region", {"region": "BY-HM"}),
        ("settlement", {"settlement": v["settlement"]}),
        ("organisation (target)", {"organisation": v["organisation"]}),
        ("organisation (agency)", {"organisation": v["agency"]}),
        ("person", {"person": v["person"]}),
        ("in_custody=true", {"in_custody": "true"}),
        ("in_custody=false", {"in_custody": "false"}),
        ("q (family name)", {"q": v["person_name"]}),
        ("q (settlement)", {"q": v["settlement"]}),
        ("q (organisation)", {"q": v["agency_name"]}),
        ("updated_since", {"updated_since": v["updated_since"]}),
    ]
    return {
        "incidents": [*incident, ("kind", {"kind": "detention"})],
        "raids": [*incident, ("premises", {"premises": "home"})],
        "detentions": [*incident, ("outcome", {"outcome": "released"})],
        "people": [
            ("page 1", {}),
            ("q (family name)", {"q": v["person_name"]}),
            ("q (full name)", {"q": "Алесь " + v["person_name"]}),
            ("organisation", {"organisation": v["organisation"]}),
            ("updated_since", {"updated_since": v["updated_since"]}),
        ],
        "organisations": [
            ("page 1", {}),
            ("q", {"q": v["organisation_name"]}),
            ("kind", {"kind": "state_agency"}),
            ("is_state_actor", {"is_state_actor": "true"}),
            ("updated_since", {"updated_since": v["updated_since"]}),
        ],
        "sources": [
            ("page 1", {}),
            ("q", {"q": v["source_title"]}),
            ("kind", {"kind": "news"}),
            ("date_from", {"date_from": "2024-01-01"}),
            ("date_to", {"date_to": "2020-09-01"}),
            ("organisation", {"organisation": v["organisation"]}),
            ("person", {"person": v["person"]}),
            ("updated_since", {"updated_since": v["updated_since"]}),
        ],
    }


def admin_cells(v: dict[str, str]) -> list[tuple[str, str]]:
    raid = "/admin/incidents/raid/"
    detention = "/admin/incidents/detention/"
    autocomplete = "/admin/autocomplete/?"
    return [
        ("raids: list", raid),
        ("raids: search", raid + "?" + urlencode({"q": v["settlement"]})),
        ("raids: filter region", raid + "?region__exact=BY-HM"),
        ("raids: filter status", raid + "?status__exact=published"),
        ("raids: year", raid + "?date__year=2022"),
        ("raids: month", raid + "?date__year=2022&date__month=3"),
        ("detentions: list", detention),
        ("detentions: search", detention + "?" + urlencode({"q": v["settlement"]})),
        ("detentions: filter region", detention + "?region__exact=BY-HM"),
        ("detentions: year", detention + "?date__year=2022"),
        ("people: list", "/admin/organisations/person/"),
        ("people: search", "/admin/organisations/person/?" + urlencode({"q": v["person_name"]})),
        ("people: filter", "/admin/organisations/person/?may_be_named__exact=0"),
        ("organisations: list", "/admin/organisations/organisation/"),
        ("sources: list", "/admin/incidents/source/"),
        ("sources: search", "/admin/incidents/source/?" + urlencode({"q": v["source_title"]})),
        ("sources: filter kind", "/admin/incidents/source/?kind__exact=news"),
        (
            "autocomplete: person",
            autocomplete
            + urlencode(
                {
                    "app_label": "incidents",
                    "model_name": "raid",
                    "field_name": "target_people",
                    "term": v["person_name"],
                }
            ),
        ),
        (
            "autocomplete: organisation",
            autocomplete
            + urlencode(
                {
                    "app_label": "incidents",
                    "model_name": "raid",
                    "field_name": "perpetrators",
                    "term": v["agency_name"],
                }
            ),
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="incidents to generate")
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--runs", type=int, default=5, help="timed requests per cell")
    parser.add_argument("--sizes", default="10,100,1000", help="page sizes, comma-separated")
    parser.add_argument("--only", default="", help="cells whose name contains this text")
    parser.add_argument(
        "--statement-timeout", type=float, default=30, help="seconds; slower cells print inf"
    )
    parser.add_argument("--no-admin", action="store_true")
    parser.add_argument("--no-baseline", action="store_true")
    options = parser.parse_args()
    sizes = [int(size) for size in options.sizes.split(",")]

    environment(options.database_url)
    export.ensure_database(options.database_url)
    export.run_django(options.database_url, "migrate", "--noinput", "-v0")
    present = export.count_incidents(options.database_url)
    if present < options.rows:
        print(f"Generating {options.rows - present:,} incidents in {options.database_url} ...")
        export.generate(options.database_url, options.rows - present)
        with psycopg.connect(options.database_url, autocommit=True) as connection:
            connection.execute("VACUUM ANALYZE")
    setup_django()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    settings.ROOT_URLCONF = baseline_urls()
    limit_statements(options.statement_timeout)
    values = sample_values()
    print(
        f"incidents: {export.count_incidents(options.database_url):,}, people: "
        f"{int(values['people']):,}; medians of {options.runs} runs, ms"
    )
    client = Client()

    print(f"\n{'API cell':45}" + "".join(f"{f'page {s}':>12}{'ratio':>7}" for s in sizes))
    for collection, cells in api_cells(values).items():
        first: dict[int, float] = {}
        for label, params in cells:
            name = f"{collection}: {label}"
            if options.only not in name:
                continue
            line = f"{name:45}"
            for size in sizes:
                query = urlencode({**params, "page_size": size})
                ms = median_ms(client, f"/api/v1/{collection}/?{query}", options.runs)
                first.setdefault(size, ms)
                line += f"{ms:12.1f}{ms / first[size]:6.2f}x"
            print(line, flush=True)

    if not options.no_baseline:
        print(
            f"\n{'stock DRF ModelSerializer vs API':45}"
            + "".join(f"{f'page {s}':>20}" for s in sizes)
        )
        for collection in ("raids", "people"):
            if options.only not in collection:
                continue
            line = f"{collection:45}"
            for size in sizes:
                api_url = f"/api/v1/{collection}/?page_size={size}"
                stock_url = f"/baseline/{collection}/?page_size={size}"
                timed(client, api_url), timed(client, stock_url)
                api, stock = [], []
                for _ in range(options.runs):  # alternate the two sides
                    api.append(timed(client, api_url))
                    stock.append(timed(client, stock_url))
                api_ms, stock_ms = 1000 * statistics.median(api), 1000 * statistics.median(stock)
                line += f"{api_ms:7.1f}/{stock_ms:6.1f} {stock_ms / api_ms:4.1f}x"
            print(line, flush=True)

    if not options.no_admin:
        user, _ = get_user_model().objects.get_or_create(
            username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
        )
        staff = Client()
        staff.force_login(user)
        print(f"\n{'admin page':45}{'median':>12}")
        for label, url in admin_cells(values):
            if options.only in f"admin {label}":
                print(f"{label:45}{median_ms(staff, url, options.runs):12.1f}", flush=True)


if __name__ == "__main__":
    main()
