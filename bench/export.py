"""Measure the NDJSON export of the incident feed against PostgreSQL's own COPY.

Run by hand, never in the tests:

    .venv/bin/python bench/export.py                  # 100,000 incidents
    .venv/bin/python bench/export.py --rows 1000000   # 1,000,000 incidents

It fills a separate database (``--database-url``, default ``tracker_bench_export``) with generated
incidents once (published and public, each raid with a targeted person, a targeted
organisation, a perpetrator and a source; each detention with a person, an authority and a
source), starts gunicorn on 127.0.0.1 with one worker, then ``--runs`` times in turn streams
``/api/v1/export/incidents/?format=ndjson`` as an anonymous caller and runs
``COPY (SELECT row_to_json(...)) TO STDOUT`` of the same rows, nested people and
organisations included (JIT off on both sides, as the export sets it), and prints the
medians, their ratio and the worker's peak resident memory (VmHWM, from /proc).

With ``--dump`` it also builds the full dumps (``tracker.dumps.build()``, what the Celery
task runs) in a process of its own, into a temporary ``MEDIA_ROOT``: the time of the whole
set (every collection, NDJSON and CSV, both access levels) and of the incidents' two files
for one level, against the streamed export, with the building process's peak memory.
"""

import argparse
import contextlib
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
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


GIVEN_NAMES = (
    "Алесь",
    "Андрэй",
    "Марына",
    "Ігар",
    "Вольга",
    "Сяргей",
    "Наталля",
    "Павел",
    "Ірына",
    "Дзмітрый",
    "Таццяна",
    "Віктар",
    "Ганна",
    "Максім",
    "Святлана",
    "Юрый",
)
FAMILY_STARTS = (
    "Бял",
    "Кав",
    "Мал",
    "Сав",
    "Лук",
    "Нав",
    "Пятр",
    "Жук",
    "Ткач",
    "Гар",
    "Сцяп",
    "Каз",
    "Лев",
    "Міх",
    "Рам",
    "Яц",
    "Шум",
    "Дуб",
    "Вер",
    "Зай",
)
FAMILY_MIDDLES = ("", "ал", "ен", "ар", "ул")
FAMILY_ENDS = ("еня", "ёнак", "ыч", "ук", "оўскі", "ін", "ава", "ель", "ко", "ыш")


def person_name(i: int) -> str:
    """One of 16 given names and 1,000 family names: each family name about every 1,000th."""
    family = i % 1000
    start, middle, end = family // 50, family // 10 % 5, family % 10
    family_name = FAMILY_STARTS[start] + FAMILY_MIDDLES[middle] + FAMILY_ENDS[end]
    return f"{GIVEN_NAMES[i // 1000 % 16]} {family_name}"


RECORD = "'published', '', 'public', now(), now(), 1"  # status … version
RECORD_COLUMNS = "status, status_reason, visibility, created_at, updated_at, version"
REGIONS = ("BY-BR", "BY-HO", "BY-HR", "BY-MA", "BY-MI", "BY-VI", "BY-HM")


