"""Exporting a round's results (views/results_export.py, services/results_export.py)."""

import codecs
import datetime
import io

from django.test import Client
from django.urls import reverse
from django.utils import translation

import openpyxl
import pytest

from portal.lib.models import User
from tests.factories import ImprovementActionFactory, RoundFactory, add_response
from thermometer.models import Round
from thermometer.services import aggregation, counts_file, history_import, results_export

TOO_FEW = "Too few responses"
Q1A = "Welk rapportcijfer geeft u de provincie Utrecht als samenwerkingspartner?"
EN = {"Accept-Language": "en"}


@pytest.fixture(autouse=True)
def english() -> None:
    """Files in the source language (the portal's default is Dutch)."""
    with translation.override("en"):
        yield


@pytest.fixture
def closed_round(administrator: User) -> Round:
    """Municipalities (6) and staff (5) are shown; water boards (3) are too few, and
    executive agencies (5) are hidden too, or all partners minus municipalities would
    give the water boards away."""
    survey_round = RoundFactory(name="Ronde 2026", status="closed", created_by=administrator)
    for mark, scale in zip([6, 7, 7, 8, 8, 9], [3, 3, 4, 4, 4, 5], strict=True):
        add_response(
            survey_round, group="gemeente", answers={"q1a": mark, "q1b-betrouwbaar": scale}
        )
    for mark, scale in zip([5, 6, 6], [2, 3, 3], strict=True):
        add_response(
            survey_round, group="waterschap", answers={"q1a": mark, "q1b-betrouwbaar": scale}
        )
    for _ in range(5):
        add_response(
            survey_round, group="uitvoeringsdienst", answers={"q1a": 7, "q1b-betrouwbaar": 4}
        )
    for mark, expected in zip([7, 7, 8, 8, 8], [3, 3, 3, 4, 4], strict=True):
        add_response(
            survey_round,
            group="staff",
            answers={
                "q1a": mark,
                "q2": 8,
                "q3a": 6,
                "q1b-betrouwbaar": 4,
                "q3b-betrouwbaar": expected,
            },
        )
    aggregation.aggregate_round(survey_round)
    return survey_round


def export(survey_round: Round, *views: str, file_format: str = "xlsx") -> bytes:
    return results_export.export_results(
        survey_round, file_format=file_format, views=list(views)
    ).content


def sheets(content: bytes) -> dict[str, list[list]]:
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    return {
        sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)]
        for sheet in workbook.worksheets
    }


def csv_lines(content: bytes) -> list[str]:
    assert content.startswith(codecs.BOM_UTF8)
    return content[len(codecs.BOM_UTF8) :].decode("utf-8").split("\r\n")


# --- The workbook ---------------------------------------------------------------------


def test_the_workbook_has_a_sheet_per_view(closed_round: Round) -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(export(closed_round, *results_export.VIEWS)))
    assert workbook.sheetnames == [
        "Report marks",
        "Properties",
        "Distributions",
        "Response",
        "Improvement actions",
        "Trends",
    ]
    marks = workbook["Report marks"]
    assert marks.freeze_panes == "A2"
    assert all(cell.font.bold for cell in marks[1])
    assert marks.column_dimensions["A"].width > 20
    assert marks["D2"].number_format == "0.00"


def test_the_marks_sheet_hides_small_groups(closed_round: Round) -> None:
    assert sheets(export(closed_round, "marks"))["Report marks"] == [
        ["Perspective", "Group", "Respondents", "Mean", "Median"],
        ["Partners about the province", "All partners", 14, 6.93, 7],
        ["Partners about the province", "Municipalities", 6, 7.5, 7.5],
        ["Partners about the province", "Water boards", TOO_FEW, None, None],
        ["Partners about the province", "Executive agencies", TOO_FEW, None, None],
        ["Staff about the province", "Province staff", 5, 7.6, 8],
        ["Staff's expectation of partners", "Province staff", 5, 6, 6],
        ["Staff about themselves", "Province staff", 5, 8, 8],
    ]


def test_the_properties_sheet_puts_the_perspectives_side_by_side(closed_round: Round) -> None:
    assert sheets(export(closed_round, "properties"))["Properties"] == [
        [
            "Property",
            "Staff about the province",
            "Staff's expectation of partners",
            "Partners about the province: All partners",
            "Partners about the province: Municipalities",
            "Partners about the province: Water boards",
            "Partners about the province: Executive agencies",
        ],
        ["Reliable", 4, 3.4, 3.64, 3.83, TOO_FEW, TOO_FEW],
    ]


