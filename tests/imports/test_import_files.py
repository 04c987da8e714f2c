"""Bad files are refused with a message that says what to fix, and nothing is saved."""

import io

import openpyxl
import pytest

from incidents.models import Detention
from tests.factories import PersonFactory
from tracker.importing import FileRefused

HEADER = "date,person.id,region,settlement"


@pytest.fixture
def person(db):
    return PersonFactory(name="Ales Bialiatski")


def xlsx(rows, *, merge=None) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    if merge:
        book.active.merge_cells(merge)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_cp1251_file_is_read(import_file, person):
    text = f"{HEADER}\n2021-07-14,{person.pk},BY-HM,Мінск\n"
    import_file("detentions", text.encode("cp1251"))
    assert Detention.objects.get().settlement == "Мінск"


def test_semicolon_separated_file_is_read(import_file, person):
    import_file("detentions", f"date;person.id;region\n2021-07-14;{person.pk};BY-HM\n")
    assert Detention.objects.get().person == person


def test_header_names_unknown_and_missing_columns(import_file, db):
    with pytest.raises(FileRefused, match="unknown columns: colour; missing columns: date"):
        import_file("detentions", "person.id,colour\n1,red\n")


def test_xlsx_with_a_formula_is_refused_naming_the_cell(import_file, person):
    content = xlsx([["date", "person.id", "region"], ["2021-07-14", "=1+1", "BY-HM"]])
    with pytest.raises(FileRefused, match="Cell B2 holds a formula"):
        import_file("detentions", content, name="d.xlsx")
    assert not Detention.objects.exists()


def test_xlsx_with_merged_cells_is_refused_naming_the_cell(import_file, person):
    content = xlsx(
        [["date", "person.id", "region"], ["2021-07-14", person.pk, "BY-HM"]], merge="A2:B2"
    )
    with pytest.raises(FileRefused, match="Cell A2 is merged"):
        import_file("detentions", content, name="d.xlsx")


def test_xlsx_rows_are_imported(import_file, person):
    content = xlsx([["date", "person.id", "region"], ["2021-07-14", person.pk, "BY-HM"]])
    result = import_file("detentions", content, name="d.xlsx")
    assert result.saved
    assert Detention.objects.get().region == "BY-HM"


def test_file_over_the_size_limit_is_refused_before_reading(import_file, settings, db):
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    with pytest.raises(FileRefused, match="larger than 1 MB"):
        import_file("detentions", b"\xff" * (1024 * 1024 + 1))


def test_binary_file_is_refused(import_file, db):
    with pytest.raises(FileRefused, match="not a CSV or XLSX"):
        import_file("detentions", b"PK\x03\x04 not really a zip\x00" * 10, name="d.xlsx")


def test_one_bad_row_among_10000_saves_nothing_and_names_the_row(import_file, person):
    rows = [f"2021-07-14,{person.pk},BY-HM,Minsk"] * 10_000
    rows[5000] = f"2021-13-14,{person.pk},BY-HM,Minsk"
    result = import_file("detentions", "\n".join([HEADER, *rows]))
    assert [(e.row, e.column) for e in result.errors] == [(5002, "date")]
    assert not Detention.objects.exists()


def test_complete_line_of_an_export_is_dropped(import_file, person):
    result = import_file("detentions", f"{HEADER}\n2021-07-14,{person.pk},BY-HM,\n#complete,1\n")
    assert result.saved
    assert Detention.objects.count() == 1


def test_unreadable_csv_line_is_refused_naming_the_line(import_file, person):
    content = f'{HEADER}\n2021-07-14,{person.pk},BY-HM,"{"x" * 200_000}"\n'
    with pytest.raises(FileRefused, match="Line 2 cannot be read as CSV"):
        import_file("detentions", content)
