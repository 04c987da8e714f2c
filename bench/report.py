"""Time the nightly report over generated incidents against its raw SQL aggregates alone.

    .venv/bin/python bench/report.py [--incidents 1000000] [--regenerate] [--runs 3]

Works in a database of its own (BENCH_DATABASE_URL, default tracker_bench on the local
PostgreSQL), created and migrated when missing. The data is generated inside PostgreSQL
(INSERT ... SELECT generate_series): 60 % raids, 40 % detentions over ten years, 0.3 % of
detentions still in custody (about 1,200 people per million incidents, the order of today's
political prisoners in Belarus); every detention has a stay (a third a transfer and a second
stay), a lawyer fact, 5 % a "whereabouts unknown" fact (half found again) and two hearings.
Prints the median time of each side and their ratio; the goal is a report within 2x of its
aggregates.
"""

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tracker_bench")
os.environ.update(
    DATABASE_URL=URL,
    CELERY_BROKER_URL="",
    DJANGO_SETTINGS_MODULE="tracker.settings",
    MEDIA_ROOT=os.environ.get("BENCH_MEDIA_ROOT", tempfile.mkdtemp(prefix="bench-report-")),
)

DAY = datetime.date(2025, 6, 30)
REGIONS = "ARRAY['BY-BR','BY-HO','BY-HR','BY-HM','BY-MI','BY-MA','BY-VI','abroad','unknown']"
STATUSES = "ARRAY['draft','in_review','published','published','published','rejected']"
VISIBILITIES = "ARRAY['public','restricted','confidential']"
RECORD = f"""({STATUSES})[1 + floor(random() * 6)::int], '',
    ({VISIBILITIES})[1 + floor(random() * 3)::int], c, c + random() * interval '20 days', 1"""
# Each incident: a date over ten years, entered within five days of it.
INCIDENTS = """FROM (SELECT g, %(day)s::date - floor(random() * 3650)::int AS d
                FROM generate_series(1, {n}) g) s,
          LATERAL (SELECT ((d + time '09:00' + random() * interval '5 days')
                           AT TIME ZONE 'Europe/Minsk') AS c) t"""

