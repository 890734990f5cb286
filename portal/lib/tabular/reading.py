"""Reading an uploaded table, CSV or XLSX, into rows of text: shared by the imports of
the apps (partners: contacts, thermometer: historical counts).

This module knows files, not columns: it tells a CSV file from an XLSX one, decodes
the text, finds the delimiter, limits the size and the number of rows, and checks a
header row against the column names an app gives it. What the columns mean, and
whether a row is valid, stays with the app.

Every problem with the file as a whole is an ImportFileError whose message is for the
user; problems with single rows are reported as imports.RowError.
"""

import codecs
import csv
import io
import itertools
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils.translation import gettext as _

import openpyxl
from openpyxl.cell.read_only import EmptyCell

# Cells of an XLSX file that hold no usable value (Rows.unusable).
FORMULA = "formula"
DATE = "date"
BOOLEAN = "boolean"
# The delimiters a CSV file may use, in order of preference when counts tie.
DELIMITERS = (",", ";", "\t")


class ImportFileError(Exception):
    """The file as a whole cannot be used; the message says why, for the user."""


@dataclass
class Rows:
    """The rows of a file as text, blank rows as empty lists."""

    rows: list[list[str]]
    # (row index, column index) → FORMULA, DATE or BOOLEAN: cells of an XLSX file whose
    # text cannot be taken as it is. Only filled when asked for (report_unusable).
    unusable: dict[tuple[int, int], str] = field(default_factory=dict)


def read_rows(
    *,
    name: str,
    content: bytes,
    max_bytes: int,
    max_rows: int,
    max_columns: int,
    delimiters: Sequence[str] = DELIMITERS,
    iso_dates: bool = False,
    report_unusable: bool = False,
) -> Rows:
    """The rows of an uploaded CSV or XLSX file; ImportFileError if it cannot be used.

    An XLSX file is known by its content, whatever its name; a CSV file by its name
    (.csv or .txt). See csv_rows() and xlsx_rows() for the other parameters.
    """
    if not content.strip():
        raise ImportFileError(_("The file is empty."))
    if len(content) > max_bytes:
        raise ImportFileError(
            _("The file is larger than %(size)s MB.") % {"size": max_bytes // 2**20}
        )
    suffix = name.lower().rpartition(".")[2]
    if content.startswith(b"PK\x03\x04"):
        return xlsx_rows(
            content,
            max_rows=max_rows,
            max_columns=max_columns,
            iso_dates=iso_dates,
            report_unusable=report_unusable,
        )
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            _("This is an old Excel file (.xls). Save it as .xlsx or CSV and try again.")
        )
    if suffix in {"csv", "txt"}:
        return Rows(csv_rows(content, max_rows=max_rows, delimiters=delimiters))
    if suffix == "xlsx":
        raise ImportFileError(_("This file is not a valid Excel (.xlsx) file."))
    raise ImportFileError(_("Upload a CSV file or an Excel (.xlsx) file."))


def decode_text(content: bytes) -> str:
    """The text of a CSV file: UTF-16 with a byte order mark, UTF-8 (with or without
    one) or else Windows-1252."""
    unreadable = ImportFileError(
        _("The characters in this file could not be read. Save it as CSV UTF-8 and try again.")
    )
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError:  # e.g. an odd number of bytes: not UTF-16 after all
            raise unreadable from None
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        # What Excel on Windows writes when saving "CSV (comma delimited)".
        return content.decode("cp1252")
    except UnicodeDecodeError:
        raise unreadable from None


