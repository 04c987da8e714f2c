"""The admin's import page: a dry run first, then the same file, for reviewers only."""

import io
import os
import time

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from incidents.models import Detention
from tests.factories import PersonFactory

URL = "/admin/incidents/detention/import/"


def upload(client, content: bytes, name="detentions.csv", **data):
    return client.post(URL, {"file": SimpleUploadedFile(name, content), **data})


def test_reviewer_sees_the_import_button(reviewer_client):
    response = reviewer_client.get("/admin/incidents/detention/")
    assert URL.encode() in response.content


def test_data_entry_may_not_import(client, editor):
    client.force_login(editor)
    assert URL.encode() not in client.get("/admin/incidents/detention/").content
    assert client.get(URL).status_code == 403


def test_dry_run_shows_what_would_happen_and_saves_nothing(reviewer_client):
    person = PersonFactory()
    response = upload(
        reviewer_client, f"date,person.id,region\n2021-07-14,{person.pk},BY-HM\n".encode()
    )
    assert b"Importing will create 1, update 0, and leave 0 unchanged" in response.content
    assert not Detention.objects.exists()


def test_confirming_imports_the_kept_file_with_a_history_note(reviewer_client, reviewer):
    person = PersonFactory()
    response = upload(
        reviewer_client, f"date,person.id,region\n2021-07-14,{person.pk},BY-HM\n".encode()
    )
    reviewer_client.post(URL, {"token": response.context["token"]})
    history = Detention.objects.get().history.get()
    assert history.history_change_reason == "imported from detentions.csv, row 2"
    assert history.history_user == reviewer


def test_errors_are_listed_with_row_and_column(reviewer_client):
    response = upload(reviewer_client, b"date,person.id,region\n2021-02-30,,BY-HM\n")
    rows = [(e.row, e.column) for e in response.context["shown_errors"]]
    assert rows == [(2, "date"), (2, "person.name")]
    assert b"Import these records" not in response.content


def test_a_bad_header_is_refused_with_a_message_not_a_500(reviewer_client):
    response = upload(reviewer_client, b"date,colour\n2021-07-14,red\n")
    assert response.status_code == 200
    assert b"unknown columns: colour" in response.content


def test_a_file_over_the_limit_is_refused_before_it_is_kept(reviewer_client, settings):
    settings.IMPORT_MAX_BYTES = 10
    response = upload(reviewer_client, b"date,person.id,region\n")
    assert b"larger than" in response.content
    assert "token" not in response.context


def test_an_unknown_token_imports_nothing(reviewer_client):
    response = reviewer_client.post(URL, {"token": "forged"})
    assert response.status_code == 302
    assert not Detention.objects.exists()


def test_template_has_the_columns_choices_and_an_example(reviewer_client):
    response = reviewer_client.get(URL + "template/")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    assert "charges.code_article" in header
    assert sheet.cell(2, header.index("person.name") + 1).value == "Ales Bialiatski"
    lists = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    region = openpyxl.utils.get_column_letter(header.index("region") + 1)
    assert "BY-HM" in lists[f"{region}2:{region}10000"]


def test_an_upload_is_kept_in_the_storage_and_abandoned_ones_go_after_a_day(
    reviewer_client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    abandoned = tmp_path / "imports" / "abandoned"
    abandoned.parent.mkdir()
    abandoned.write_bytes(b"date,person.name\n2021-07-14,Ales\n")
    os.utime(abandoned, (time.time() - 2 * 24 * 3600,) * 2)
    person = PersonFactory()
    response = upload(
        reviewer_client, f"date,person.id,region\n2021-07-14,{person.pk},BY-HM\n".encode()
    )
    token = response.context["token"]
    assert [p.name for p in (tmp_path / "imports").iterdir()] == [token]
    reviewer_client.post(URL, {"token": token})
    assert Detention.objects.count() == 1
    assert list((tmp_path / "imports").iterdir()) == []
