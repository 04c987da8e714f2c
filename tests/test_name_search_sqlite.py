"""The same test set on SQLite, the embedded database of ``make run`` (no trigram index).

The suite's database is PostgreSQL, so this runs the search in a project process of its own
on a new SQLite file.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEARCH_EVERY_SPELLING = """
from organisations.models import Person
from tests.name_search_data import PAIRS, everyone, people_rows
Person.objects.bulk_create(people_rows(Person, everyone(3000)), batch_size=500)
missed = [
    (stored, searched) for stored, searched in PAIRS
    if stored not in Person.objects.matching(searched).values_list("name", flat=True)[:5]
]
print(f"missed {len(missed)} of {len(PAIRS)}: {missed[:5]}")
"""


def test_any_spelling_finds_the_person_in_the_top_five_on_sqlite(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    env["CELERY_BROKER_URL"] = ""
    run = {"cwd": ROOT, "env": env, "capture_output": True, "text": True, "check": True}
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], **run)
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SEARCH_EVERY_SPELLING], **run
    )
    assert result.stdout.splitlines()[-1].startswith("missed 0 of "), result.stdout
