"""Importing an earlier round as aggregated counts: the file (services/counts_file.py),
its rows (services/counts_check.py) and the stored round (services/history_import.py)."""

import datetime
import io
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

import openpyxl
import pytest

from portal.lib.models import User
from portal.lib.tabular.imports import ImportInvalid, RowError
from portal.lib.tabular.reading import ImportFileError
from thermometer.models import Aggregation, GroupResult, Result, Round
from thermometer.services import aggregation, counts_file, history_import
from thermometer.services.reports import round_report

SAMPLE = Path(settings.BASE_DIR) / "thermometer" / "data" / "baseline-2020.csv"
HEADER = "vraag;groep;uitgenodigd;1;2;3;4;5;6;7;8;9;10"


@pytest.fixture(autouse=True)
def english() -> None:
    """Messages in their source language (the portal's default is Dutch)."""
    with translation.override("en"):
        yield


def table(*lines: str, header: str = HEADER, name: str = "telling.csv"):
    content = "\r\n".join([header, *lines]).encode()
    return counts_file.read_counts_file(name=name, content=content)


def run(user: User, counts, *, name: str = "Nulmeting 2020", note: str = "") -> Round:
    return history_import.import_round(
        by=user,
        name=name,
        opens_on=datetime.date(2020, 3, 2),
        closes_on=datetime.date(2020, 4, 1),
        note=note,
        table=counts,
    )


def errors_of(user: User, counts) -> list[RowError]:
    with pytest.raises(ImportInvalid) as raised:
        run(user, counts)
    assert_nothing_stored()
    return raised.value.errors


def assert_nothing_stored() -> None:
    assert not Round.objects.exists(), "nothing is stored when a row is wrong"
    assert not Result.objects.exists()
    assert not GroupResult.objects.exists()
    assert not Aggregation.objects.exists()


def test_it_stores_half_counts_with_exact_mean_and_median(administrator: User) -> None:
    counts = table(
        "q1b-betrouwbaar;gemeente;9;0;1,5;2.5;1;;;;;;",
        "q1b-betrouwbaar;medewerkers;;;;3;2;;;;;;",
    )
    survey_round = run(administrator, counts, note="Op papier geteld")

    result = Result.objects.get(round=survey_round, group="gemeente", code="q1b-betrouwbaar")
    assert result.respondents == 5
    assert result.distribution == {"2": 1.5, "3": 2.5, "4": 1}
    assert result.value_sum == Decimal("14.5")
    assert result.mean == Decimal("2.9000")  # (2 × 1.5 + 3 × 2.5 + 4) / 5
    assert result.median == Decimal("3")  # 1.5 of 5 below 3, 4 up to 3
    assert result.kind == "scale"
    assert result.perspective == "about_province"
    assert result.property == "betrouwbaar"
    assert result.text == "Betrouwbaar"
    assert result.position == 201
    partners = Result.objects.get(round=survey_round, group="partners", code="q1b-betrouwbaar")
    assert partners.distribution == {"2": 1.5, "3": 2.5, "4": 1}
    staff = Result.objects.get(round=survey_round, group="staff", code="q1b-betrouwbaar")
    assert (staff.respondents, staff.mean, staff.median) == (5, Decimal("3.4000"), Decimal("3"))