def test_the_distributions_sheet_counts_per_answer_value(closed_round: Round) -> None:
    rows = sheets(export(closed_round, "distributions"))["Distributions"]
    assert rows[0] == [
        "Group",
        "Question code",
        "Question",
        "Answer",
        "Answer label",
        "Count",
        "Percentage",
    ]
    municipalities = [row for row in rows if row[0] == "Municipalities"]
    assert [row[3:] for row in municipalities if row[1] == "q1b-betrouwbaar"] == [
        [1, "poor", 0, 0],
        [2, "mediocre", 0, 0],
        [3, "sufficient", 2, 33.3],
        [4, "good", 3, 50],
        [5, "excellent", 1, 16.7],
    ]
    assert municipalities[8] == ["Municipalities", "q1a", Q1A, 9, None, 1, 16.7]
    water_boards = [row for row in rows if row[0] == "Water boards"]
    assert water_boards == [
        ["Water boards", "q1a", Q1A, TOO_FEW, None, None, None],
        ["Water boards", "q1b-betrouwbaar", "Betrouwbaar", TOO_FEW, None, None, None],
    ]
    assert {row[0] for row in rows[1:]} == {
        "All partners",
        "Municipalities",
        "Water boards",
        "Executive agencies",
        "Province staff",
    }


def test_the_response_sheet_shows_every_group(closed_round: Round) -> None:
    assert sheets(export(closed_round, "response"))["Response"] == [
        ["Group", "Invited", "Responded", "Response rate (%)"],
        ["All partners", None, 14, None],
        ["Municipalities", None, 6, None],
        # 3 water boards are too few, and the agencies (5) are withheld with them so
        # that all partners minus the municipalities does not give the 3 back.
        ["Water boards", None, "Too few responses", None],
        ["Executive agencies", None, "Too few responses", None],
        ["Province staff", None, 5, None],
    ]


def test_the_actions_sheet_keeps_formulas_as_text(closed_round: Round) -> None:
    ImprovementActionFactory(
        round=closed_round,
        title='=HYPERLINK("http://example.com")',
        owner="Team Samenwerking",
        status="in_progress",
        due_date=datetime.date(2027, 3, 31),
        properties=["betrouwbaar", "transparant"],
    )
    workbook = openpyxl.load_workbook(io.BytesIO(export(closed_round, "actions")))
    sheet = workbook["Improvement actions"]
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        ["Title", "Action owner", "Status", "Due date", "Properties addressed"],
        [
            '=HYPERLINK("http://example.com")',
            "Team Samenwerking",
            "In progress",
            datetime.datetime(2027, 3, 31, tzinfo=datetime.UTC).replace(tzinfo=None),
            "Reliable, Transparent",
        ],
    ]
    assert sheet["A2"].data_type == "s", "text, never a formula"
    assert sheet["D2"].number_format == "yyyy-mm-dd"


def test_the_trends_sheet_follows_the_published_rounds(
    closed_round: Round, administrator: User
) -> None:
    baseline = history_import.import_round(
        by=administrator,
        name="Nulmeting 2020",
        opens_on=datetime.date(2020, 3, 1),
        closes_on=datetime.date(2020, 4, 1),
        note="",
        table=counts_file.read_counts_file(
            name="nulmeting.csv",
            content=b"vraag;groep;1;2;3;4;5;6;7;8;9;10\nq1a;gemeente;;;;;1;3,5;0,5;;;\n",
        ),
    )
    Round.objects.filter(pk__in=[baseline.pk, closed_round.pk]).update(status="published")
    rows = sheets(export(closed_round, "trends"))["Trends"]
    assert rows == [
        ["Question code", "Question", "Round", "All partners", "Province staff"],
        ["q1a", "Report mark for the province", "Nulmeting 2020", 5.9, None],
        ["q1a", "Report mark for the province", "Ronde 2026", 6.93, 7.6],
        ["q2", "Report mark for oneself", "Ronde 2026", None, 8],
        [
            "q3a",
            "Report mark expected from partners",
            "Ronde 2026",
            None,
            6,
        ],
        ["q1b-betrouwbaar", "Reliable", "Ronde 2026", 3.64, 4],
        ["q3b-betrouwbaar", "Reliable", "Ronde 2026", None, 3.4],
    ]


