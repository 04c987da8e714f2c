"""Measure the NDJSON export of the incident feed against PostgreSQL's own COPY.

Run by hand, never in the tests:

    .venv/bin/python bench/export.py                  # 100,000 incidents
    .venv/bin/python bench/export.py --rows 1000000   # 1,000,000 incidents

It fills a separate database (``--database-url``, default ``tracker_bench_export``) with generated
incidents once (published and public, each raid with a targeted person, a targeted
organisation, a perpetrator and a source; each detention with a person, an authority and a
source), starts gunicorn on 127.0.0.1 with one worker, streams
``/api/v1/export/incidents/?format=ndjson`` as an anonymous caller, and reads the worker's
peak resident memory (VmHWM) from /proc. It then runs
``COPY (SELECT row_to_json(...)) TO STDOUT`` of the same rows, nested people and
organisations included, and prints both times and their ratio.

With ``--dump`` it also builds the full dumps (``tracker.dumps.build()``, what the Celery
task runs) in a process of its own, into a temporary ``MEDIA_ROOT``: the time of the whole
set (every collection, NDJSON and CSV, both access levels) and of the incidents' two files
for one level, against the streamed export, with the building process's peak memory.
"""

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/tracker_bench_export"
PUBLIC = "status = 'published' AND visibility = 'public'"


def public(alias: str) -> str:
    """What an anonymous caller may see, for the table at ``alias``."""
    return f"{alias}.status = 'published' AND {alias}.visibility = 'public'"


# The same rows as the API's, nested lists built by grouped joins (PostgreSQL's best plan
# for a full export), so that the comparison is with COPY at its fastest.
COPY_SQL = f"""
COPY (
WITH
  raid_people AS (
    SELECT tp.raid_id, json_agg(json_build_object('id', p.id, 'name',
      CASE WHEN p.may_be_named THEN p.name ELSE p.pseudonym END) ORDER BY tp.id) AS people
    FROM incidents_raid_target_people tp JOIN organisations_person p ON p.id = tp.person_id
    WHERE {public("p")} GROUP BY tp.raid_id),
  raid_organisations AS (
    SELECT raid_id, json_agg(json_build_object('id', id, 'name', name, 'role', role)
      ORDER BY role DESC, link) AS organisations
    FROM (SELECT tg.raid_id, tg.id AS link, g.id, g.name, 'target' AS role
          FROM incidents_raid_target_organisations tg
          JOIN organisations_organisation g ON g.id = tg.organisation_id WHERE {public("g")}
          UNION ALL
          SELECT pg.raid_id, pg.id, g.id, g.name, 'perpetrator'
          FROM incidents_raid_perpetrators pg
          JOIN organisations_organisation g ON g.id = pg.organisation_id WHERE {public("g")}) o
    GROUP BY raid_id),
  counts AS (
    SELECT l.raid_id, l.detention_id, count(*) AS n
    FROM incidents_sourcelink l JOIN incidents_source s ON s.id = l.source_id
    WHERE {public("s")} GROUP BY l.raid_id, l.detention_id)
SELECT row_to_json(t) FROM (
  SELECT 'raid' AS kind, r.id, r.date, r.date_precision, r.settlement, r.region,
    r.latitude, r.longitude, COALESCE(rp.people, '[]') AS people,
    COALESCE(ro.organisations, '[]') AS organisations, COALESCE(c.n, 0) AS source_count,
    r.updated_at, '/api/v1/raids/' || r.id || '/' AS url
  FROM incidents_raid r
  LEFT JOIN raid_people rp ON rp.raid_id = r.id
  LEFT JOIN raid_organisations ro ON ro.raid_id = r.id
  LEFT JOIN counts c ON c.raid_id = r.id
  WHERE {public("r")}
  UNION ALL
  SELECT 'detention', d.id, d.date, d.date_precision, d.settlement, d.region,
    d.latitude, d.longitude,
    CASE WHEN p.id IS NULL THEN '[]' ELSE json_build_array(json_build_object('id', p.id,
      'name', CASE WHEN p.may_be_named THEN p.name ELSE p.pseudonym END)) END,
    CASE WHEN g.id IS NULL THEN '[]' ELSE json_build_array(json_build_object('id', g.id,
      'name', g.name, 'role', 'perpetrator')) END,
    COALESCE(c.n, 0), d.updated_at, '/api/v1/detentions/' || d.id || '/'
  FROM incidents_detention d
  LEFT JOIN organisations_person p ON p.id = d.person_id AND {public("p")}
  LEFT JOIN organisations_organisation g ON g.id = d.authority_id AND {public("g")}
  LEFT JOIN counts c ON c.detention_id = d.id
  WHERE {public("d")}
  ORDER BY 2, 1
) t) TO STDOUT
"""
# The lower bound: the flat columns alone, no nested rows at all.
FLAT_COPY_SQL = f"""
COPY (SELECT row_to_json(t) FROM (
  SELECT 'raid' AS kind, id, date, date_precision, settlement, region, latitude, longitude,
    updated_at FROM incidents_raid WHERE {PUBLIC}
  UNION ALL
  SELECT 'detention', id, date, date_precision, settlement, region, latitude, longitude,
    updated_at FROM incidents_detention WHERE {PUBLIC}
  ORDER BY 2, 1) t) TO STDOUT
"""