def test_it_creates_a_closed_round_with_an_imported_aggregation(administrator: User) -> None:
    counts = table(
        "q1a;gemeente;20;;;;;2;3;;;;",
        "q1b-betrouwbaar;gemeente;20;;2;3;;;;;;;",
        "betrokken;gemeente;;;1;3;;;;;;;",  # a property alone means q1b-<property>
        "q1a;Waterschappen;;;;;;;5;1;;;",
    )
    survey_round = run(administrator, counts, note="Op papier geteld")

    assert survey_round.status == Round.Status.CLOSED
    assert survey_round.created_by == administrator
    assert survey_round.include_staff is False
    assert not survey_round.organisations.exists()
    assert survey_round.external_questionnaire.variant == "external"
    assert survey_round.internal_questionnaire.variant == "internal"
    assert timezone.localtime(survey_round.opens_at).isoformat() == "2020-03-02T00:00:00+01:00"
    assert timezone.localtime(survey_round.closes_at).isoformat() == "2020-04-01T00:00:00+02:00"
    aggregation = survey_round.aggregation
    assert aggregation.source == Aggregation.Source.IMPORT
    assert aggregation.status == Aggregation.Status.DONE
    assert aggregation.note == "Op papier geteld"
    assert aggregation.responses == 5 + 6  # the largest row total per group
    assert set(Result.objects.filter(round=survey_round).values_list("group", "code")) == {
        ("gemeente", "q1a"),
        ("gemeente", "q1b-betrouwbaar"),
        ("gemeente", "q1b-betrokken"),
        ("waterschap", "q1a"),
        ("partners", "q1a"),
        ("partners", "q1b-betrouwbaar"),
        ("partners", "q1b-betrokken"),
    }
    partners_q1a = Result.objects.get(round=survey_round, group="partners", code="q1a")
    assert partners_q1a.distribution == {"5": 2, "6": 3 + 5, "7": 1}
    assert set(
        GroupResult.objects.filter(round=survey_round).values_list(
            "group", "invited", "respondents"
        )
    ) == {("gemeente", 20, 5), ("waterschap", None, 6), ("partners", None, 11)}


def test_the_sample_baseline_imports_cleanly(administrator: User, settings) -> None:
    counts = counts_file.read_counts_file(name=SAMPLE.name, content=SAMPLE.read_bytes())
    survey_round = run(administrator, counts, name="Nulmeting 2020 (voorbeeld)")

    rates = {
        r.group: (r.invited, r.respondents) for r in GroupResult.objects.filter(round=survey_round)
    }
    assert rates == {
        "gemeente": (26, 18),
        "waterschap": (8, 6),
        "uitvoeringsdienst": (7, 5),
        "staff": (60, 30),
        "partners": (41, 29),
    }
    assert survey_round.include_staff
    half = Result.objects.get(round=survey_round, group="gemeente", code="q1b-flexibel")
    assert half.distribution == {"1": 1, "2": 4.5, "3": 7.5, "4": 4, "5": 1}
    report = round_report(survey_round)
    partners_mark = report.marks()[0].cell
    assert partners_mark.shown
    assert partners_mark.mean == Decimal("6.3103")  # 183 / 29
    assert {q.code for q in report.questions} >= {
        "q1a",
        "q2",
        "q3a",
        "q1b-betrouwbaar",
        "q3b-betrokken",
    }
    assert Result.objects.filter(round=survey_round).count() == 27 + 19 + 9


# --- Problems in rows -----------------------------------------------------------------


def test_every_wrong_row_is_reported_with_its_row_and_column(administrator: User) -> None:
    counts = table(
        "q1a;gemeente;10;;;;;2;3;;;;",  # row 2: fine
        "q9;gemeente;;1;;;;;;;;;",  # row 3: unknown code
        "q1a;provincie;;1;;;;;;;;;",  # row 4: unknown group
        "q1b-deskundig;gemeente;;1;twee;;;;;;;;",  # row 5: not a count
        "q1b-doelgericht;gemeente;;1;0,3;;;;;;;;",  # row 6: not a half
        "q1b-flexibel;gemeente;;1;0,5;;;;;;;;",  # row 7: total not whole
        "q1b-transparant;gemeente;;;;;;;1;;;;",  # row 8: a scale value above 5
        "q1a;gemeente;;;;;;;1;;;;",  # row 9: duplicate
        "q2;gemeente;;;;;;;1;;;;",  # row 10: a staff question for partners
        "q1b-betrokken;gemeente;12;;;1;;;;;;;",  # row 11: other number invited
        "q1b-betrokken;alle partners;;;;1;;;;;;;",  # row 12: the total is computed
        "q1b-betrokken;medewerkers;-3;;;1;;;;;;;",  # row 13: invited not a number
        ";gemeente;;;;1;;;;;;;",  # row 14: no code
        "q1b-ruimte-voor-inbreng;;;;;1;;;;;;;",  # row 15: no group
        "q1b-betrokken;overig;;;;-1;;;;;;;",  # row 16: negative
    )
    errors = errors_of(administrator, counts)
    found = [(error.row, error.column) for error in errors]
    assert found == [
        (3, "vraag"),
        (4, "groep"),
        (5, "2"),
        (6, "2"),
        (7, "1"),
        (8, "6"),
        (9, "vraag"),
        (10, "vraag"),
        (11, "uitgenodigd"),
        (12, "groep"),
        (13, "uitgenodigd"),
        (14, "vraag"),
        (15, "groep"),
        (16, "3"),
    ]
    messages = {error.row: error.message for error in errors}
    assert "q9" in messages[3]
    assert "provincie" in messages[4]
    assert "twee" in messages[5]
    assert "0,3" in messages[6]
    assert "1,5" in messages[7]
    assert "Row 2" in messages[9]
    assert "Row 2 gives 10" in messages[11]


