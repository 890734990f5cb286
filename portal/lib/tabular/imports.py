"""Imports: an uploaded table checked as a whole, then row by row, all or nothing.

An app's import is a reader (file → Table, via read_table()), a service that checks
every row and either writes all of them or raises ImportInvalid with the problems of
each row, and a view that is a call of import_page(). The convention, the same for
every import: a POST that imported nothing answers 400 Bad Request, with the reasons
on the page (the form's errors, or the row report of components/_import_report.html);
the upload forms are plain forms, not htmx, so the browser shows the page either way.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.lib.tabular import reading
from portal.lib.tabular.reading import ImportFileError


@dataclass(frozen=True)
class RowError:
    """One problem of one row, for the row report."""

    row: int  # as a spreadsheet numbers it: the header is row 1
    column: str  # the header as written in the file
    message: str


class ImportInvalid(Exception):
    """At least one row is wrong; nothing was imported."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} problems")
        self.errors = sorted(errors, key=lambda error: error.row)


@dataclass
class Table:
    """The rows of an import file by column key, with their spreadsheet row numbers."""

    headers: dict[str, str]  # column key → the header as written in the file
    rows: list[tuple[int, dict[str, str]]]
    # Row number → column key → reading.FORMULA, DATE or BOOLEAN: cells of an XLSX file
    # whose text cannot be taken as it is (only with report_unusable).
    problems: dict[int, dict[str, str]] = field(default_factory=dict)


def read_table(
    *,
    name: str,
    content: bytes,
    known: Mapping[str, str],
    columns: str,
    required: Iterable[str],
    max_bytes: int,
    max_rows: int,
    max_columns: int,
    no_rows: str,
    header_first: bool = True,
    delimiters: Sequence[str] = reading.DELIMITERS,
    iso_dates: bool = False,
    report_unusable: bool = False,
    keep_problem: Callable[[str, str], bool] = lambda key, problem: True,
) -> Table:
    """The rows of an uploaded CSV or XLSX file by column key; ImportFileError if the
    file as a whole cannot be used.

    `known` maps normalised column names (reading.normal_header()) to column keys,
    `columns` lists the columns for the message about unknown ones, `required` are the
    keys the file must have and `no_rows` is the message for a file without rows.
    With `header_first` the header must be the first row, else it is the first row
    that is not empty. Empty rows are left out; their numbers are kept. With
    `report_unusable`, Table.problems holds the unusable cells for which
    `keep_problem(column key, problem)` is true.
    """
    raw = reading.read_rows(
        name=name,
        content=content,
        max_bytes=max_bytes,
        max_rows=max_rows,
        max_columns=max_columns,
        delimiters=delimiters,
        iso_dates=iso_dates,
        report_unusable=report_unusable,
    )
    if header_first:
        header_row = 0 if raw.rows and any(cell.strip() for cell in raw.rows[0]) else None
        if header_row is None:
            raise ImportFileError(_("The first row must hold the column names."))
    else:
        header_row = next((index for index, row in enumerate(raw.rows) if row), None)
        if header_row is None:
            raise ImportFileError(_("The file is empty."))
    headers, positions = reading.header_columns(
        raw.rows[header_row], known=known, columns=columns, required=required
    )
    rows = []
    problems: dict[int, dict[str, str]] = {}
    for number, cells in enumerate(raw.rows[header_row + 1 :], start=header_row + 2):
        values = reading.row_values(cells, positions)
        found = {
            key: problem
            for key, position in positions.items()
            if (problem := raw.unusable.get((number - 1, position))) and keep_problem(key, problem)
        }
        if any(values.values()) or found:  # spreadsheets often end in empty rows
            rows.append((number, values))
        if found:
            problems[number] = found
    if not rows:
        raise ImportFileError(no_rows)
    return Table(headers=headers, rows=rows, problems=problems)


class TableFileField(forms.FileField):
    """An upload read into a Table by `reader(name=..., content=...)`; a file too large
    is refused before it is read into memory."""

    def __init__(
        self, *, reader: Callable[..., Table], max_bytes: int = 5 * 2**20, **kwargs: Any
    ) -> None:
        kwargs.setdefault("label", gettext_lazy("File"))
        # Lazy as a whole: formatted when shown, in the language of that request.
        kwargs.setdefault("help_text", _upload_help(max_bytes // 2**20))
        kwargs.setdefault("widget", forms.FileInput(attrs={"accept": ".csv,.xlsx"}))
        super().__init__(**kwargs)
        self.reader = reader
        self.max_bytes = max_bytes

    def clean(self, data: Any, initial: Any = None) -> Table | None:
        upload: UploadedFile | None = super().clean(data, initial)
        if upload is None:
            return None
        if upload.size and upload.size > self.max_bytes:
            raise ValidationError(
                _("The file is larger than %(size)s MB.") % {"size": self.max_bytes // 2**20}
            )
        try:
            return self.reader(name=upload.name or "", content=upload.read())
        except ImportFileError as error:
            raise ValidationError(str(error)) from error


_Form = TypeVar("_Form", bound=forms.Form)


def _upload_help_text(size: int) -> str:
    return _("A CSV file or an Excel file (.xlsx), at most %(size)s MB.") % {"size": size}


_upload_help = lazy(_upload_help_text, str)


def import_page(
    request: HttpRequest,
    *,
    form: _Form,
    template: str,
    run: Callable[[_Form], HttpResponse],
    context: Mapping[str, Any] | None = None,
) -> HttpResponse:
    """The page of an import: its form and, after a POST, what became of the file.

    `run` imports from the valid form and returns the answer to a success (a redirect
    with a message). It raises ImportInvalid for wrong rows, or ValidationError (by
    form field, or for the whole form) when nothing could be imported; the page then
    shows the reasons with status 400.
    """
    posted = request.method == "POST"
    report: list[RowError] = []
    if posted and form.is_valid():
        try:
            return run(form)
        except ImportInvalid as invalid:
            report = invalid.errors
        except ValidationError as refusal:
            add_refusal(form, refusal)
    page = {
        "form": form,
        "report": report,
        "rows_with_errors": len({error.row for error in report}),
        **(context or {}),
    }
    return render(request, template, page, status=400 if posted else 200)


def add_refusal(form: forms.Form, refusal: ValidationError) -> None:
    """A service's ValidationError on the form: by field where it names one of the
    form's fields, else for the form as a whole."""
    if hasattr(refusal, "error_dict"):
        for name, errors in refusal.message_dict.items():
            for error in errors:
                form.add_error(name if name in form.fields else None, error)
    else:
        for error in refusal.messages:
            form.add_error(None, error)
