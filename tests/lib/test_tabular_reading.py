"""Reading uploaded tables into rows of text (portal/lib/tabular/reading.py), shared by
the imports."""

import codecs
import datetime
import io
import zipfile

from django.utils import translation

import openpyxl
import pytest

from portal.lib.tabular import reading as tabular
from portal.lib.tabular.imports import RowError
from portal.lib.tabular.reading import ImportFileError

MB = 2**20


@pytest.fixture(autouse=True)
def english() -> None:
    """Messages in their source language (the portal's default is Dutch)."""
    with translation.override("en"):
        yield


def read(
    content: bytes,
    *,
    name: str = "file.csv",
    max_bytes: int = 5 * MB,
    max_rows: int = 100,
    max_columns: int = 30,
    **options,
) -> tabular.Rows:
    return tabular.read_rows(
        name=name,
        content=content,
        max_bytes=max_bytes,
        max_rows=max_rows,
        max_columns=max_columns,
        **options,
    )


def refused(content: bytes, **options) -> str:
    with pytest.raises(ImportFileError) as raised:
        read(content, **options)
    return str(raised.value)


def workbook_bytes(*rows: list[object]) -> bytes:
    """An XLSX file as openpyxl writes it: formulas without a computed value."""
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- Decoding ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        "naam;plaats\r\nJosé;Zeeuws-Vlaanderen\r\n".encode(),
        codecs.BOM_UTF8 + "naam;plaats\r\nJosé;Zeeuws-Vlaanderen\r\n".encode(),
        "naam;plaats\r\nJosé;Zeeuws-Vlaanderen\r\n".encode("cp1252"),
        "naam;plaats\r\nJosé;Zeeuws-Vlaanderen\r\n".encode("utf-16"),  # with its BOM
        codecs.BOM_UTF16_BE + "naam;plaats\r\nJosé;Zeeuws-Vlaanderen\r\n".encode("utf-16-be"),
    ],
    ids=["utf-8", "utf-8 bom", "cp1252", "utf-16 le", "utf-16 be"],
)
def test_csv_is_read_in_each_encoding(content: bytes) -> None:
    assert read(content).rows == [["naam", "plaats"], ["José", "Zeeuws-Vlaanderen"]]


def test_decode_text_drops_the_utf8_byte_order_mark() -> None:
    assert tabular.decode_text(codecs.BOM_UTF8 + b"naam") == "naam"


def test_decode_text_falls_back_to_windows_1252() -> None:
    assert tabular.decode_text("€ 5, café".encode("cp1252")) == "€ 5, café"


def test_undecodable_text_is_refused() -> None:
    # 0x81 is undefined in Windows-1252, and invalid UTF-8.
    with pytest.raises(ImportFileError, match="could not be read. Save it as CSV UTF-8"):
        tabular.decode_text(b"naam\x81")


def test_a_file_with_nul_characters_is_no_csv() -> None:
    assert refused(b"naam\x00;plaats\n") == "This file is not a CSV file."


# --- Delimiters ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first_line", "delimiters", "expected"),
    [
        ("a;b;c", tabular.DELIMITERS, ["a", "b", "c"]),
        ("a,b,c", tabular.DELIMITERS, ["a", "b", "c"]),
        ("a\tb\tc", tabular.DELIMITERS, ["a", "b", "c"]),
        # "2,5" has a comma, the line two semicolons: semicolons.
        ("a;b;2,5", tabular.DELIMITERS, ["a", "b", "2,5"]),
        # A tie goes to the first delimiter given.
        ("a;b,c", (",", ";", "\t"), ["a;b", "c"]),
        ("a;b,c", (";", ","), ["a", "b,c"]),
        ("abc", (",", ";"), ["abc"]),
    ],
)
def test_the_delimiter_is_the_most_frequent_in_the_first_line(
    first_line: str, delimiters: tuple[str, ...], expected: list[str]
) -> None:
    content = f"{first_line}\n".encode()
    assert tabular.csv_rows(content, max_rows=10, delimiters=delimiters) == [expected]


def test_excels_sep_line_names_the_delimiter_and_is_no_row() -> None:
    content = b"sep=,\r\nnaam,aantal\r\nq1a;x,3\r\n"
    assert read(content, delimiters=(";", ",")).rows == [["naam", "aantal"], ["q1a;x", "3"]]


def test_a_sep_line_after_blank_lines_counts_too() -> None:
    assert read(b"\n\nSEP=;\na;b\n").rows == [["a", "b"]]


