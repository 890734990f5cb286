"""Writing tables as files people open in a spreadsheet: CSV and XLSX.

One place for what every export needs: the formula guard (a cell that starts with "="
is text, never a formula), the content types, Dutch Excel's CSV dialect (semicolons and
a decimal comma, with a byte order mark so the UTF-8 is read right), number formats
per kind of column, and files whose bytes depend on their contents only: an XLSX file
carries a fixed moment instead of the time it was written, so the same data gives the
same file.

Rows are written one at a time: the XLSX writer uses openpyxl's write-only mode, so a
large export never holds a workbook of cell objects in memory, only the file's bytes
(which the export job stores in the database anyway).
"""

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import KW_ONLY, dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from django.utils.functional import Promise

import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

CSV, XLSX = "csv", "xlsx"
CONTENT_TYPES = {
    CSV: "text/csv; charset=utf-8",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# The moment inside every workbook unless a writer is given another: byte-stable files.
FIXED_MOMENT = datetime(2020, 1, 1, tzinfo=UTC)
# Number formats of XLSX cells by the kind of their column.
NUMBER_FORMATS = {"mean": "0.00", "share": "0.0", "date": "yyyy-mm-dd"}

Value = str | int | float | Decimal | date | None

# A cell that starts with one of these is run as a formula by spreadsheet programs
# (CSV injection); a leading apostrophe makes it text. "+" and "-" are allowed before
# a plain number such as a telephone number "+31 30 258 9111".
_FORMULA_START = re.compile(r"^(?:[=@\t\r]|[+-](?![\d\s()./-]*$))")


@dataclass(frozen=True)
class Column:
    """A column of an exported table.

    `value` reads the cell from a row object (an export dataset's rows); without it
    the rows are given as lists of values. `kind` chooses the XLSX number format:
    text, int, count, mean, median, share or date.
    """

    header: str | Promise  # lazy: translated when the file is written
    value: Callable[[Any], Value] | None = None
    _: KW_ONLY
    kind: str = "text"

    def __post_init__(self) -> None:
        if self.value is not None and not callable(self.value):
            raise TypeError(f"the value of column {self.header!s} must be callable")

    def read(self, row: Any) -> Value:
        """The cell of this column for a row object."""
        if self.value is None:
            raise TypeError(f"the column {self.header!s} reads no row objects")
        return self.value(row)


@dataclass
class Sheet:
    """A whole table in memory: for the small files built in a request."""

    title: str | Promise
    columns: Sequence[Column]
    rows: list[list[Value]] = field(default_factory=list)


def guard_formula(text: str) -> str:
    """The text as a spreadsheet shows it literally: a would-be formula gets an apostrophe."""
    return "'" + text if _FORMULA_START.match(text) else text


def csv_text(value: Value, *, decimal_comma: bool = False) -> str:
    """A cell as CSV text: ISO dates, guarded text, optionally a decimal comma."""
    if value is None:
        return ""
    if isinstance(value, Decimal | float):
        text = format(value, "f") if isinstance(value, Decimal) else repr(value)
        return text.replace(".", ",") if decimal_comma else text
    if isinstance(value, int | date):
        return value.isoformat() if isinstance(value, date) else str(value)
    return guard_formula(str(value))


class CsvWriter:
    """A CSV file with a byte order mark, so that Excel reads the UTF-8 correctly.

    The default is RFC 4180 (commas); `dutch=True` writes what Dutch Excel opens
    without its import wizard: semicolons and decimal commas.
    """

    def __init__(self, columns: Sequence[Column], *, dutch: bool = False) -> None:
        self.buffer = io.StringIO()
        self.writer = csv.writer(self.buffer, delimiter=";" if dutch else ",")
        self.decimal_comma = dutch
        self.write([str(column.header) for column in columns])

    def write(self, values: Iterable[Value]) -> None:
        self.writer.writerow(
            [csv_text(value, decimal_comma=self.decimal_comma) for value in values]
        )

    def close(self) -> bytes:
        return codecs.BOM_UTF8 + self.buffer.getvalue().encode("utf-8")


class XlsxWriter:
    """A streaming workbook of one or more sheets, each with a bold, frozen header row."""

    def __init__(self, *, moment: datetime = FIXED_MOMENT) -> None:
        self.workbook = openpyxl.Workbook(write_only=True)
        self.moment = moment
        self.sheet: Any = None
        self.columns: Sequence[Column] = ()

    def add_sheet(
        self, title: str | Promise, columns: Sequence[Column], *, widths: Sequence[int] = ()
    ) -> None:
        """Start a sheet (further rows go there) and write its header row."""
        self.sheet = self.workbook.create_sheet(sheet_title(title))
        self.columns = columns
        # Write-only sheets take their layout before the first row.
        for index, width in enumerate(widths, start=1):
            self.sheet.column_dimensions[get_column_letter(index)].width = width
        self.sheet.freeze_panes = "A2"
        bold = Font(bold=True)
        header = []
        for column in columns:
            cell = WriteOnlyCell(self.sheet, value=_clean(str(column.header)))
            cell.data_type = "s"
            cell.font = bold
            header.append(cell)
        self.sheet.append(header)

    def write(self, values: Iterable[Value]) -> None:
        cells: list[Cell | None] = []
        for column, value in zip(self.columns, values, strict=True):
            if value is None or value == "":
                cells.append(None)  # no cell at all, as a spreadsheet leaves an empty one
                continue
            cell = WriteOnlyCell(self.sheet)  # its value= is typed narrower than a cell's
            cell.value = _clean(value) if isinstance(value, str) else value
            if isinstance(value, str):
                cell.data_type = "s"  # text, even when it starts with "=": no formulas
            elif column.kind in NUMBER_FORMATS:
                cell.number_format = NUMBER_FORMATS[column.kind]
            cells.append(cell)
        self.sheet.append(cells)

    def close(self) -> bytes:
        # openpyxl takes naive datetimes as UTC.
        moment = self.moment.astimezone(UTC).replace(tzinfo=None)
        self.workbook.properties.created = self.workbook.properties.modified = moment
        raw = io.BytesIO()
        # ExcelWriter, not workbook.save(): save() stamps the current time in the file.
        ExcelWriter(self.workbook, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED)).save()
        return _with_fixed_dates(raw.getvalue(), moment)


