"""FILE_STORAGE=s3: dumps, report files and import uploads go to an S3-compatible store.

A real S3-compatible server (moto in server mode, on a free local port) is started for the
module; the storage is configured exactly as ``tracker/settings.py`` builds it from the
environment (read in a separate process), only its endpoint and bucket are the test's.
"""

import datetime
import gzip
import hashlib
import json
import os
import socket
import subprocess
import sys
import urllib.request

import boto3
import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from moto.server import ThreadedMotoServer

from incidents import reports
from incidents.models import Detention
from tests.factories import PersonFactory
from tests.nightly_report_data import load_sample_as_entered
from tracker import dumps

BUCKET = "tracker-files"
S3_ENV = {
    "FILE_STORAGE": "s3",
    "S3_BUCKET": BUCKET,
    "S3_REGION": "us-east-1",
    "S3_ACCESS_KEY_ID": "test-key",
    "S3_SECRET_ACCESS_KEY": "test-secret",
    "S3_LINK_SECONDS": "120",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def endpoint():
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture(scope="module")
def configured(endpoint) -> dict:
    """STORAGES["default"] as the settings build it from the S3_* environment variables."""
    script = (
        "import json, django; from django.conf import settings; django.setup(); "
        "print(json.dumps([settings.FILE_STORAGE, settings.STORAGES['default']]))"
    )
    environment = {**os.environ, **S3_ENV, "S3_ENDPOINT_URL": endpoint}
    result = subprocess.run(
        [sys.executable, "-c", script],
        env={**environment, "DJANGO_SETTINGS_MODULE": "tracker.settings"},
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    file_storage, storage = json.loads(result.stdout.strip().splitlines()[-1])
    assert file_storage == "s3"
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    return storage


@pytest.fixture
def bucket(endpoint, configured, settings):
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="test-key",
        aws_secret_access_key="test-secret",
    )
    client.create_bucket(Bucket=BUCKET)
    settings.FILE_STORAGE = "s3"
    settings.STORAGES = {**settings.STORAGES, "default": configured}
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def keys(client, prefix: str) -> set[str]:
    listed = client.list_objects_v2(Bucket=BUCKET, Prefix=prefix).get("Contents", [])
    return {item["Key"] for item in listed}


def test_a_dump_is_built_into_s3_and_downloaded_whole_through_the_api(
    bucket, endpoint, sample, anon_client, researcher_client
):
    made = dumps.build()
    assert keys(bucket, "dumps/") == {d.file.name for d in made}
    assert len(made) == 28  # 7 collections, NDJSON and CSV, 2 levels

    listed = anon_client.get("/api/v1/dumps/").json()["results"]
    entry = next(e for e in listed if (e["collection"], e["format"]) == ("incidents", "ndjson"))
    assert entry["level"] == "public"
    response = anon_client.get(entry["url"])
    assert response.status_code == 302  # to a presigned link, served by the store itself
    link = response["Location"]
    assert link.startswith(f"{endpoint}/{BUCKET}/dumps/")
    assert "Signature=" in link
    with urllib.request.urlopen(link, timeout=30) as download:  # noqa: S310  (checked above)
        body = download.read()
        assert int(download.headers["Content-Length"]) == entry["size"]
    assert len(body) == entry["size"]
    assert hashlib.sha256(body).hexdigest() == entry["sha256"]
    assert gzip.decompress(body).count(b"\n") == entry["rows"]

    hidden = next(d for d in made if d.level == "researcher")
    assert anon_client.get(f"/api/v1/dumps/{hidden.pk}/{hidden.filename}").status_code == 404
    assert researcher_client.get(f"/api/v1/dumps/{hidden.pk}/{hidden.filename}").status_code == 302


def test_report_files_are_written_to_s3_and_served_to_staff(bucket, db, client, editor):
    load_sample_as_entered()
    report = reports.make_report(day=datetime.date(2021, 7, 15))
    names = {getattr(report, name).name for name in reports.REPORT_FILES}
    assert names <= keys(bucket, "")
    client.force_login(editor)
    response = client.get("/reports/2021-07-15/report.csv")
    assert response.status_code == 200
    assert b"Igor Kazmerchak" in b"".join(response.streaming_content)


def test_an_import_upload_is_kept_in_s3_until_it_is_imported(bucket, client, reviewer):
    client.force_login(reviewer)
    person = PersonFactory()
    content = f"date,person.id,region\n2021-07-14,{person.pk},BY-HM\n".encode()
    url = "/admin/incidents/detention/import/"
    checked = client.post(url, {"file": SimpleUploadedFile("detentions.csv", content)})
    kept = keys(bucket, "imports/")
    assert len(kept) == 1
    body = bucket.get_object(Bucket=BUCKET, Key=kept.pop())["Body"].read()
    assert body == content
    client.post(url, {"token": checked.context["token"]})
    assert Detention.objects.count() == 1
    assert keys(bucket, "imports/") == set()
