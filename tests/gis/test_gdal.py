"""GDAL reads the GeoJSON of a live server: ``ogrinfo`` lists every incident and ``ogr2ogr``
copies them all to a GeoPackage, for anonymous callers and researchers alike.

GDAL sends an ``Accept`` header of its own, which ``?format=geojson`` overrides. Debian's
``gdal-bin`` package is installed by ``.ci/run`` when ``ogrinfo`` is missing.
"""

import re
import shutil
import subprocess

import pytest

from incidents import sample_data
from incidents.models import Detention, Raid
from organisations.tokens import issue_token
from tests.factories import DetentionFactory, RaidFactory
from tracker import access

pytestmark = [pytest.mark.gdal, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _gdal() -> None:
    if not shutil.which("ogrinfo"):
        pytest.fail("The GDAL tests need ogrinfo and ogr2ogr (Debian's gdal-bin package).")


def gdal(*args: str, token: str | None = None) -> str:
    config = ["--config", "GDAL_HTTP_HEADERS", f"Authorization: Token {token}"] if token else []
    done = subprocess.run(
        [args[0], *config, *args[1:]], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "Several features with id" not in done.stderr  # GDAL would renumber them
    return done.stdout


def feature_count(ogrinfo_output: str) -> int:
    (count,) = re.findall(r"Feature Count: (\d+)", ogrinfo_output)
    return int(count)


def visible_incidents(viewer) -> set[str]:
    return {
        f"{model._meta.model_name}-{pk}"
        for model in (Raid, Detention)
        for pk in model.objects.visible_to(viewer).values_list("pk", flat=True)
    }


def feature_ids(package) -> set[str]:
    listing = gdal("ogrinfo", "-ro", "-al", "-q", str(package), "-sql", "SELECT id FROM OGRGeoJSON")
    return set(re.findall(r"id \(String\) = (\S+)", listing))


@pytest.mark.parametrize("caller", ["anonymous", "researcher"])
def test_ogrinfo_and_ogr2ogr_read_every_incident(live_server, researcher, tmp_path, caller):
    sample_data.load()
    shared = Raid.objects.latest("pk").pk + Detention.objects.latest("pk").pk
    RaidFactory(pk=shared, latitude="53.90454", longitude="27.56152")
    DetentionFactory(pk=shared)  # same id, another kind, no coordinates
    token = issue_token(researcher)[1] if caller == "researcher" else None
    expected = visible_incidents(access.RESEARCHER if token else access.ANONYMOUS)
    assert len(expected) < Raid.objects.count() + Detention.objects.count()  # some are hidden
    assert Detention.objects.filter(latitude=None).exists()  # kept with a null geometry
    for path in ("export/incidents/?format=geojson", "incidents/?format=geojson&page_size=5000"):
        url = f"{live_server.url}/api/v1/{path}"
        summary = gdal("ogrinfo", "-ro", "-so", "-al", url, token=token)
        assert feature_count(summary) == len(expected)
        package = tmp_path / f"{caller}-{path.split('/')[0]}.gpkg"
        gdal("ogr2ogr", "-f", "GPKG", str(package), url, token=token)
        assert feature_count(gdal("ogrinfo", "-ro", "-so", "-al", str(package))) == len(expected)
        assert feature_ids(package) == expected
