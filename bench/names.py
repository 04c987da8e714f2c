"""Measure name search: recall of real people under other spellings, and its latency.

Run by hand, never in the tests:

    .venv/bin/python bench/names.py                    # 100,000 people
    .venv/bin/python bench/names.py --people 1000000   # 1,000,000 people

It fills a separate database (``--database-url``, default ``tracker_names_bench``) with the
real people of tests/name_search_data.py, each under one spelling, their look-alikes and a
generated crowd (again when the count or the key function changed). It then searches every
other spelling of each real person with ``Person.objects.matching()`` (the admin search, the
autocomplete and the API's ``q`` use it), keeps the top five, and prints the recall and the
p50/p95 latency of the measured passes (after one warm-up pass).
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/tracker_names_bench"
BATCH = 10_000


def ensure_database(url: str) -> None:
    info = psycopg.conninfo.conninfo_to_dict(url)
    name = info.pop("dbname")
    with psycopg.connect(**info, dbname="postgres", autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not exists.fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def fill(people: int) -> None:
    from django.db import connection

    from organisations.models import Person
    from tests.name_search_data import everyone, people_rows
    from tracker.names import search_key

    names = everyone(people)
    first = Person.objects.order_by("pk").first()
    current = first and first.search_key == search_key([first.name])
    if current and Person.objects.count() == len(names):
        return
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE organisations_person CASCADE")
    for start in range(0, len(names), BATCH):
        Person.objects.bulk_create(people_rows(Person, names[start : start + BATCH]))
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE organisations_person")
    print(f"generated {len(names):,} people in {time.perf_counter() - started:.0f} s")


def search(runs: int) -> None:
    from organisations.models import Person
    from tests.name_search_data import PAIRS

    stored = {name: Person.objects.filter(name=name).order_by("pk")[0].pk for name, _ in PAIRS}
    timings, misses = [], []
    for run in range(runs + 1):
        for name, query in PAIRS:
            started = time.perf_counter()
            found = list(Person.objects.matching(query).values_list("pk", flat=True)[:5])
            elapsed = time.perf_counter() - started
            if run:
                timings.append(elapsed * 1000)
            elif stored[name] not in found:
                misses.append((name, query))
    quantiles = statistics.quantiles(timings, n=100)
    recall = 1 - len(misses) / len(PAIRS)
    print(f"{len(PAIRS)} searches, top-5 recall {recall:.1%} ({len(misses)} missed)")
    print(f"latency over {runs} passes: p50 {quantiles[49]:.1f} ms, p95 {quantiles[94]:.1f} ms,"
          f" max {max(timings):.1f} ms")  # fmt: skip
    for name, query in misses:
        print(f"  missed: {name} <- {query}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000, help="generated people")
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--runs", type=int, default=3, help="measured passes")
    args = parser.parse_args()
    ensure_database(args.database_url)
    env = {**os.environ, "DATABASE_URL": args.database_url}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    os.environ.update(DATABASE_URL=args.database_url, DJANGO_SETTINGS_MODULE="tracker.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    fill(args.people)
    search(args.runs)


if __name__ == "__main__":
    main()