def csv_rows(
    content: bytes, *, max_rows: int, delimiters: Sequence[str] = DELIMITERS
) -> list[list[str]]:
    """The rows of a CSV file.

    The delimiter is the one an Excel hint line ("sep=;") names, else the one of
    `delimiters` found most often in the first line; on a tie the earlier one.
    """
    text = decode_text(content)
    if "\x00" in text:
        raise ImportFileError(_("This file is not a CSV file."))
    first_line, _newline, rest = text.lstrip().partition("\n")
    if first_line.lower().startswith("sep=") and len(first_line.strip()) == 5:
        # Excel's hint line, e.g. "sep=;": it names the delimiter and is no header.
        delimiter, text = first_line.strip()[4], rest
    else:
        # Dutch Excel saves CSV with semicolons (and decimal commas); others use commas.
        delimiter = max(delimiters, key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return limited(reader, max_rows=max_rows)
    except csv.Error as error:
        raise ImportFileError(
            _("This CSV file could not be read (line %(line)s).") % {"line": reader.line_num}
        ) from error


def xlsx_rows(
    content: bytes,
    *,
    max_rows: int,
    max_columns: int,
    iso_dates: bool = False,
    report_unusable: bool = False,
) -> Rows:
    """The rows of the first sheet as text (the first `max_columns` columns).

    The values are those Excel computed and stored with the file. With
    `report_unusable`, Rows.unusable names the cells holding TRUE/FALSE (BOOLEAN), a
    date or time (DATE), or a formula without a stored value (FORMULA): a file written
    by a program other than a spreadsheet (openpyxl, some exports) stores formulas
    without their values, and a second reading finds those formulas, which would
    otherwise read as empty. See cell_text() for `iso_dates`.
    """
    unusable: dict[tuple[int, int], str] = {}
    blank: set[tuple[int, int]] = set()  # cells present in the file without a value

    def texts(sheet) -> Iterator[list[str]]:
        for index, cells in enumerate(sheet.iter_rows(max_col=max_columns)):
            row = []
            for position, cell in enumerate(cells):
                value = cell.value
                if report_unusable:
                    # A formula whose result is an empty text is stored as a text
                    # ("str"); one without a result as a number without a value.
                    if value is None and cell.data_type == "n" and not isinstance(cell, EmptyCell):
                        blank.add((index, position))
                    if isinstance(value, bool):
                        unusable[(index, position)] = BOOLEAN
                    elif isinstance(value, datetime | date | time | timedelta):
                        unusable[(index, position)] = DATE
                row.append(cell_text(value, iso_dates=iso_dates))
            yield row

    with _workbook(content, data_only=True) as workbook:
        rows = limited(texts(workbook.worksheets[0]), max_rows=max_rows)
    if blank:
        with _workbook(content, data_only=False) as workbook:
            sheet_rows = workbook.worksheets[0].iter_rows(max_col=max_columns)
            for index, cells in enumerate(itertools.islice(sheet_rows, len(rows))):
                for position, cell in enumerate(cells):
                    if cell.data_type == "f" and (index, position) in blank:
                        unusable[(index, position)] = FORMULA
    return Rows(rows, unusable)


@contextmanager
def _workbook(content: bytes, *, data_only: bool) -> Iterator[openpyxl.Workbook]:
    """An XLSX file opened for reading; ImportFileError if it is not one."""
    try:
        with warnings.catch_warnings():
            # openpyxl warns about features it ignores (data validation, styles).
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(
                io.BytesIO(content), read_only=True, data_only=data_only
            )
    except Exception as error:  # a corrupt file raises anything from KeyError to BadZipFile
        raise ImportFileError(_("This file is not a valid Excel (.xlsx) file.")) from error
    try:
        yield workbook
    except ImportFileError:
        raise
    except Exception as error:
        raise ImportFileError(_("This file is not a valid Excel (.xlsx) file.")) from error
    finally:
        workbook.close()


def cell_text(value: object, *, iso_dates: bool = False) -> str:
    """The text of a spreadsheet cell: a whole float without ".0"; with `iso_dates`, a
    date and time at midnight as the day alone (2024-03-01)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if iso_dates and isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    return str(value).strip()


def limited(rows: Iterable[list[str]], *, max_rows: int) -> list[list[str]]:
    """The rows, or ImportFileError as soon as there are more than `max_rows` (and a
    header).

    Blank rows are kept as empty lists (so row numbers in reports stay right) and
    count too, up to ten times the limit: a small file of millions of empty rows
    must not cost memory or minutes.
    """
    read: list[list[str]] = []
    filled = 0
    for seen, row in enumerate(rows, start=1):
        if any(cell.strip() for cell in row):
            read.append(row)
            filled += 1
        else:
            read.append([])
        if filled > max_rows + 1 or seen > 10 * max_rows:
            raise ImportFileError(
                _("The file has more than %(limit)s rows. Split it into smaller files.")
                % {"limit": max_rows}
            )
    return read


def normal_header(text: str) -> str:
    """A column name as compared: lower case, single spaces, no byte order mark."""
    return " ".join(text.replace("\ufeff", "").strip().lower().split())


def header_columns(
    cells: list[str], *, known: Mapping[str, str], columns: str, required: Iterable[str]
) -> tuple[dict[str, str], dict[str, int]]:
    """The columns of a header row: column key → the header as written, and column
    key → its position. Empty headers are skipped.

    `known` maps normalised column names (normal_header()) to column keys; `columns`
    lists the columns for the message about unknown ones; `required` are the keys
    the file must have. ImportFileError for a column given twice, unknown columns or
    missing ones.
    """
    headers: dict[str, str] = {}
    positions: dict[str, int] = {}
    unknown = []
    for position, header in enumerate(cells):
        if not header.strip():
            continue
        key = known.get(normal_header(header))
        if key is None:
            unknown.append(header.strip())
        elif key in headers:
            raise ImportFileError(
                _("The column “%(column)s” appears more than once.") % {"column": header.strip()}
            )
        else:
            headers[key], positions[key] = header.strip(), position
    if unknown:
        raise ImportFileError(
            _("Unknown columns: %(unknown)s. The columns are: %(columns)s.")
            % {"unknown": ", ".join(unknown), "columns": columns}
        )
    missing = [key for key in required if key not in headers]
    if missing:
        raise ImportFileError(
            _("Required columns are missing: %(missing)s.") % {"missing": ", ".join(missing)}
        )
    return headers, positions


def row_values(cells: list[str], positions: Mapping[str, int]) -> dict[str, str]:
    """A row's text by column key; "" for a column the row is too short to have."""
    return {
        key: cells[position].strip() if position < len(cells) else ""
        for key, position in positions.items()
    }
