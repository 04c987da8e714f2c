"""Full dumps: the same rows as the export per access level, whole files, one snapshot,
the manifest and downloads behind the API's access rules, pruning, failures and purges."""

import gzip
import hashlib

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django_celery_beat.models import PeriodicTask

from tests.factories import RaidFactory
from tests.test_access_matrix import CONFIDENTIAL, planted  # noqa: F401  (a fixture)
from tracker import dumps, workflow
from tracker.models import Dump

COLLECTIONS = (
    "organisations",
    "people",
    "sources",
    "raids",
    "detentions",
    "incidents",
    "political-prisoners",
)
PER_LEVEL = 2 * len(COLLECTIONS)  # NDJSON and CSV
MARKERS = {"public": ("DRAFT", "STAFFONLY", "RESTRICTED"), "researcher": ("DRAFT", "STAFFONLY")}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def content(dump: Dump) -> bytes:
    with default_storage.open(dump.file.name, "rb") as file:
        return gzip.decompress(file.read())


def export_rows(client, collection: str, fmt: str) -> bytes:
    """The export's body without its last line (the mark of completeness)."""
    response = client.get(f"/api/v1/export/{collection}/?format={fmt}")
    body = b"".join(response.streaming_content)
    return body[: body.rstrip(b"\n").rfind(b"\n") + 1]


@pytest.mark.usefixtures("planted")
@pytest.mark.parametrize(("level", "caller"), [("public", "anon"), ("researcher", "researcher")])
def test_each_file_holds_the_exports_rows_as_its_level_sees_them(request, level, caller):
    client = request.getfixturevalue(f"{caller}_client")
    made = dumps.build()
    files = {(d.collection, d.format): d for d in made if d.level == level}
    assert set(files) == {(c, f) for c in COLLECTIONS for f in ("ndjson", "csv")}
    for (collection, fmt), dump in files.items():
        data = content(dump)
        assert data == export_rows(client, collection, fmt), (collection, fmt)
        lines = data.count(b"\n") - (fmt == "csv")  # the CSV header
        assert dump.rows == lines > 0
        with default_storage.open(dump.file.name, "rb") as file:
            stored = file.read()
        assert dump.size == len(stored)
        assert dump.sha256 == hashlib.sha256(stored).hexdigest()
        for marker in (*MARKERS[level], *CONFIDENTIAL):
            assert marker.encode() not in data, (collection, fmt, marker)


@pytest.mark.usefixtures("planted")
def test_a_public_dump_leaves_out_what_only_researchers_see():
    made = dumps.build()
    incidents = {d.level: d for d in made if (d.collection, d.format) == ("incidents", "ndjson")}
    assert b"RESTRICTED" not in content(incidents["public"])
    assert incidents["researcher"].rows > incidents["public"].rows


def test_sync_from_a_dump_starts_before_its_snapshot(sample):
    made = dumps.build()
    assert len({(d.snapshot_at, d.updated_since) for d in made}) == 1
    assert made[0].updated_since <= made[0].snapshot_at - dumps.SYNC_OVERLAP


def manifest(client) -> list[dict]:
    response = client.get("/api/v1/dumps/")
    assert response.status_code == 200
    return response.json()["results"]