def generate(url: str, rows: int) -> None:
    """Generated incidents, half raids and half detentions, written inside PostgreSQL
    (``INSERT ... SELECT generate_series``) in one transaction; about a minute a million.

    People's and organisations' search keys are the project's own (``tracker.names``);
    every third person may not be named. Nine detentions in ten ended in a release.
    """
    sys.path.insert(0, str(ROOT))
    from tracker import names

    half, people, organisations, sources = (
        rows // 2, max(rows // 10, 10), max(rows // 100, 10), max(rows // 50, 10)
    )  # fmt: skip
    keys = {name: names.search_key([name]) for name in map(person_name, range(min(people, 16000)))}
    person_rows = (
        (person_name(i), keys[person_name(i)], i % 3 > 0, f"P-{i}") for i in range(people)
    )
    with psycopg.connect(url) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.1)")
        last = {
            table: cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0]
            for table in ("organisations_person", "organisations_organisation", "incidents_source")
        }
        with cursor.copy(
            f"COPY organisations_person ({RECORD_COLUMNS}, name, search_key, may_be_named,"
            " pseudonym, gender, occupation, home_region, confidential_notes, contact_details)"
            " FROM STDIN"
        ) as copy:
            for name, key, may_be_named, pseudonym in person_rows:
                copy.write_row(
                    ("published", "", "public", "now", "now", 1, name, key, may_be_named,
                     pseudonym, "unknown", "", "", "", "")
                )  # fmt: skip
        organisation_names = [f"Organisation {i}" for i in range(organisations)]
        agency_names = [f"Agency {i}" for i in range(20)]
        for kind, state, chosen in (
            ("human_rights", False, organisation_names), ("state_agency", True, agency_names)
        ):  # fmt: skip
            cursor.execute(
                f"INSERT INTO organisations_organisation ({RECORD_COLUMNS}, name, search_key,"
                " kind, is_state_actor, country, city, founded_precision, legal_status, website,"
                f" description) SELECT {RECORD}, n, k, %s, %s, 'BY', '', 'year', 'active', '', ''"
                " FROM unnest(%s::text[], %s::text[]) AS t(n, k)",
                [kind, state, chosen, [names.search_key([n]) for n in chosen]],
            )
        cursor.execute(
            f"INSERT INTO incidents_source ({RECORD_COLUMNS}, kind, title, publisher, url,"
            " published_on, reliability, file, sha256)"
            f" SELECT {RECORD}, 'news', 'Source ' || i, 'Publisher ' || i %% 50, '',"
            " date '2020-08-09' + (random() * 1500)::int, 'U', '', ''"
            " FROM generate_series(0, %s - 1) i",
            [sources],
        )
        person, organisation, source = (
            last["organisations_person"], last["organisations_organisation"],
            last["incidents_source"],
        )  # fmt: skip
        agency = organisation + organisations
        regions = list(REGIONS)
        place = (
            "'Town ' || (random() * 299)::int, (%(regions)s::text[])[1 + (random() * 6)::int],"
            " date '2020-08-09' + (random() * 1500)::int, 'day'"
        )
        ids = cursor.execute(
            f"INSERT INTO incidents_raid ({RECORD_COLUMNS}, settlement, region, date,"
            " date_precision, latitude, longitude, premises_type, case_reference, narrative,"
            f" external_ref) SELECT {RECORD}, {place}, round((51.3 + random() * 4.8)::numeric, 5),"
            " round((23.2 + random() * 9.5)::numeric, 5), 'home', '', 'Generated raid.', ''"
            " FROM generate_series(1, %(half)s) RETURNING id",
            {"regions": regions, "half": half},
        ).fetchall()
        first_raid = min(i for (i,) in ids)
        new_raids = f"FROM incidents_raid r WHERE r.id >= {first_raid}"
        for table, column, first, count in (
            ("incidents_raid_target_people", "person_id", person, people),
            ("incidents_raid_target_organisations", "organisation_id", organisation, organisations),
            ("incidents_raid_perpetrators", "organisation_id", agency, 20),
        ):
            cursor.execute(
                f"INSERT INTO {table} (raid_id, {column})"
                f" SELECT r.id, {first + 1} + (random() * {count - 1})::int {new_raids}"
            )
        ids = cursor.execute(
            f"INSERT INTO incidents_detention ({RECORD_COLUMNS}, settlement, region, date,"
            " date_precision, person_id, authority_id, legal_track,"
            " outcome, release_date, recognised_political_prisoner,"
            f" recognised_by, external_ref) SELECT {RECORD}, {place},"
            f" {person + 1} + (random() * {people - 1})::int,"
            f" {agency + 1} + (random() * 19)::int, 'unknown',"
            " CASE WHEN i %% 10 = 0 THEN 'in_custody' ELSE 'released' END,"
            " CASE WHEN i %% 10 = 0 THEN NULL ELSE date '2026-01-01' END, false, '', ''"
            " FROM generate_series(1, %(half)s) i RETURNING id",
            {"regions": regions, "half": half},
        ).fetchall()
        first_detention = min(i for (i,) in ids)
        random_source = f"{source + 1} + (random() * {sources - 1})::int"
        cursor.execute(
            f"INSERT INTO incidents_sourcelink (source_id, raid_id, quote)"
            f" SELECT {random_source}, r.id, '' {new_raids}"
        )
        cursor.execute(
            f"INSERT INTO incidents_sourcelink (source_id, detention_id, quote)"
            f" SELECT {random_source}, d.id, '' FROM incidents_detention d"
            f" WHERE d.id >= {first_detention}"
        )
        print(f"  generated {2 * half:,} incidents", flush=True)


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


@contextlib.contextmanager
def serve(url: str) -> Iterator[tuple[str, int]]:
    """gunicorn with one sync worker on a free port: its base URL and the worker's pid."""
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
        yield base, worker_pid(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)


def measure_api(base: str) -> tuple[float, int]:
    """One NDJSON export: seconds and rows."""
    started = time.perf_counter()
    lines = 0
    export = f"{base}/api/v1/export/incidents/?format=ndjson"
    with urllib.request.urlopen(export, timeout=3600) as response:
        while block := response.read(1 << 16):
            lines += block.count(b"\n")
    return time.perf_counter() - started, lines - 1  # the last line marks completeness


def measure_copy(url: str, sql: str) -> tuple[float, int]:
    with psycopg.connect(url) as connection, connection.cursor() as cursor:
        cursor.execute("SET jit = off")  # as the API's export does (tracker/api/export.py)
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
    parser.add_argument("--runs", type=int, default=5, help="runs of each side, alternated")
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

    times: dict[str, list[float]] = {"api": [], "copy": [], "flat": []}
    with serve(options.database_url) as (base, worker):
        rss_before, _ = peak_memory_kib(worker)
        for _ in range(options.runs):  # the sides alternate, so that load falls on all alike
            api_time, api_lines = measure_api(base)
            copy_time, copy_lines = measure_copy(options.database_url, COPY_SQL)
            flat_time, flat_lines = measure_copy(options.database_url, FLAT_COPY_SQL)
            for side, seconds in (("api", api_time), ("copy", copy_time), ("flat", flat_time)):
                times[side].append(seconds)
            print(f"  run: API {api_time:.2f} s, COPY {copy_time:.2f} s, flat {flat_time:.2f} s")
        _, rss_peak = peak_memory_kib(worker)
    api, same, flat = (statistics.median(times[side]) for side in ("api", "copy", "flat"))
    print(f"incidents in the database:     {rows:,}; medians of {options.runs} runs")
    print(f"API NDJSON export:             {api_lines:,} rows in {api:.2f} s")
    print(f"COPY row_to_json, same rows:   {copy_lines:,} rows in {same:.2f} s")
    print(f"COPY row_to_json, flat only:   {flat_lines:,} rows in {flat:.2f} s")
    ratios = sorted(a / c for a, c in zip(times["api"], times["copy"], strict=True))
    spread = f"runs {ratios[0]:.2f}x-{ratios[-1]:.2f}x"
    print(f"ratio API / COPY same rows:    {api / same:.2f}x ({spread})")
    print(f"ratio API / COPY flat only:    {api / flat:.2f}x")
    print(
        f"server worker memory:          {rss_before / 1024:.0f} MiB before, "
        f"{rss_peak / 1024:.0f} MiB peak"
    )
    if options.dump:
        report_dump(options.database_url, api)


if __name__ == "__main__":
    main()
