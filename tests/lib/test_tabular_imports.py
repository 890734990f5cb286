"""portal/lib/tabular/imports.py: a file read into a table, its rows checked, all or nothing,
and the one page behaviour of every import (400 when nothing was imported)."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import translation

import pytest

from portal.lib.tabular.imports import (
    ImportInvalid,
    RowError,
    Table,
    TableFileField,
    import_page,
    read_table,
)
from portal.lib.tabular.reading import ImportFileError

KNOWN = {"naam": "name", "name": "name", "aantal": "count"}


@pytest.fixture(autouse=True)
def english() -> None:
    with translation.override("en"):
        yield


def read(content: bytes, **options: object) -> Table:
    settings: dict = {
        "name": "file.csv",
        "known": KNOWN,
        "columns": "naam, aantal",
        "required": ["name"],
        "max_bytes": 10_000,
        "max_rows": 100,
        "max_columns": 10,
        "no_rows": "No rows.",
        **options,
    }
    return read_table(content=content, **settings)


def test_rows_come_by_column_key_with_their_spreadsheet_numbers() -> None:
    table = read(b"naam;aantal\nAnna;3\n;\nBram;\n")
    assert table.headers == {"name": "naam", "count": "aantal"}
    assert table.rows == [(2, {"name": "Anna", "count": "3"}), (4, {"name": "Bram", "count": ""})]


def test_the_header_may_follow_empty_rows_when_asked() -> None:
    with pytest.raises(ImportFileError, match="first row must hold the column names"):
        read(b"\nnaam\nAnna\n")
    assert read(b"\nnaam\nAnna\n", header_first=False).rows == [(3, {"name": "Anna"})]


def test_a_file_with_only_a_header_gets_the_apps_message() -> None:
    with pytest.raises(ImportFileError, match="No rows."):
        read(b"naam\n\n")


def test_import_invalid_lists_the_rows_in_order() -> None:
    invalid = ImportInvalid([RowError(5, "naam", "b"), RowError(2, "naam", "a")])
    assert [error.row for error in invalid.errors] == [2, 5]


class UploadForm(forms.Form):
    file = TableFileField(reader=lambda *, name, content: read(content), max_bytes=40)
    title = forms.CharField(required=False)


def page(data: dict | None, run, *, form_out: list | None = None) -> HttpResponse:
    factory = RequestFactory()
    request = factory.post("/import/", data) if data is not None else factory.get("/import/")
    form = UploadForm(request.POST or None, request.FILES or None)
    if form_out is not None:
        form_out.append(form)
    return import_page(request, form=form, template="partners/contact_import.html", run=run)


def upload(content: bytes) -> dict:
    return {"file": SimpleUploadedFile("file.csv", content)}


def test_a_file_over_the_limit_is_refused_before_it_is_read() -> None:
    def never(*, name: str, content: bytes) -> Table:
        raise AssertionError("read")

    field = TableFileField(reader=never, max_bytes=4)
    with pytest.raises(ValidationError, match="larger than"):
        field.clean(SimpleUploadedFile("big.csv", b"naam\nAnna\n"))


def test_a_successful_import_answers_what_run_returns() -> None:
    response = page(upload(b"naam\nAnna\n"), run=lambda form: HttpResponse("done", status=302))
    assert (response.status_code, response.content) == (302, b"done")


def test_an_unreadable_file_is_a_400_with_the_reason_and_nothing_runs() -> None:
    def run(form: forms.Form) -> HttpResponse:
        raise AssertionError("ran")

    response = page(upload(b"leeftijd\n3\n"), run=run)
    assert response.status_code == 400
    assert "Unknown columns: leeftijd" in response.content.decode()


def test_wrong_rows_are_a_400_with_the_row_report() -> None:
    def run(form: forms.Form) -> HttpResponse:
        raise ImportInvalid([RowError(2, "naam", "This name is odd.")])

    response = page(upload(b"naam\nAnna\n"), run=run)
    body = response.content.decode()
    assert response.status_code == 400
    assert 'data-row="2"' in body and "This name is odd." in body


def test_a_refusal_of_the_service_lands_on_its_field_or_on_the_form() -> None:
    def refuse_title(form: forms.Form) -> HttpResponse:
        raise ValidationError({"title": ["Taken."], "elsewhere": ["Not a field."]})

    forms_seen: list = []
    response = page(upload(b"naam\nAnna\n"), run=refuse_title, form_out=forms_seen)
    (form,) = forms_seen
    assert response.status_code == 400
    assert form.errors["title"] == ["Taken."]
    assert form.non_field_errors() == ["Not a field."]
    assert "Not a field." in response.content.decode()


def test_the_empty_form_is_a_200() -> None:
    assert page(None, run=lambda form: HttpResponse()).status_code == 200


def test_the_upload_help_speaks_the_language_of_the_request() -> None:
    help_text = UploadForm.base_fields["file"].help_text
    with translation.override("nl"):
        assert "maximaal" in str(help_text)
    with translation.override("en"):
        assert str(help_text) == "A CSV file or an Excel file (.xlsx), at most 0 MB."


def test_a_file_that_claims_utf16_but_is_not_is_a_400_not_a_500() -> None:
    response = page(upload(b"\xff\xfe\x00"), run=lambda form: HttpResponse())
    assert response.status_code == 400
    assert "could not be read" in response.content.decode()