def test_invited_below_the_respondents_is_an_error(administrator: User) -> None:
    errors = errors_of(administrator, table("q1a;gemeente;4;;;;;2;3;;;;"))
    assert [(e.row, e.column) for e in errors] == [(2, "uitgenodigd")]
    assert "5 responded" in errors[0].message


def test_a_mark_needs_the_columns_up_to_ten(administrator: User) -> None:
    counts = table("q1a;gemeente;1;2;3;;", header="vraag;groep;1;2;3;4;5")
    errors = errors_of(administrator, counts)
    assert [(e.row, e.column) for e in errors] == [(2, "vraag")]
    assert "1 to 10" in errors[0].message


def test_rows_without_counts_are_skipped_but_a_file_without_counts_is_refused(
    administrator: User,
) -> None:
    errors = errors_of(
        administrator, table("q1a;gemeente;;;;;;;;;;;", "q2;medewerkers;0;0;;;;;;;;;")
    )
    assert [(e.row, e.column) for e in errors] == [(2, "1")]
    assert "no counts" in errors[0].message

    survey_round = run(administrator, table("q1a;gemeente;;;;;;;;;;;", "q1a;overig;;;;;;;;;;1;"))
    assert list(
        Result.objects.filter(round=survey_round).values_list("group", flat=True).order_by("group")
    ) == ["other", "partners"]


# --- The round's settings -------------------------------------------------------------


def test_a_name_in_use_is_refused_and_nothing_is_stored(administrator: User) -> None:
    counts = table("q1a;gemeente;;;;;;;5;;;;")
    run(administrator, counts)
    with pytest.raises(ValidationError) as raised:
        run(administrator, counts)
    assert list(raised.value.message_dict) == ["name"]
    assert Round.objects.count() == 1
    assert Result.objects.count() == 2


def test_dates_must_be_in_order_and_in_the_past(administrator: User) -> None:
    counts = table("q1a;gemeente;;;;;;;5;;;;")
    with pytest.raises(ValidationError) as raised:
        history_import.import_round(
            by=administrator,
            name="Omgekeerd",
            opens_on=datetime.date(2020, 4, 1),
            closes_on=datetime.date(2020, 4, 1),
            note="",
            table=counts,
        )
    assert list(raised.value.message_dict) == ["closes_on"]
    with pytest.raises(ValidationError):
        history_import.import_round(
            by=administrator,
            name="Toekomst",
            opens_on=datetime.date(2020, 4, 1),
            closes_on=timezone.localdate() + datetime.timedelta(days=2),
            note="",
            table=counts,
        )
    assert not Round.objects.exists()


# --- Reading files --------------------------------------------------------------------


def test_it_reads_commas_aliases_a_bom_and_blank_lines(db: None) -> None:
    content = (
        "\ufeffQuestion,Group,Invited,1,2,3,4,5\r\n"
        "\r\n"
        'q1b-betrouwbaar,gemeente,7,,"1,5",3.5,,\r\n'
        ",,,,,,,\r\n"
    ).encode()
    counts = counts_file.read_counts_file(name="export.CSV", content=content)
    assert counts.headers["vraag"] == "Question"
    assert counts.rows == [
        (
            3,
            {
                "vraag": "q1b-betrouwbaar",
                "groep": "gemeente",
                "uitgenodigd": "7",
                "1": "",
                "2": "1,5",
                "3": "3.5",
                "4": "",
                "5": "",
            },
        )
    ]


