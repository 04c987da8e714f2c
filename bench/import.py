"""Measure the import of detentions (with charges) from an XLSX file: dry run, then real.

Run by hand, never in the tests:

    .venv/bin/python bench/import.py                 # 50,000 rows
    .venv/bin/python bench/import.py --rows 5000

It migrates a separate database (``--database-url``, default ``tracker_bench_import``),
adds 1,000 people once, writes an XLSX of generated detentions naming those people by name
(two charges each, a third of them with a sentence), and imports it twice, each time in a
fresh process: a dry run, then for real. It prints each run's time, the CPU time of the
process (on a shared machine the wall time also measures the others' work) and its peak
resident memory (``ru_maxrss``). The goal (docs/performance.md) is under 60 s and 300 MB.
"""

import argparse
import datetime
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/tracker_bench_import"
PEOPLE = 1000
COLUMNS = [
    "date", "settlement", "region", "person.name", "legal_track", "outcome",
    "charges.code_article", "charges.text", "sentence.court", "sentence.date", "sentence.kind",
    "sentence.term_months",
]  # fmt: skip


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def prepare(url: str, rows: int, path: Path) -> None:
    import psycopg

    admin_url, name = url.rsplit("/", 1)
    with psycopg.connect(f"{admin_url}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    setup_django(url)
    from django.core.management import call_command
    from openpyxl import Workbook

    from incidents.models import Detention
    from organisations.models import Person

    call_command("migrate", verbosity=0)
    Detention.objects.all().delete()
    if Person.objects.count() < PEOPLE:
        for n in range(PEOPLE):
            Person(name=f"Bench Person{n:04d} Ivanou", may_be_named=True).save()
    random.seed(1)
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(COLUMNS)
    start = datetime.date(2021, 1, 1)
    for n in range(rows):
        day = start + datetime.timedelta(days=n % 1000)
        sentenced = n % 3 == 0
        sheet.append(
            [
                day, "Minsk", "BY-HM", f"Bench Person{random.randrange(PEOPLE):04d} Ivanou",
                "criminal", "sentenced" if sentenced else "in_custody",
                "Criminal Code 342 | Criminal Code 361", "riots | calls",
                "Minsk City Court" if sentenced else "",
                day + datetime.timedelta(days=90) if sentenced else None,
                "colony" if sentenced else "", 36 if sentenced else None,
            ]
        )  # fmt: skip
    book.save(path)


def measure(url: str, path: Path, dry_run: bool) -> None:
    setup_django(url)
    from tracker import importing

    started, cpu_started = time.perf_counter(), time.process_time()
    result = importing.run("detentions", path, by=None, file_name=path.name, dry_run=dry_run)
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    label = "dry run" if dry_run else "real"
    print(
        f"{label}: {len(result.rows)} rows, {len(result.errors)} errors, "
        f"{seconds:.1f} s ({cpu:.1f} s of CPU in this process), peak {peak_mb:.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--measure", choices=["dry", "real"])
    parser.add_argument(
        "--file", type=Path, default=Path(tempfile.gettempdir()) / "bench-import-detentions.xlsx"
    )
    args = parser.parse_args()
    if args.measure:
        measure(args.database_url, args.file, dry_run=args.measure == "dry")
        return
    prepare(args.database_url, args.rows, args.file)
    print(f"{args.rows} rows, file {args.file.stat().st_size / 1e6:.1f} MB")
    for phase in ("dry", "real"):
        command = [sys.executable, __file__, "--measure", phase, "--file", str(args.file)]
        subprocess.run([*command, "--database-url", args.database_url], check=True)


if __name__ == "__main__":
    main()