def xlsx_file(sheets: Iterable[Sheet], *, moment: datetime = FIXED_MOMENT) -> bytes:
    """Sheets held in memory as one workbook, each column as wide as its longest text."""
    writer = XlsxWriter(moment=moment)
    for sheet in sheets:
        widths = [
            min(max(max(len(text) for text in texts) + 2, 8), 60)
            for texts in (
                [str(column.header), *(csv_text(row[index]) for row in sheet.rows)]
                for index, column in enumerate(sheet.columns)
            )
        ]
        writer.add_sheet(sheet.title, sheet.columns, widths=widths)
        for row in sheet.rows:
            writer.write(row)
    return writer.close()


def csv_file(sheet: Sheet, *, dutch: bool = True) -> bytes:
    """One sheet held in memory as a CSV file (Dutch Excel's dialect unless told)."""
    writer = CsvWriter(sheet.columns, dutch=dutch)
    for row in sheet.rows:
        writer.write(row)
    return writer.close()


def sheet_title(title: str | Promise) -> str:
    """A sheet name Excel accepts: no []:*?/\\ and at most 31 characters."""
    return re.sub(r"[\[\]:*?/\\]", " ", str(title))[:31]


def _clean(text: str) -> str:
    """Text without the control characters an XLSX file cannot hold."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def _with_fixed_dates(data: bytes, moment: datetime) -> bytes:
    """The same ZIP archive with every entry dated `moment` instead of now."""
    stable = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(stable, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            fixed = zipfile.ZipInfo(entry.filename, date_time=moment.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = entry.external_attr
            target.writestr(fixed, source.read(entry))
    return stable.getvalue()