GENERATE = [
    """TRUNCATE organisations_person, incidents_raid, incidents_detention, incidents_charge,
       incidents_sentence, incidents_nightlyreport, incidents_placeofcustody,
       incidents_custodystay, incidents_custodyfact, incidents_hearing,
       incidents_custodyevent RESTART IDENTITY CASCADE""",
    """INSERT INTO organisations_person (status, status_reason, visibility, created_at,
         updated_at, version, search_key, name, gender, occupation, home_region, may_be_named,
         pseudonym, confidential_notes, contact_details)
       SELECT 'published', '', 'public', now(), now(), 1, 'person ' || g, 'Person ' || g,
         'unknown', '', '', mod(g, 3) = 0, 'P' || g, '', ''
       FROM generate_series(1, %(people)s) g""",
    f"""INSERT INTO incidents_raid (status, status_reason, visibility, created_at, updated_at,
         version, settlement, region, date, date_precision, premises_type, case_reference,
         narrative, external_ref)
       SELECT {RECORD}, '', ({REGIONS})[1 + floor(random() * 9)::int], d, 'day', 'home', '', '',
         ''
       {INCIDENTS.format(n="%(raids)s")}""",
    f"""INSERT INTO incidents_detention (status, status_reason, visibility, created_at,
         updated_at, version, settlement, region, date, date_precision, person_id,
         legal_track, outcome, release_date, recognised_political_prisoner, recognised_by,
         recognised_on, external_ref)
       SELECT {RECORD}, '', ({REGIONS})[1 + floor(random() * 9)::int], d, 'day',
         1 + floor(random() * %(people)s)::int, 'criminal',
         CASE WHEN held THEN 'in_custody' ELSE 'released' END,
         CASE WHEN NOT held THEN d + 1 + floor(random() * 30)::int END,
         recognised, CASE WHEN recognised THEN 'Viasna' ELSE '' END,
         CASE WHEN recognised THEN d + floor(random() * 60)::int END, ''
       FROM (SELECT *, random() < 0.003 AS held, random() < 0.1 AS recognised
             FROM (SELECT g, %(day)s::date - floor(random() * 3650)::int AS d
                   FROM generate_series(1, %(detentions)s) g) s0) s,
       LATERAL (SELECT ((d + time '09:00' + random() * interval '5 days')
                        AT TIME ZONE 'Europe/Minsk') AS c) t""",
    """INSERT INTO incidents_charge (detention_id, code_article, text)
       SELECT id, 'Criminal Code 342', 'gross violation of public order'
       FROM incidents_detention WHERE release_date IS NULL OR mod(id, 5) = 0""",
    """INSERT INTO incidents_sentence (detention_id, court, date, kind, term_months)
       SELECT id, 'Court', date + 90, 'colony', 36
       FROM incidents_detention WHERE mod(id, 50) = 0""",
    """INSERT INTO incidents_placeofcustody (name, kind, region, is_confidential)
       SELECT 'Place ' || g, (ARRAY['temporary','pre_trial','colony'])[1 + mod(g, 3)],
         'unknown', mod(g, 10) = 0
       FROM generate_series(1, 40) g""",
    # Every detention a stay from its date; a third transferred after 10 days.
    """INSERT INTO incidents_custodystay (detention_id, place_id, since, since_precision,
         until, until_precision)
       SELECT id, 1 + mod(id, 40), date, 'day',
         CASE WHEN mod(id, 3) = 0 THEN LEAST(date + 10, COALESCE(release_date, date + 10))
              ELSE release_date END, 'day'
       FROM incidents_detention""",
    """INSERT INTO incidents_custodystay (detention_id, place_id, since, since_precision,
         until, until_precision)
       SELECT id, 1 + mod(id * 7, 40), LEAST(date + 10, COALESCE(release_date, date + 10)),
         'day', release_date, 'day'
       FROM incidents_detention WHERE mod(id, 3) = 0""",
    # Whereabouts unknown for 5 %, found again for half of those; a lawyer fact for all.
    """INSERT INTO incidents_custodyfact (detention_id, aspect, state, since, since_precision,
         note)
       SELECT id, 'whereabouts', 'unknown', date, 'day', '' FROM incidents_detention
       WHERE mod(id, 20) = 0
       UNION ALL
       SELECT id, 'whereabouts', 'known', date + 2, 'day', '' FROM incidents_detention
       WHERE mod(id, 40) = 0
       UNION ALL
       SELECT id, 'lawyer', 'granted', date + 1, 'day', '' FROM incidents_detention""",
    # Two hearings a detention over the months after it.
    """INSERT INTO incidents_hearing (detention_id, starts_at, court, kind, outcome)
       SELECT id, (date + n * 30 + time '10:00') AT TIME ZONE 'Europe/Minsk', 'Court',
         'trial', ''
       FROM incidents_detention, generate_series(1, 2) n""",
    "ANALYZE",
]

FACT = "status <> 'rejected'"
CUSTODY = f"""{FACT} AND date <= %(day)s
    AND ((release_date IS NULL AND outcome <> 'released') OR release_date > %(day)s)"""
REVIEW = """SELECT count(*) FILTER (WHERE updated_at >= %(end)s - interval '1 day'),
      count(*) FILTER (WHERE updated_at < %(end)s - interval '1 day'
                         AND updated_at >= %(end)s - interval '7 days'),
      count(*) FILTER (WHERE updated_at < %(end)s - interval '7 days'
                         AND updated_at >= %(end)s - interval '30 days'),
      count(*) FILTER (WHERE updated_at < %(end)s - interval '30 days')
    FROM {table} WHERE status = 'in_review'"""
