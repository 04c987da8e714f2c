import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django_otp.plugins.otp_totp.models import TOTPDevice

from incidents.files import validate_source_file
from incidents.models import Source

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
EXE = b"MZ\x90\x00" + b"\0" * 60


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def add_source(client, upload):
    data = {"kind": "news", "title": "Searches at Viasna", "reliability": "U", "file": upload}
    data.update(status="draft", visibility="confidential")
    return client.post("/admin/incidents/source/add/", data)


@pytest.mark.parametrize(
    ("name", "content"),
    [("statement.pdf", PDF), ("photo.png", PNG), ("post.txt", "Обыск у Вясны".encode())],
)
def test_allowed_types_pass_the_content_check(name, content):
    validate_source_file(SimpleUploadedFile(name, content))


@pytest.mark.parametrize(
    ("name", "content"),
    [("statement.pdf", EXE), ("photo.png", PDF), ("tool.exe", EXE), ("notes.txt", EXE)],
)
def test_a_file_whose_content_or_name_is_not_allowed_is_refused(name, content):
    with pytest.raises(ValidationError):
        validate_source_file(SimpleUploadedFile(name, content))


def test_admin_refuses_a_disguised_file_on_the_file_field(admin_client):
    response = add_source(admin_client, SimpleUploadedFile("statement.pdf", EXE))
    assert response.status_code == 200
    assert "is not a “.pdf” file" in str(response.context["adminform"].form.errors["file"])
    assert not Source.objects.exists()


def test_admin_refuses_a_file_over_the_size_limit(admin_client, settings):
    settings.SOURCE_FILE_MAX_BYTES = 1000
    response = add_source(admin_client, SimpleUploadedFile("big.pdf", PDF + b" " * 1000))
    assert "at most 1000" in str(response.context["adminform"].form.errors["file"])
    assert not Source.objects.exists()


def test_admin_stores_an_allowed_file_outside_the_web_root(admin_client, tmp_path):
    response = add_source(admin_client, SimpleUploadedFile("statement.pdf", PDF))
    assert response.status_code == 302
    source = Source.objects.get()
    assert (tmp_path / source.file.name).read_bytes() == PDF
    assert "statement" not in source.file.name
    assert len(source.sha256) == 64


@pytest.fixture
def archived(db) -> Source:
    return Source.objects.create(
        kind="news", title="Searches", file=ContentFile(PDF, name="statement.pdf")
    )


def test_staff_download_the_file_as_an_attachment(admin_client, archived):
    response = admin_client.get(archived.file.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("persona", [None, "researcher"])
def test_others_get_404_for_the_file(client, archived, persona, request):
    if persona:
        client.force_login(request.getfixturevalue(persona))
    assert client.get(archived.file.url).status_code == 404


def test_staff_without_second_factor_get_404_where_it_is_required(
    admin_client, archived, settings, superuser
):
    settings.REQUIRE_2FA = True
    TOTPDevice.objects.create(user=superuser, name="phone", confirmed=True)
    assert admin_client.get(archived.file.url).status_code == 404


def test_a_file_on_disk_without_its_source_is_not_served(admin_client, archived, tmp_path):
    (tmp_path / "sources" / "stray.pdf").write_bytes(PDF)
    assert admin_client.get("/media/sources/stray.pdf").status_code == 404