def test_it_reads_windows_1252(db: None) -> None:
    content = "vraag;groep;1;2;3;4;5\r\nq1b-betrouwbaar;Overige partners;;;5;;\r\n".encode("cp1252")
    assert counts_file.read_counts_file(name="a.csv", content=content).rows[0][1]["groep"] == (
        "Overige partners"
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.csv", b"", "empty"),
        ("a.pdf", b"%PDF-1.4", "CSV file or an Excel"),
        ("a.xlsx", b"not a zip", "not a valid Excel"),
        ("a.xls", b"\xd0\xcf\x11\xe0rest", "old Excel"),
        ("a.csv", b"vraag;groep;aantal\r\nq1a;gemeente;3\r\n", "Unknown columns: aantal"),
        ("a.csv", b"vraag;1;2;3;4;5\r\nq1a;1;;;;\r\n", "missing: groep"),
        ("a.csv", b"vraag;groep;1;2;3;4;5;6\r\nq1a;gemeente;1\r\n", "1 to 5"),
        ("a.csv", b"vraag;groep;1;2;3;4;5\r\n", "no rows"),
        ("a.csv", b"vraag;groep;groep;1;2;3;4;5\r\n", "more than once"),
    ],
)
def test_unusable_files_are_refused_with_a_reason(
    db: None, name: str, content: bytes, message: str
) -> None:
    with pytest.raises(ImportFileError) as raised:
        counts_file.read_counts_file(name=name, content=content)
    assert message in str(raised.value)


def test_it_refuses_more_than_the_row_limit(db: None) -> None:
    lines = [HEADER] + ["q1a;gemeente;;;;;;;1;;;;"] * (counts_file.MAX_ROWS + 1)
    with pytest.raises(ImportFileError) as raised:
        counts_file.read_counts_file(name="a.csv", content="\n".join(lines).encode())
    assert "2000" in str(raised.value)


def test_it_reads_an_xlsx_file(administrator: User) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["vraag", "groep", *range(1, 11)])
    sheet.append(["q1a", "gemeente", None, None, None, None, 1, 2.5, 1.5, None, None, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    counts = counts_file.read_counts_file(name="telling.xlsx", content=buffer.getvalue())
    survey_round = run(administrator, counts)
    result = Result.objects.get(round=survey_round, group="gemeente", code="q1a")
    assert result.distribution == {"5": 1, "6": 2.5, "7": 1.5}
    assert result.median == Decimal("6")


def test_the_template_lists_every_question_for_every_group(administrator: User) -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(counts_file.counts_template()))
    counts, explanation = workbook.worksheets
    rows = list(counts.iter_rows(values_only=True))
    assert rows[0][:4] == ("vraag", "groep", "vraagtekst", "uitgenodigd")
    assert [str(v) for v in rows[0][4:]] == [str(n) for n in range(1, 11)]
    keys = [(row[0], row[1]) for row in rows[1:]]
    assert len(keys) == 4 * 9 + 19  # partner groups × (q1a, 8 properties); staff 19
    assert ("q1a", "gemeente") in keys and ("q3b-betrokken", "medewerkers") in keys
    assert ("q2", "gemeente") not in keys
    assert explanation.max_row >= 5
    assert counts_file.counts_template() == counts_file.counts_template()


# --- Values that are not counts -------------------------------------------------------

NOT_A_COUNT = "“%s” is not a count: use a whole number or a half, e.g. 3 or 2,5."
THOUSANDS = "“%s” is not a count: write a thousand as 1000, without a separator, and a half as 2,5."
TOO_LARGE = "“%s” is too large: a count is at most 100000."


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("-1", NOT_A_COUNT % "-1"),
        ("1e3", NOT_A_COUNT % "1e3"),
        ("NaN", NOT_A_COUNT % "NaN"),
        ("inf", NOT_A_COUNT % "inf"),
        ("²", NOT_A_COUNT % "²"),
        ("٣", NOT_A_COUNT % "٣"),  # an Arabic-Indic three: digits are ASCII only
        ("+3", NOT_A_COUNT % "+3"),
        ("2,25", NOT_A_COUNT % "2,25"),
        ("2,5,0", NOT_A_COUNT % "2,5,0"),
        ("1.000", THOUSANDS % "1.000"),
        ("1,000", THOUSANDS % "1,000"),
        ("12.500,5", NOT_A_COUNT % "12.500,5"),
        ("1.000.000", THOUSANDS % "1.000.000"),
        ("100000,5", TOO_LARGE % "100000,5"),
        ("100001", TOO_LARGE % "100001"),
        ("99999999999999999999", TOO_LARGE % "99999999999999999999"),
        ("9" * 100, TOO_LARGE % ("9" * 30 + "…")),
    ],
)
def test_a_cell_that_is_not_a_count_is_a_row_error(
    administrator: User, cell: str, message: str
) -> None:
    errors = errors_of(administrator, table(f"q1a;gemeente;;;;;;;{cell};;;;"))
    assert errors == [RowError(2, "6", message)]