def ensure_database(url: str) -> None:
    info = psycopg.conninfo.conninfo_to_dict(url)
    name = info.pop("dbname")
    with psycopg.connect(**info, dbname="postgres", autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not exists.fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def run_django(url: str, *args: str) -> None:
    env = {**os.environ, "DATABASE_URL": url}
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def count_incidents(url: str) -> int:
    with psycopg.connect(url) as connection:
        raids = connection.execute(f"SELECT count(*) FROM incidents_raid WHERE {PUBLIC}")
        detentions = connection.execute(f"SELECT count(*) FROM incidents_detention WHERE {PUBLIC}")
        return raids.fetchone()[0] + detentions.fetchone()[0]


def generate(url: str, rows: int) -> None:
    """Generated incidents, half raids and half detentions, written with bulk_create."""
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    sys.path.insert(0, str(ROOT))
    import datetime
    import random

    import django

    django.setup()
    from django.db import transaction

    from incidents.models import Detention, Raid, Source, SourceLink
    from organisations.models import Organisation, Person
    from tracker.places import Region

    random.seed(1)
    public = {"status": "published", "visibility": "public"}
    regions = [r for r in Region.values if r.startswith("BY-")]
    start = datetime.date(2020, 8, 9)
    with transaction.atomic():
        organisations = Organisation.objects.bulk_create(
            Organisation(name=f"Organisation {i}", kind="human_rights", **public)
            for i in range(max(rows // 100, 10))
        )
        agencies = Organisation.objects.bulk_create(
            Organisation(name=f"Agency {i}", kind="state_agency", is_state_actor=True, **public)
            for i in range(20)
        )
        people = Person.objects.bulk_create(
            (
                Person(name=f"Person {i}", may_be_named=i % 3 > 0, pseudonym=f"P-{i}", **public)
                for i in range(max(rows // 10, 10))
            ),
            batch_size=5000,
        )
        sources = Source.objects.bulk_create(
            Source(title=f"Source {i}", kind="news", **public) for i in range(max(rows // 50, 10))
        )
        half = rows // 2
        for offset in range(0, half, 10000):
            size = min(10000, half - offset)
            raids = Raid.objects.bulk_create(
                Raid(
                    date=start + datetime.timedelta(days=random.randrange(1500)),
                    premises_type="home",
                    settlement=f"Town {random.randrange(300)}",
                    region=random.choice(regions),
                    latitude=round(random.uniform(51.3, 56.1), 5),
                    longitude=round(random.uniform(23.2, 32.7), 5),
                    narrative="Generated raid.",
                    **public,
                )
                for _ in range(size)
            )
            Raid.target_people.through.objects.bulk_create(
                Raid.target_people.through(raid=r, person=random.choice(people)) for r in raids
            )
            Raid.target_organisations.through.objects.bulk_create(
                Raid.target_organisations.through(raid=r, organisation=random.choice(organisations))
                for r in raids
            )
            Raid.perpetrators.through.objects.bulk_create(
                Raid.perpetrators.through(raid=r, organisation=random.choice(agencies))
                for r in raids
            )
            detentions = Detention.objects.bulk_create(
                Detention(
                    person=random.choice(people),
                    authority=random.choice(agencies),
                    date=start + datetime.timedelta(days=random.randrange(1500)),
                    settlement=f"Town {random.randrange(300)}",
                    region=random.choice(regions),
                    **public,
                )
                for _ in range(size)
            )
            SourceLink.objects.bulk_create(
                [SourceLink(source=random.choice(sources), raid=r) for r in raids]
                + [SourceLink(source=random.choice(sources), detention=d) for d in detentions]
            )
            print(f"  generated {2 * (offset + size):,} incidents", flush=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def peak_memory_kib(pid: int) -> tuple[int, int]:
    """Current and peak resident memory of a process, in KiB."""
    fields = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
    )
    return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])


def worker_pid(master: int) -> int:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return int(children[0])


def measure_api(url: str) -> tuple[float, int, int, int]:
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "false",
        "API_THROTTLE_ANONYMOUS": "",
        "LOG_LEVEL": "WARNING",
    }
    command = [sys.executable, "-m", "gunicorn", "tracker.wsgi", "-b", f"127.0.0.1:{port}"]
    server = subprocess.Popen([*command, "-w", "1", "--timeout", "3600"], cwd=ROOT, env=env)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/api/v1/", timeout=2).read()
                break
            except OSError:
                time.sleep(0.2)
        worker = worker_pid(server.pid)
        before, _ = peak_memory_kib(worker)
        started = time.perf_counter()
        lines = size = 0
        export = f"{base}/api/v1/export/incidents/?format=ndjson"
        with urllib.request.urlopen(export, timeout=3600) as response:
            while block := response.read(1 << 16):
                size += len(block)
                lines += block.count(b"\n")
        elapsed = time.perf_counter() - started
        _, peak = peak_memory_kib(worker)
        return elapsed, lines - 1, before, peak  # the last line marks completeness
    finally:
        server.terminate()
        server.wait(timeout=30)


def measure_copy(url: str, sql: str) -> tuple[float, int]:
    with psycopg.connect(url) as connection, connection.cursor() as cursor:
        started = time.perf_counter()
        lines = 0
        with cursor.copy(sql) as copy:
            for block in copy:
                lines += bytes(block).count(b"\n")
        return time.perf_counter() - started, lines


# Runs in the building process: the same call as the Celery task, then its own VmHWM.
DUMP_SCRIPT = """
import json, time, django
django.setup()
from pathlib import Path
from tracker import access, dumps
from tracker.api import collections

def memory(field):
    lines = Path("/proc/self/status").read_text().splitlines()
    return int(next(line for line in lines if line.startswith(field)).split()[1])

before = memory("VmRSS:")
view = dumps._view(collections.views()["incidents"], access.ANONYMOUS)
started = time.perf_counter()
targets = dumps.write_collection(view)
incidents = time.perf_counter() - started
sizes = {fmt: target.close()[0] for fmt, target in targets.items()}
rows = targets["ndjson"].rows
print(json.dumps({
    "incidents": incidents, "rows": rows, "sizes": sizes, "incidents_peak": memory("VmHWM:"),
}), flush=True)
started = time.perf_counter()
made = dumps.build()
whole = time.perf_counter() - started
print(json.dumps({
    "before": before, "peak": memory("VmHWM:"), "whole": whole, "files": len(made),
    "bytes": sum(d.size for d in made),
}))
"""


def measure_dump(url: str) -> dict:
    with tempfile.TemporaryDirectory() as media:
        env = {**os.environ, "DATABASE_URL": url, "MEDIA_ROOT": media, "LOG_LEVEL": "WARNING"}
        env["DEBUG"] = "false"  # as in production: DEBUG keeps every query's SQL in memory
        env["DJANGO_SETTINGS_MODULE"] = "tracker.settings"
        result = subprocess.run(
            [sys.executable, "-c", DUMP_SCRIPT],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
    first, last = result.stdout.splitlines()[-2:]
    return {**json.loads(first), **json.loads(last)}


def report_dump(url: str, api_time: float) -> None:
    dump = measure_dump(url)
    mib = 1024 * 1024
    print(
        f"dump, incidents (NDJSON + CSV): {dump['rows']:,} rows in {dump['incidents']:.2f} s, "
        f"{dump['sizes']['ndjson'] / mib:.0f} + {dump['sizes']['csv'] / mib:.0f} MiB gzipped"
    )
    print(f"ratio dump incidents / export: {dump['incidents'] / api_time:.2f}x")
    print(
        f"dump, whole set:               {dump['files']} files in {dump['whole']:.2f} s, "
        f"{dump['bytes'] / mib:.0f} MiB"
    )
    print(
        f"building process memory:       {dump['before'] / 1024:.0f} MiB before, "
        f"{dump['peak'] / 1024:.0f} MiB peak"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="incidents to generate")
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--dump", action="store_true", help="also build the full dumps")
    options = parser.parse_args()

    ensure_database(options.database_url)
    run_django(options.database_url, "migrate", "--noinput", "-v0")
    present = count_incidents(options.database_url)
    if present < options.rows:
        print(f"Generating {options.rows - present:,} incidents in {options.database_url} ...")
        generate(options.database_url, options.rows - present)
    rows = count_incidents(options.database_url)
    with psycopg.connect(options.database_url, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")  # fresh statistics for both contenders

    api_time, api_lines, rss_before, rss_peak = measure_api(options.database_url)
    copy_time, copy_lines = measure_copy(options.database_url, COPY_SQL)
    flat_time, flat_lines = measure_copy(options.database_url, FLAT_COPY_SQL)
    print(f"incidents in the database:     {rows:,}")
    print(f"API NDJSON export:             {api_lines:,} rows in {api_time:.2f} s")
    print(f"COPY row_to_json, same rows:   {copy_lines:,} rows in {copy_time:.2f} s")
    print(f"COPY row_to_json, flat only:   {flat_lines:,} rows in {flat_time:.2f} s")
    print(f"ratio API / COPY same rows:    {api_time / copy_time:.2f}x")
    print(f"ratio API / COPY flat only:    {api_time / flat_time:.2f}x")
    print(
        f"server worker memory:          {rss_before / 1024:.0f} MiB before, "
        f"{rss_peak / 1024:.0f} MiB peak"
    )
    if options.dump:
        report_dump(options.database_url, api_time)


if __name__ == "__main__":
    main()