@pytest.mark.parametrize(
    ("caller", "level"),
    [
        ("anon", "public"),
        ("researcher", "researcher"),
        ("staff", "researcher"),
        ("staff_session", "researcher"),
    ],
)
def test_the_manifest_lists_the_callers_level_and_its_files_download_whole(
    sample, request, caller, level
):
    client = request.getfixturevalue(f"{caller}_client")
    dumps.build()
    listed = manifest(client)
    assert len(listed) == PER_LEVEL
    assert {entry["level"] for entry in listed} == {level}
    entry = next(e for e in listed if (e["collection"], e["format"]) == ("incidents", "csv"))
    assert entry["url"].endswith("/incidents.csv.gz")
    # The file as stored, whatever compression the client accepts: its length is the size.
    response = client.get(entry["url"], HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/gzip"
    assert not response.has_header("Content-Encoding")
    assert int(response["Content-Length"]) == entry["size"]
    body = b"".join(response.streaming_content)
    assert len(body) == entry["size"]
    assert hashlib.sha256(body).hexdigest() == entry["sha256"]
    assert gzip.decompress(body).startswith(b"kind,id,")


def test_a_caller_never_gets_a_file_of_a_higher_level(sample, anon_client, researcher_client):
    dumps.build()
    researchers = {d.pk: d for d in Dump.objects.filter(level="researcher")}
    public = Dump.objects.filter(level="public").first()
    for dump in researchers.values():
        assert anon_client.get(f"/api/v1/dumps/{dump.pk}/{dump.filename}").status_code == 404
    assert anon_client.get(f"/api/v1/dumps/{public.pk}/{public.filename}").status_code == 200
    # A lower level shows nothing more: a researcher may fetch a public file by its link.
    assert researcher_client.get(f"/api/v1/dumps/{public.pk}/{public.filename}").status_code == 200
    assert anon_client.get(f"/api/v1/dumps/{public.pk}/other.csv.gz").status_code == 404
    assert anon_client.get("/api/v1/dumps/999999/incidents.csv.gz").status_code == 404


def test_the_manifest_runs_a_fixed_number_of_queries(
    sample, anon_client, django_assert_num_queries
):
    dumps.build()
    dumps.build()
    with django_assert_num_queries(3):  # the request's savepoint, its release, the list
        assert len(manifest(anon_client)) == 2 * PER_LEVEL


def test_old_sets_are_pruned_with_their_files(sample, settings, django_capture_on_commit_callbacks):
    settings.DUMPS_KEEP = 2
    with django_capture_on_commit_callbacks(execute=True):
        first = dumps.build()
        dumps.build()
        last = dumps.build()
    assert Dump.objects.values("snapshot_at").distinct().count() == 2
    assert not Dump.objects.filter(pk__in=[d.pk for d in first]).exists()
    assert not any(default_storage.exists(d.file.name) for d in first)
    assert all(default_storage.exists(d.file.name) for d in last)


def test_a_failed_build_leaves_the_last_good_set_listed_and_nothing_behind(
    sample, anon_client, monkeypatch
):
    good = dumps.build()
    written = []
    real = dumps.write_collection

    def failing(view):
        if len(written) == 3:
            raise RuntimeError("the database went away")
        written.append(view)
        return real(view)

    monkeypatch.setattr(dumps, "write_collection", failing)
    with pytest.raises(RuntimeError):
        dumps.build()
    assert {e["sha256"] for e in manifest(anon_client)} == {
        d.sha256 for d in good if d.level == "public"
    }
    directories, _files = default_storage.listdir("dumps")
    counts = sorted(len(default_storage.listdir(f"dumps/{d}/public")[1]) for d in directories)
    assert counts in ([PER_LEVEL], [0, PER_LEVEL])  # the failed build's files were deleted


def test_purging_a_record_discards_the_dumps_that_may_show_it(
    sample, reviewer, django_capture_on_commit_callbacks
):
    raid = RaidFactory(narrative="PURGED")
    old = dumps.build()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.purge(raid, by=reviewer)
    assert not Dump.objects.filter(pk__in=[d.pk for d in old]).exists()
    assert not any(default_storage.exists(d.file.name) for d in old)
    rebuilt = Dump.objects.filter(collection="raids", format="ndjson")
    assert rebuilt.exists()  # built again at once (tasks run in-process without a broker)
    assert all(b"PURGED" not in content(d) for d in rebuilt)


def test_staff_with_the_permission_build_dumps_from_the_admin(
    sample, client, reviewer, editor, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    assert client.post("/admin/tracker/dump/build/").status_code == 403
    assert not Dump.objects.exists()
    client.force_login(reviewer)
    page = client.get("/admin/tracker/dump/")
    assert page.status_code == 200
    assert b"/admin/tracker/dump/build/" in page.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/tracker/dump/build/")
    assert response.status_code == 302
    assert Dump.objects.count() == 2 * PER_LEVEL
    listing = client.get("/admin/tracker/dump/").content.decode()
    assert "incidents" in listing
    assert "researcher" in listing


def test_the_command_builds_a_set(sample, capsys):
    call_command("build_dumps")
    assert Dump.objects.count() == 2 * PER_LEVEL
    assert "updated_since for the next sync" in capsys.readouterr().out


def test_the_dumps_are_scheduled_each_night(db):
    task = PeriodicTask.objects.get(name="Full dumps")
    assert task.task == "tracker.build_dumps"
    assert task.enabled
    assert (task.crontab.hour, task.crontab.minute) == ("3", "0")