@pytest.mark.parametrize(
    ("cells", "distribution"),
    [
        (" 2,5 ;0,5;", {"6": 2.5, "7": 0.5}),  # spaces around a decimal comma
        (" 2.50 ; 0.5;", {"6": 2.5, "7": 0.5}),
        ("007;;", {"6": 7}),
        ("100000;;", {"6": 100000}),  # the largest count in a cell
    ],
)
def test_counts_in_their_usual_forms_are_read(
    administrator: User, cells: str, distribution: dict
) -> None:
    survey_round = run(administrator, table(f"q1a;gemeente;;;;;;;{cells};;"))
    result = Result.objects.get(round=survey_round, group="gemeente", code="q1a")
    assert result.distribution == distribution


def test_the_largest_counts_are_stored_exactly(administrator: User) -> None:
    full = ";".join(["100000"] * 10)
    counts = table(
        f"q1a;gemeente;1000000;{full}",
        f"q1a;waterschap;1000000;{full}",
        f"q1a;uitvoeringsdienst;1000000;{full}",
        f"q1a;overig;1000000;{full}",
        f"q2;medewerkers;1000000;{full}",
    )
    survey_round = run(administrator, counts)
    partners = Result.objects.get(round=survey_round, group="partners", code="q1a")
    assert partners.respondents == 4_000_000
    assert partners.value_sum == Decimal(4 * 100_000 * 55)
    assert partners.mean == Decimal("5.5000")
    assert survey_round.group_results.get(group="partners").invited == 4_000_000
    assert survey_round.aggregation.responses == 5_000_000


@pytest.mark.parametrize(
    ("invited", "message"),
    [
        ("²", "The number invited must be a whole number."),
        ("-3", "The number invited must be a whole number."),
        ("12.5", "The number invited must be a whole number."),
        ("1e3", "The number invited must be a whole number."),
        ("1.000", "The number invited must be a whole number."),
        ("1000001", "The number invited is more than 1000000."),
        ("99999999999999999999", "The number invited is more than 1000000."),
        ("2147483648", "The number invited is more than 1000000."),
    ],
)
def test_a_number_invited_that_is_not_a_whole_number_in_range_is_a_row_error(
    administrator: User, invited: str, message: str
) -> None:
    errors = errors_of(administrator, table(f"q1a;gemeente;{invited};;;;;;1;;;;"))
    assert errors == [RowError(2, "uitgenodigd", message)]


def test_the_largest_number_invited_is_stored(administrator: User) -> None:
    survey_round = run(administrator, table("q1a;gemeente;1000000;;;;;;1;;;;"))
    assert survey_round.group_results.get(group="gemeente").invited == 1_000_000