def test_a_csv_the_reader_refuses_names_its_line() -> None:
    # A field larger than the csv module's limit (128 KB) on the second line.
    content = b"naam\n" + b'"' + b"x" * (200 * 1024) + b'"\n'
    assert refused(content) == "This CSV file could not be read (line 2)."


# --- The file as a whole ------------------------------------------------------------------


@pytest.mark.parametrize("content", [b"", b"  \r\n\t"])
def test_an_empty_file_is_refused(content: bytes) -> None:
    assert refused(content) == "The file is empty."


@pytest.mark.parametrize(("limit", "shown"), [(5 * MB, "5"), (2 * MB, "2")])
def test_a_file_too_large_is_refused_with_the_limit_in_mb(limit: int, shown: str) -> None:
    assert refused(b"a;b\n" * (limit // 4 + 1), max_bytes=limit) == (
        f"The file is larger than {shown} MB."
    )


def test_an_old_excel_file_is_refused_whatever_its_name() -> None:
    content = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100
    assert refused(content, name="telling.csv") == (
        "This is an old Excel file (.xls). Save it as .xlsx or CSV and try again."
    )


def test_an_xlsx_is_known_by_its_content_not_its_name() -> None:
    rows = read(workbook_bytes(["a", "b"]), name="export.csv", max_columns=2).rows
    assert rows == [["a", "b"]]


def test_a_file_named_xlsx_that_is_none_is_refused() -> None:
    assert refused(b"a;b\n", name="file.xlsx") == "This file is not a valid Excel (.xlsx) file."


def test_a_corrupt_xlsx_is_refused() -> None:
    assert refused(b"PK\x03\x04 not a zip", name="file.xlsx") == (
        "This file is not a valid Excel (.xlsx) file."
    )


@pytest.mark.parametrize("name", ["file.pdf", "file", "file.json"])
def test_other_files_are_refused(name: str) -> None:
    assert refused(b"a;b\n", name=name) == "Upload a CSV file or an Excel (.xlsx) file."


@pytest.mark.parametrize("name", ["file.CSV", "file.txt"])
def test_csv_and_txt_are_read_as_csv(name: str) -> None:
    assert read(b"a;b\n", name=name).rows == [["a", "b"]]


# --- Row limit ------------------------------------------------------------------------------


def test_the_limit_allows_a_header_and_max_rows() -> None:
    content = b"a\n" + b"1\n" * 10
    assert len(read(content, max_rows=10).rows) == 11


def test_one_row_more_than_the_limit_is_refused() -> None:
    content = b"a\n" + b"1\n" * 11
    assert refused(content, max_rows=10) == (
        "The file has more than 10 rows. Split it into smaller files."
    )


def test_blank_rows_are_kept_empty_and_count_up_to_ten_times_the_limit() -> None:
    rows = read(b"a;b\n;\n\n1;2\n", max_rows=10).rows
    assert rows == [["a", "b"], [], [], ["1", "2"]]
    assert refused(b"a\n" + b";\n" * 100, max_rows=10).startswith("The file has more than 10")


def test_the_row_limit_applies_to_xlsx_too() -> None:
    content = workbook_bytes(["a"], *([1] for _ in range(11)))
    assert refused(content, name="f.xlsx", max_rows=10).startswith("The file has more than 10")


# --- XLSX ----------------------------------------------------------------------------------


def test_xlsx_cells_are_read_as_text() -> None:
    content = workbook_bytes(["naam", "aantal", "half"], [" Utrecht ", 3.0, 2.5], [None, 7])
    assert read(content, name="f.xlsx", max_columns=4).rows == [
        ["naam", "aantal", "half", ""],  # as wide as max_columns
        ["Utrecht", "3", "2.5", ""],
        ["", "7", "", ""],
    ]


def test_xlsx_reads_only_the_first_columns() -> None:
    content = workbook_bytes(list(range(1, 41)))
    rows = tabular.xlsx_rows(content, max_rows=10, max_columns=5).rows
    assert rows == [["1", "2", "3", "4", "5"]]


def test_dates_read_as_their_day_when_asked() -> None:
    # A spreadsheet's dates and times have no time zone.
    midnight = datetime.datetime(2024, 3, 1)  # noqa: DTZ001
    later = datetime.datetime(2024, 3, 1, 9, 30)  # noqa: DTZ001
    content = workbook_bytes([midnight, later])
    plain = tabular.xlsx_rows(content, max_rows=10, max_columns=2)
    iso = tabular.xlsx_rows(content, max_rows=10, max_columns=2, iso_dates=True)
    assert plain.rows == [["2024-03-01 00:00:00", "2024-03-01 09:30:00"]]
    assert iso.rows == [["2024-03-01", "2024-03-01 09:30:00"]]


def test_unusable_cells_are_reported_only_when_asked() -> None:
    content = workbook_bytes(
        ["a", "b", "c", "d"],
        ["=1+2", True, datetime.date(2020, 1, 1), 4],
    )
    quiet = tabular.xlsx_rows(content, max_rows=10, max_columns=4)
    reported = tabular.xlsx_rows(content, max_rows=10, max_columns=4, report_unusable=True)
    assert quiet.unusable == {}
    # openpyxl writes the formula without a computed value: it reads as empty text.
    assert reported.rows == quiet.rows
    assert quiet.rows == [["a", "b", "c", "d"], ["", "True", "2020-01-01 00:00:00", "4"]]
    assert reported.unusable == {
        (1, 0): tabular.FORMULA,
        (1, 1): tabular.BOOLEAN,
        (1, 2): tabular.DATE,
    }


def test_a_formula_with_a_computed_value_is_usable() -> None:
    content = workbook_bytes(["a"], ["=1+2"])
    sheet = "xl/worksheets/sheet1.xml"
    source = zipfile.ZipFile(io.BytesIO(content))
    xml = source.read(sheet).decode().replace("<v />", "<v>3</v>", 1)
    if "<v>3</v>" not in xml:  # openpyxl wrote no empty value: add one
        xml = xml.replace("</f>", "</f><v>3</v>", 1)
    written = io.BytesIO()
    with zipfile.ZipFile(written, "w") as target:
        for item in source.infolist():
            target.writestr(item, xml if item.filename == sheet else source.read(item.filename))
    result = tabular.xlsx_rows(written.getvalue(), max_rows=10, max_columns=1, report_unusable=True)
    assert result.rows == [["a"], ["3"]]
    assert result.unusable == {}


@pytest.mark.parametrize(
    ("value", "iso_dates", "text"),
    [
        (None, False, ""),
        (3.0, False, "3"),
        (2.5, False, "2.5"),
        ("  x ", False, "x"),
        (7, False, "7"),
        (datetime.datetime(2024, 3, 1), True, "2024-03-01"),  # noqa: DTZ001
        (datetime.datetime(2024, 3, 1), False, "2024-03-01 00:00:00"),  # noqa: DTZ001
    ],
)
def test_cell_text(value: object, iso_dates: bool, text: str) -> None:
    assert tabular.cell_text(value, iso_dates=iso_dates) == text


# --- Headers ---------------------------------------------------------------------------


KNOWN = {"naam": "name", "name": "name", "e-mail": "email", "plaats": "place"}


def test_header_columns_finds_the_known_columns() -> None:
    headers, positions = tabular.header_columns(
        ["\ufeffNaam ", "", "E-MAIL"], known=KNOWN, columns="naam, e-mail", required=["name"]
    )
    # The header as written, stripped of spaces (a byte order mark stays).
    assert headers == {"name": "\ufeffNaam", "email": "E-MAIL"}
    assert positions == {"name": 0, "email": 2}
    assert tabular.row_values([" Jan ", "x"], positions) == {"name": "Jan", "email": ""}


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        (["naam", "Name"], "The column “Name” appears more than once."),
        (["naam", "leeftijd"], "Unknown columns: leeftijd. The columns are: naam, e-mail."),
        (["e-mail"], "Required columns are missing: name."),
    ],
)
def test_header_columns_refuses(cells: list[str], message: str) -> None:
    with pytest.raises(ImportFileError) as raised:
        tabular.header_columns(cells, known=KNOWN, columns="naam, e-mail", required=["name"])
    assert str(raised.value) == message


def test_normal_header() -> None:
    assert tabular.normal_header("\ufeff  E-mail   Address ") == "e-mail address"


def test_the_apps_share_the_exceptions() -> None:
    from partners.services import contact_import
    from thermometer.services import counts_check

    assert contact_import.RowError is counts_check.RowError is RowError
    assert contact_import.ImportInvalid is counts_check.ImportInvalid
    assert RowError(3, "naam", "x") == RowError(row=3, column="naam", message="x")
