"""Importing an earlier round as aggregated counts (services/history_import.py)."""

import datetime
import io
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

import openpyxl
import pytest

from portal.models import User
from thermometer.models import Aggregation, GroupResult, Result, Round
from thermometer.services import history_import
from thermometer.services.history_import import CountsInvalid, ImportFileError, RowError
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
    return history_import.read_counts_file(name=name, content=content)


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
    with pytest.raises(CountsInvalid) as raised:
        run(user, counts)
    assert not Round.objects.exists(), "nothing is stored when a row is wrong"
    assert not Result.objects.exists()
    return raised.value.errors


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
    counts = history_import.read_counts_file(name=SAMPLE.name, content=SAMPLE.read_bytes())
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
    counts = history_import.read_counts_file(name="export.CSV", content=content)
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
    assert history_import.read_counts_file(name="a.csv", content=content).rows[0][1]["groep"] == (
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
        history_import.read_counts_file(name=name, content=content)
    assert message in str(raised.value)


def test_it_refuses_more_than_the_row_limit(db: None) -> None:
    lines = [HEADER] + ["q1a;gemeente;;;;;;;1;;;;"] * (history_import.MAX_ROWS + 1)
    with pytest.raises(ImportFileError) as raised:
        history_import.read_counts_file(name="a.csv", content="\n".join(lines).encode())
    assert "2000" in str(raised.value)


def test_it_reads_an_xlsx_file(administrator: User) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["vraag", "groep", *range(1, 11)])
    sheet.append(["q1a", "gemeente", None, None, None, None, 1, 2.5, 1.5, None, None, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    counts = history_import.read_counts_file(name="telling.xlsx", content=buffer.getvalue())
    survey_round = run(administrator, counts)
    result = Result.objects.get(round=survey_round, group="gemeente", code="q1a")
    assert result.distribution == {"5": 1, "6": 2.5, "7": 1.5}
    assert result.median == Decimal("6")


def test_the_template_lists_every_question_for_every_group(administrator: User) -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(history_import.counts_template()))
    counts, explanation = workbook.worksheets
    rows = list(counts.iter_rows(values_only=True))
    assert rows[0][:4] == ("vraag", "groep", "vraagtekst", "uitgenodigd")
    assert [str(v) for v in rows[0][4:]] == [str(n) for n in range(1, 11)]
    keys = [(row[0], row[1]) for row in rows[1:]]
    assert len(keys) == 4 * 9 + 19  # partner groups × (q1a, 8 properties); staff 19
    assert ("q1a", "gemeente") in keys and ("q3b-betrokken", "medewerkers") in keys
    assert ("q2", "gemeente") not in keys
    assert explanation.max_row >= 5
    assert history_import.counts_template() == history_import.counts_template()