def test_a_number_the_database_refuses_stores_nothing(
    administrator: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The last line of defence: should a number too large slip past the checks, the
    database refuses it and the whole import is rolled back with a clear message."""
    build = aggregation.build_group_results

    def too_large(*args: object, **kwargs: object) -> list[GroupResult]:
        rows = build(*args, **kwargs)
        rows[0].invited = 2**70
        return rows

    monkeypatch.setattr(aggregation, "build_group_results", too_large)
    with pytest.raises(ValidationError) as raised:
        run(administrator, table("q1a;gemeente;;;;;;;5;;;;"))
    assert raised.value.message_dict == {
        "__all__": [
            "The counts could not be stored: a number in the file is too large. "
            "Nothing has been imported."
        ]
    }
    assert_nothing_stored()


# --- Dates out of range ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("opens_on", "closes_on", "errors"),
    [
        (
            datetime.date(1, 1, 1),
            datetime.date(1, 1, 2),
            {"opens_on": ["The opening date must be on or after 1 January 1990."]},
        ),
        (
            datetime.date(1989, 12, 31),
            datetime.date(1990, 2, 1),
            {"opens_on": ["The opening date must be on or after 1 January 1990."]},
        ),
        (
            datetime.date(2020, 1, 1),
            datetime.date(9999, 12, 31),
            {
                "closes_on": [
                    "An imported round lies in the past: the closing date cannot be after today."
                ]
            },
        ),
        (
            datetime.date(9999, 12, 30),
            datetime.date(9999, 12, 31),
            {
                "closes_on": [
                    "An imported round lies in the past: the closing date cannot be after today."
                ]
            },
        ),
    ],
)
def test_dates_out_of_range_are_refused(
    administrator: User, opens_on: datetime.date, closes_on: datetime.date, errors: dict
) -> None:
    with pytest.raises(ValidationError) as raised:
        history_import.import_round(
            by=administrator,
            name="Ver weg",
            opens_on=opens_on,
            closes_on=closes_on,
            note="",
            table=table("q1a;gemeente;;;;;;;5;;;;"),
        )
    assert raised.value.message_dict == errors
    assert_nothing_stored()


def test_the_earliest_opening_date_is_accepted(administrator: User) -> None:
    survey_round = history_import.import_round(
        by=administrator,
        name="Vroeg",
        opens_on=datetime.date(1990, 1, 1),
        closes_on=datetime.date(1990, 2, 1),
        note="",
        table=table("q1a;gemeente;;;;;;;5;;;;"),
    )
    assert timezone.localtime(survey_round.opens_at).date() == datetime.date(1990, 1, 1)


# --- Cells of an XLSX file ------------------------------------------------------------

XLSX_HEADER = ["vraag", "groep", "uitgenodigd", *range(1, 11)]


def xlsx(*rows: list[object], cached: dict[str, str] | None = None) -> bytes:
    """An XLSX file as openpyxl writes it: formulas without a computed value. `cached`
    gives cells (e.g. "I2") the value Excel would have stored with their formula."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(XLSX_HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    content = buffer.getvalue()
    for cell, value in (cached or {}).items():
        content = rewrite_sheet(
            content,
            f'<c r="{cell}"><f>',
            lambda xml, value=value: xml.replace("<v />", f"<v>{value}</v>", 1),
        )
    return content


def rewrite_sheet(content: bytes, at: str, change: Callable[[str], str]) -> bytes:
    """`content` with the sheet's XML from `at` on changed (as Excel would write it)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    xml = source.read("xl/worksheets/sheet1.xml").decode()
    assert at in xml
    start = xml.index(at)
    xml = xml[:start] + change(xml[start:])
    written = io.BytesIO()
    with zipfile.ZipFile(written, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            target.writestr(item, xml if item.filename == "xl/worksheets/sheet1.xml" else data)
    return written.getvalue()


def xlsx_table(content: bytes):
    return counts_file.read_counts_file(name="telling.xlsx", content=content)


FORMULA = "Formula without a computed value: open and save the file in Excel, or paste the values."
DATE = (
    "The cell holds a date, not a number: format the cell as a number and fill in the count again."
)
BOOLEAN = "The cell holds TRUE or FALSE, not a number."


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        ({8: "=2+1"}, "6", FORMULA),
        ({8: "=SUM(A1:B1)"}, "6", FORMULA),
        ({2: "=10+2", 8: 3}, "uitgenodigd", FORMULA),
        ({8: datetime.date(2020, 1, 3)}, "6", DATE),
        ({8: datetime.datetime(2020, 1, 3, 12, 0)}, "6", DATE),  # noqa: DTZ001
        ({8: datetime.time(12, 0)}, "6", DATE),
        ({2: datetime.date(2020, 1, 3), 8: 3}, "uitgenodigd", DATE),
        ({8: True}, "6", BOOLEAN),
        ({2: False, 8: 3}, "uitgenodigd", BOOLEAN),
        ({8: -1}, "6", NOT_A_COUNT % "-1"),
        ({8: 2.25}, "6", NOT_A_COUNT % "2.25"),
        ({8: 2.4}, "6", NOT_A_COUNT % "2.4"),
        ({8: 1e20}, "6", TOO_LARGE % "100000000000000000000"),
        ({8: 1e-7}, "6", NOT_A_COUNT % "1e-07"),
        ({8: "1.000"}, "6", THOUSANDS % "1.000"),
        ({2: 12.5, 8: 3}, "uitgenodigd", "The number invited must be a whole number."),
        ({2: 2**31, 8: 3}, "uitgenodigd", "The number invited is more than 1000000."),
    ],
)
def test_an_xlsx_cell_without_a_usable_number_is_a_row_error(
    administrator: User, cells: dict[int, object], column: str, message: str
) -> None:
    row: list[object] = ["q1a", "gemeente", *[None] * 11]
    for position, value in cells.items():
        row[position] = value
    errors = errors_of(administrator, xlsx_table(xlsx(row)))
    assert errors == [RowError(2, column, message)]


def test_a_row_of_formulas_without_values_is_not_skipped(administrator: User) -> None:
    content = xlsx(
        ["q1a", "gemeente", None, None, None, None, None, None, 3],
        ["=A2", "=B2", None, None, None, None, None, None, "=I2"],
    )
    errors = errors_of(administrator, xlsx_table(content))
    assert errors == [
        RowError(3, "vraag", FORMULA),
        RowError(3, "groep", FORMULA),
        RowError(3, "6", FORMULA),
    ]


def test_formulas_with_a_computed_value_are_read_as_their_value(administrator: User) -> None:
    content = xlsx(
        ["q1a", "gemeente", "=10+2", None, None, None, None, "=1+1", "=2+1"],
        cached={"C2": "12", "H2": "2", "I2": "3"},
    )
    survey_round = run(administrator, xlsx_table(content))
    result = Result.objects.get(round=survey_round, group="gemeente", code="q1a")
    assert result.distribution == {"5": 2, "6": 3}
    assert survey_round.group_results.get(group="gemeente").invited == 12


def test_a_formula_that_computes_to_empty_text_is_an_empty_cell(administrator: User) -> None:
    content = xlsx(["q1a", "gemeente", None, None, None, None, None, 2, '=IF(A2="x",1,"")'])
    # Excel stores an empty text as the result: a cell of type "str" with an empty value.
    content = rewrite_sheet(
        content, '<c r="I2">', lambda xml: xml.replace('<c r="I2">', '<c r="I2" t="str">', 1)
    )
    survey_round = run(administrator, xlsx_table(content))
    result = Result.objects.get(round=survey_round, group="gemeente", code="q1a")
    assert result.distribution == {"5": 2}


def test_a_formula_in_the_question_text_is_ignored(administrator: User) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["vraag", "groep", "vraagtekst", 1, 2, 3, 4, 5])
    sheet.append(["q1b-betrouwbaar", "gemeente", "=A2", None, 2])
    buffer = io.BytesIO()
    workbook.save(buffer)
    survey_round = run(administrator, xlsx_table(buffer.getvalue()))
    assert Result.objects.get(round=survey_round, group="gemeente").distribution == {"2": 2}