AGGREGATES = [
    *(
        f"""SELECT count(*) FILTER (WHERE created_at >= %(start)s AND created_at < %(end)s),
             count(*) FILTER (WHERE updated_at >= %(start)s AND updated_at < %(end)s
                                AND created_at < %(start)s)
           FROM {table}"""
        for table in ("incidents_raid", "incidents_detention")
    ),
    f"""SELECT count(*), count(*) FILTER (WHERE w.state IN ('unknown', 'denied')),
         count(*) FILTER (WHERE w.state IN ('unknown', 'denied') AND w.since < %(day)s)
       FROM incidents_detention d
       LEFT JOIN LATERAL (SELECT state, since FROM incidents_custodyfact f
                          WHERE f.detention_id = d.id AND f.aspect = 'whereabouts'
                            AND f.since <= %(day)s
                          ORDER BY since DESC, id DESC LIMIT 1) w ON true
       WHERE {CUSTODY}""",
    """SELECT count(*) FROM incidents_hearing
       WHERE starts_at >= %(end)s AND starts_at < %(end)s + interval '7 days'""",
    f"""SELECT count(*) FILTER (WHERE recognised_political_prisoner
                                  AND recognised_on = %(day)s),
         count(*) FILTER (WHERE release_date = %(day)s),
         count(*) FILTER (WHERE s.date = %(day)s)
       FROM incidents_detention d LEFT JOIN incidents_sentence s ON s.detention_id = d.id
       WHERE {FACT}""",
    *(
        REVIEW.format(table=table)
        for table in (
            "incidents_raid",
            "incidents_detention",
            "organisations_person",
            "organisations_organisation",
            "incidents_source",
        )
    ),
    *(
        f"""SELECT date_trunc('month', date), count(*) FROM {table}
           WHERE {FACT} AND date >= %(first)s AND date <= %(day)s GROUP BY 1"""
        for table in ("incidents_raid", "incidents_detention")
    ),
    *(
        f"""SELECT region, count(*) FROM {table}
           WHERE {FACT} AND date >= %(first)s AND date <= %(day)s GROUP BY 1"""
        for table in ("incidents_raid", "incidents_detention")
    ),
]


def create_database() -> None:
    name = urlsplit(URL).path.lstrip("/")
    server = URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(server, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not exists.fetchone():
            connection.execute(f'CREATE DATABASE "{name}" TEMPLATE template0 ENCODING UTF8')


def median_seconds(runs: int, action) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        action()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()

    create_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from incidents import reports
    from incidents.models import NightlyReport, Raid

    call_command("migrate", verbosity=0)
    raids = options.incidents * 6 // 10
    detentions = options.incidents - raids
    if options.regenerate or Raid.objects.count() != raids:
        began = time.perf_counter()
        params = {
            "day": DAY,
            "raids": raids,
            "detentions": detentions,
            "people": max(detentions // 4, 1),
        }
        with connection.cursor() as cursor:
            for statement in GENERATE:
                cursor.execute(statement, params)
        print(f"generated {options.incidents:,} incidents in {time.perf_counter() - began:.1f} s")

    start, end = reports.day_window(DAY)
    params = {"day": DAY, "start": start, "end": end, "first": reports.first_month(DAY)}

    def raw_aggregates() -> None:
        with connection.cursor() as cursor:
            for statement in AGGREGATES:
                cursor.execute(statement, params)
                cursor.fetchall()

    def full_report() -> None:
        NightlyReport.objects.filter(day=DAY).delete()
        reports.make_report(day=DAY)

    raw_aggregates()  # warm the cache for both sides alike
    raw = median_seconds(options.runs, raw_aggregates)
    gathered = median_seconds(options.runs, lambda: reports.gather(day=DAY))
    report = median_seconds(options.runs, full_report)
    figures = NightlyReport.objects.get(day=DAY).figures
    print(f"incidents: {options.incidents:,}; in custody: {figures['custody']['in_custody']:,}")
    print(f"raw SQL aggregates alone: {raw:.3f} s")
    print(f"report figures and tables (gather): {gathered:.3f} s ({gathered / raw:.2f}x)")
    print(f"whole report (gather, charts, HTML, CSV, files, row): {report:.3f} s")
    print(f"ratio report / raw aggregates: {report / raw:.2f}x (goal: within 2x)")


if __name__ == "__main__":
    main()