def test_the_same_data_gives_the_same_bytes(closed_round: Round) -> None:
    views = list(results_export.VIEWS)
    assert export(closed_round, *views) == export(closed_round, *views)


# --- CSV --------------------------------------------------------------------------------


def test_a_csv_file_has_semicolons_decimal_commas_and_a_bom(closed_round: Round) -> None:
    assert csv_lines(export(closed_round, "marks", file_format="csv")) == [
        "Perspective;Group;Respondents;Mean;Median",
        "Partners about the province;All partners;14;6,93;7",
        "Partners about the province;Municipalities;6;7,50;7,5",
        f"Partners about the province;Water boards;{TOO_FEW};;",
        f"Partners about the province;Executive agencies;{TOO_FEW};;",
        "Staff about the province;Province staff;5;7,60;8",
        "Staff's expectation of partners;Province staff;5;6,00;6",
        "Staff about themselves;Province staff;5;8,00;8",
        "",
    ]


def test_a_csv_file_guards_against_formulas(closed_round: Round) -> None:
    ImprovementActionFactory(
        round=closed_round,
        title="=1+1",
        owner="@team",
        due_date=datetime.date(2027, 3, 31),
        properties=[],
    )
    assert csv_lines(export(closed_round, "actions", file_format="csv")) == [
        "Title;Action owner;Status;Due date;Properties addressed",
        "'=1+1;'@team;Planned;2027-03-31;",
        "",
    ]


# --- The view ---------------------------------------------------------------------------


def url(survey_round: Round, **query: str) -> str:
    path = reverse("thermometer:results_export", args=[survey_round.pk])
    return path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_staff_download_the_workbook_of_a_closed_round(
    staff_client: Client, closed_round: Round
) -> None:
    response = staff_client.get(url(closed_round), headers=EN)
    assert response.status_code == 200
    assert response["Content-Type"] == results_export.CONTENT_TYPES["xlsx"]
    assert response["Content-Disposition"] == (
        'attachment; filename="thermometer-ronde-2026-all.xlsx"'
    )
    assert len(sheets(response.content)) == 6


def test_a_csv_download_holds_one_view(staff_client: Client, closed_round: Round) -> None:
    response = staff_client.get(url(closed_round, formaat="csv", weergave="response"), headers=EN)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="thermometer-ronde-2026-response.csv"'
    )
    assert csv_lines(response.content)[1] == "All partners;;14;"


def test_an_xlsx_download_may_hold_one_view(staff_client: Client, closed_round: Round) -> None:
    response = staff_client.get(url(closed_round, weergave="marks"), headers=EN)
    assert response["Content-Disposition"].endswith('-marks.xlsx"')
    assert list(sheets(response.content)) == ["Report marks"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"formaat": "pdf"}, "Choose the file format xlsx or csv."),
        ({"formaat": "csv"}, "A CSV file holds one part of the results"),
        ({"formaat": "csv", "weergave": "everything"}, "This part of the results does not exist."),
        ({"weergave": "answers"}, "This part of the results does not exist."),
    ],
)
def test_a_wrong_request_gets_a_400_with_the_reason(
    staff_client: Client, closed_round: Round, query: dict, message: str
) -> None:
    response = staff_client.get(url(closed_round, **query), headers=EN)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "?formaat=csv&amp;weergave=marks" in response.content.decode()


def test_partners_do_not_find_an_unpublished_round(
    partner_client: Client, closed_round: Round
) -> None:
    assert partner_client.get(url(closed_round)).status_code == 404
    closed_round.status = "published"
    closed_round.save()
    response = partner_client.get(url(closed_round, formaat="csv", weergave="marks"), headers=EN)
    assert response.status_code == 200
    assert f"Water boards;{TOO_FEW};;" in response.content.decode()


def test_an_outsider_may_not_export(outsider_client: Client, closed_round: Round) -> None:
    assert outsider_client.get(url(closed_round)).status_code == 403


def test_a_round_without_results_gives_headers_only(
    partner_client: Client, administrator: User
) -> None:
    published = RoundFactory(status="published", created_by=administrator)
    response = partner_client.get(url(published), headers=EN)
    assert response.status_code == 200
    found = sheets(response.content)
    assert found["Report marks"] == [["Perspective", "Group", "Respondents", "Mean", "Median"]]
    assert found["Properties"] == [
        [
            "Property",
            "Staff about the province",
            "Staff's expectation of partners",
            "Partners about the province: All partners",
        ]
    ]
