"""portal/lib/tabular/writing.py: the one writer of CSV and XLSX files."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest

from portal.lib.tabular.writing import (
    Column,
    CsvWriter,
    Sheet,
    XlsxWriter,
    csv_file,
    guard_formula,
    sheet_title,
    xlsx_file,
)


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("=1+1", "'=1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("+cmd", "'+cmd"),
        ("-2+3", "'-2+3"),
        ("\tx", "'\tx"),
        ("+31 30 258 9111", "+31 30 258 9111"),  # a telephone number stays as it is
        ("-12.5", "-12.5"),
        ("Gemeente Zeist", "Gemeente Zeist"),
    ],
)
def test_a_would_be_formula_is_written_as_text(text: str, written: str) -> None:
    assert guard_formula(text) == written


def test_dutch_excel_gets_semicolons_decimal_commas_and_a_byte_order_mark() -> None:
    sheet = Sheet(
        "Cijfers",
        [Column("Naam"), Column("Gemiddelde", kind="mean"), Column("Datum", kind="date")],
        [["=A1", Decimal("7.25"), datetime.date(2026, 3, 1)], ["x", None, None]],
    )
    content = csv_file(sheet)
    assert content.startswith(b"\xef\xbb\xbf")
    assert content.decode("utf-8-sig").splitlines() == [
        "Naam;Gemiddelde;Datum",
        "'=A1;7,25;2026-03-01",
        "x;;",
    ]


def test_the_default_csv_is_rfc_4180_with_commas() -> None:
    writer = CsvWriter([Column("a"), Column("b")])
    writer.write(["een, twee", 3])
    rows = list(csv.reader(io.StringIO(writer.close().decode("utf-8-sig"))))
    assert rows == [["a", "b"], ["een, twee", "3"]]


def test_xlsx_cells_are_text_or_typed_numbers_with_their_format() -> None:
    content = xlsx_file(
        [
            Sheet(
                "Results: 2026/1",
                [
                    Column("Naam"),
                    Column("Gemiddelde", kind="mean"),
                    Column("Aandeel", kind="share"),
                ],
                [['=HYPERLINK("x")', Decimal("7.25"), Decimal("12.5")]],
            )
        ]
    )
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    assert sheet.title == "Results  2026 1"
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2"
    assert (sheet["A2"].data_type, sheet["A2"].value) == ("s", '=HYPERLINK("x")')
    assert (sheet["B2"].value, sheet["B2"].number_format) == (7.25, "0.00")
    assert sheet["C2"].number_format == "0.0"
    assert sheet.column_dimensions["A"].width >= len('=HYPERLINK("x")')


def test_the_same_rows_give_the_same_bytes() -> None:
    def written() -> bytes:
        writer = XlsxWriter(moment=datetime.datetime(2026, 5, 1, 9, 30, tzinfo=datetime.UTC))
        writer.add_sheet("Contacten", [Column("Naam", lambda row: row["name"])])
        writer.write([Column("Naam", lambda row: row["name"]).read({"name": "Anna"})])
        return writer.close()

    assert written() == written()


def test_a_column_value_must_be_a_function_of_the_row() -> None:
    with pytest.raises(TypeError):
        Column("Gemiddelde", "mean")  # type: ignore[arg-type]  # the mistake this guards
    with pytest.raises(TypeError):
        Column("Naam").read({"name": "Anna"})


def test_a_sheet_title_is_one_excel_accepts() -> None:
    assert sheet_title("a[b]c:d*e?f/g\\h" + "x" * 40) == ("a b c d e f g h" + "x" * 40)[:31]
