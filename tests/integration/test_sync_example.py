"""The Python client example of docs/api.md, run against gunicorn: a copy loaded from the
newest dump and synced after edits, unpublishing and a delete equals a fresh export."""

import datetime
import importlib.util
import json

import orjson
import pytest

from incidents.models import Detention
from organisations.tokens import issue_token
from tests.factories import PersonFactory, RaidFactory
from tests.integration.test_celery_stack import (  # noqa: F401  (fixtures)
    ROOT,
    environment,
    free_port,
    start,
    status_of,
    wait_for,
)
from tracker import dumps
from tracker.review import Status, Visibility

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def example():
    spec = importlib.util.spec_from_file_location("sync", ROOT / "docs" / "examples" / "sync.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fresh_export(session, base: str) -> list[dict]:
    response = session.get(f"{base}/api/v1/export/incidents/?format=ndjson", timeout=60)
    *rows, end = map(orjson.loads, response.content.splitlines())
    assert end["complete"]
    return sorted(rows, key=lambda row: (row["kind"], row["id"]))


def test_a_copy_loaded_from_a_dump_and_synced_equals_a_fresh_export(
    start,  # noqa: F811
    environment,  # noqa: F811
    tmp_path,
    sample,
    researcher,
):
    kept = RaidFactory(settlement="Hrodna")
    person = PersonFactory(name="Named person")
    kept.target_people.add(person)
    doomed = RaidFactory(settlement="Brest")
    hidden_later = Detention.objects.filter(status=Status.PUBLISHED).first()
    restricted = RaidFactory(settlement="Pinsk", visibility=Visibility.RESTRICTED)
    dumps.build()

    environment.update(API_THROTTLE_ANONYMOUS="", API_THROTTLE_TOKEN="")
    port = free_port()
    start("gunicorn", "gunicorn", "tracker.wsgi:application", "--config", "gunicorn.conf.py",
          "--bind", f"127.0.0.1:{port}", "--workers", "1")  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    wait_for(lambda: status_of(f"{base}/admin/login/") == 200, "gunicorn", tmp_path)

    sync = example()
    sessions = {
        "public": sync.session_for(),
        "researcher": sync.session_for(issue_token(researcher)[1]),
    }
    copies = {level: sync.load_dump(session, base) for level, session in sessions.items()}
    for level, (copy, _since) in copies.items():
        assert len(copy) == len(fresh_export(sessions[level], base))

    kept.settlement = "Hrodna (renamed)"
    kept.save()
    doomed.delete()
    hidden_later.status = Status.DRAFT
    hidden_later.save()
    RaidFactory(settlement="Mahilioŭ", date=datetime.date(2021, 7, 20))
    person.name = "Renamed person"
    person.save()

    for level, session in sessions.items():
        copy, since = copies[level]
        synced, next_since = sync.sync(session, base, copy, since)
        assert json.loads(synced.to_json(orient="records")) == fresh_export(session, base)
        assert next_since > since
        keys = set(zip(synced["kind"], synced["id"], strict=True))
        assert ("raid", doomed.pk) not in keys
        assert ("detention", hidden_later.pk) not in keys
        assert ("raid", kept.pk) in keys
        assert (("raid", restricted.pk) in keys) == (level == "researcher")
        renamed = synced[(synced["kind"] == "raid") & (synced["id"] == kept.pk)]
        assert renamed.iloc[0]["people"] == [{"id": person.pk, "name": "Renamed person"}]
