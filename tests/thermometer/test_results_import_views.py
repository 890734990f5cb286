"""Importing an earlier round through the screens (views/imports.py)."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

import openpyxl
import pytest

from portal.lib.tabular.writing import CONTENT_TYPES
from thermometer.models import Aggregation, GroupResult, Result, Round
from thermometer.services import aggregation

IMPORT = reverse("thermometer:results_import")
TEMPLATE = reverse("thermometer:results_import_template")
EN = {"Accept-Language": "en"}


def upload(content: bytes, name: str = "telling.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def form_data(file: SimpleUploadedFile, **overrides: object) -> dict:
    return {
        "name": "Nulmeting 2020",
        "opens_on": "2020-03-02",
        "closes_on": "2020-04-01",
        "note": "Op papier afgenomen en met de hand geteld.",
        "file": file,
        **overrides,
    }


GOOD = b"vraag;groep;1;2;3;4;5\nq1b-betrouwbaar;gemeente;0;1,5;2,5;1;\n"


def test_the_page_explains_the_format_and_links_the_template(
    admin_client_portal: Client,
) -> None:
    response = admin_client_portal.get(IMPORT, headers=EN)
    assert response.status_code == 200
    body = response.content.decode()
    assert TEMPLATE in body
    assert 'enctype="multipart/form-data"' in body
    assert "<code>uitgenodigd</code>" in body


def test_an_import_creates_the_round_and_shows_its_results(admin_client_portal: Client) -> None:
    response = admin_client_portal.post(IMPORT, form_data(upload(GOOD)), headers=EN)
    survey_round = Round.objects.get(name="Nulmeting 2020")
    assert response.status_code == 302
    assert response["Location"] == reverse("thermometer:results_detail", args=[survey_round.pk])
    assert survey_round.status == Round.Status.CLOSED
    assert survey_round.aggregation.note == "Op papier afgenomen en met de hand geteld."
    result = Result.objects.get(round=survey_round, group="gemeente")
    assert result.distribution == {"2": 1.5, "3": 2.5, "4": 1}


def test_wrong_rows_are_listed_and_nothing_is_imported(admin_client_portal: Client) -> None:
    content = (
        b"vraag;groep;1;2;3;4;5\n"
        b"q1b-betrouwbaar;gemeente;0;1,5;2,5;1;\n"
        b"q1b-onbekend;gemeente;1;;;;\n"
        b"q1b-deskundig;gemeente;1;0,5;;;\n"
    )
    response = admin_client_portal.post(IMPORT, form_data(upload(content)), headers=EN)
    assert response.status_code == 400  # nothing imported: a bad request
    body = response.content.decode()
    assert "Nothing has been imported" in body
    assert "2 rows have a problem" in body
    assert '<tr class="utrecht-table__row" data-row="3">' in body
    assert '<tr class="utrecht-table__row" data-row="4">' in body
    assert "q1b-onbekend" in body
    assert not Round.objects.exists()


def test_an_unreadable_file_is_a_form_error(admin_client_portal: Client) -> None:
    response = admin_client_portal.post(
        IMPORT, form_data(upload(b"%PDF-1.4", name="telling.pdf")), headers=EN
    )
    assert response.status_code == 400  # nothing imported: a bad request
    assert response.context["form"].errors == {
        "file": ["Upload a CSV file or an Excel (.xlsx) file."]
    }
    assert not Round.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": ""}, "name", "This field is required."),
        (
            {"closes_on": "2020-03-01"},
            "closes_on",
            "The closing date must be after the opening date.",
        ),
        ({"opens_on": "gisteren"}, "opens_on", "Enter a valid date."),
        (
            {"opens_on": "0001-01-01", "closes_on": "0001-02-01"},
            "opens_on",
            "The opening date must be on or after 1 January 1990.",
        ),
        (
            {"opens_on": "1989-12-31"},
            "opens_on",
            "The opening date must be on or after 1 January 1990.",
        ),
        (
            {"closes_on": "9999-12-31"},
            "closes_on",
            "An imported round lies in the past: the closing date cannot be after today.",
        ),
        (
            {"opens_on": "9999-12-30", "closes_on": "9999-12-31"},
            "closes_on",
            "An imported round lies in the past: the closing date cannot be after today.",
        ),
        ({"opens_on": "10000-01-01"}, "opens_on", "Enter a valid date."),
    ],
)
def test_the_round_settings_are_checked(
    admin_client_portal: Client, overrides: dict, field: str, message: str
) -> None:
    response = admin_client_portal.post(IMPORT, form_data(upload(GOOD), **overrides), headers=EN)
    assert response.status_code == 400  # nothing imported: a bad request
    assert response.context["form"].errors[field] == [message]
    assert not Round.objects.exists()


def test_a_name_in_use_is_refused(admin_client_portal: Client) -> None:
    admin_client_portal.post(IMPORT, form_data(upload(GOOD)))
    response = admin_client_portal.post(IMPORT, form_data(upload(GOOD)), headers=EN)
    assert response.status_code == 400  # nothing imported: a bad request
    assert response.context["form"].errors["name"] == ["A round with this name already exists."]
    assert Round.objects.count() == 1


def test_the_template_downloads_and_imports_once_filled_in(admin_client_portal: Client) -> None:
    response = admin_client_portal.get(TEMPLATE, headers=EN)
    assert response.status_code == 200
    assert response["Content-Type"] == CONTENT_TYPES["xlsx"]
    assert "attachment" in response["Content-Disposition"]
    assert admin_client_portal.get(TEMPLATE, headers=EN).content == response.content

    # As downloaded it holds no counts: refused, with the reason.
    refused = admin_client_portal.post(
        IMPORT, form_data(upload(response.content, name="sjabloon.xlsx")), headers=EN
    )
    assert "The file holds no counts" in refused.content.decode()
    assert not Round.objects.exists()

    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    for row in sheet.iter_rows(min_row=2):
        if (row[0].value, row[1].value) == ("q1a", "gemeente"):
            row[3].value = 12  # uitgenodigd
            row[4 + 6].value = 3  # three gave a 7
            row[4 + 7].value = 2.5
            row[4 + 8].value = 1.5
    filled = io.BytesIO()
    workbook.save(filled)
    response = admin_client_portal.post(
        IMPORT, form_data(upload(filled.getvalue(), name="sjabloon.xlsx")), headers=EN
    )
    assert response.status_code == 302
    survey_round = Round.objects.get()
    assert list(
        Result.objects.filter(round=survey_round).values_list(
            "group", "respondents", "distribution"
        )
    ) == [
        ("gemeente", 7, {"7": 3, "8": 2.5, "9": 1.5}),
        ("partners", 7, {"7": 3, "8": 2.5, "9": 1.5}),
    ]
    assert survey_round.group_results.get(group="gemeente").invited == 12


def test_partners_and_staff_may_not_import(partner_client: Client, staff_client: Client) -> None:
    for client in (partner_client, staff_client):
        assert client.get(IMPORT).status_code == 403
        assert client.post(IMPORT, form_data(upload(GOOD))).status_code == 403
        assert client.get(TEMPLATE).status_code == 403
    assert not Round.objects.exists()


def assert_nothing_stored() -> None:
    assert not Round.objects.exists()
    assert not Result.objects.exists()
    assert not GroupResult.objects.exists()
    assert not Aggregation.objects.exists()


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        ("²;1;;;;", "uitgenodigd", "The number invited must be a whole number."),
        (
            "99999999999999999999;1;;;;",
            "uitgenodigd",
            "The number invited is more than 1000000.",
        ),
        (
            ";99999999999999999999;;;;",
            "1",
            "“99999999999999999999” is too large: a count is at most 100000.",
        ),
        (
            ";1.000;;;;",
            "1",
            "“1.000” is not a count: write a thousand as 1000, without a separator, "
            "and a half as 2,5.",
        ),
        (";NaN;;;;", "1", "“NaN” is not a count: use a whole number or a half, e.g. 3 or 2,5."),
    ],
)
def test_bad_numbers_are_row_errors_not_server_errors(
    admin_client_portal: Client, cells: str, column: str, message: str
) -> None:
    content = f"vraag;groep;uitgenodigd;1;2;3;4;5\nq1b-betrouwbaar;gemeente;{cells}\n".encode()
    response = admin_client_portal.post(IMPORT, form_data(upload(content)), headers=EN)
    assert response.status_code == 400  # nothing imported: a bad request
    assert [(e.row, e.column, e.message) for e in response.context["report"]] == [
        (2, column, message)
    ]
    assert "1 row has a problem" in response.content.decode()
    assert_nothing_stored()


def test_a_formula_without_a_value_is_a_row_error(admin_client_portal: Client) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.append(["vraag", "groep", 1, 2, 3, 4, 5])
    workbook.active.append(["q1b-betrouwbaar", "gemeente", 1, "=1+1"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = admin_client_portal.post(
        IMPORT, form_data(upload(buffer.getvalue(), name="telling.xlsx")), headers=EN
    )
    assert response.status_code == 400  # nothing imported: a bad request
    assert [(e.row, e.column, e.message) for e in response.context["report"]] == [
        (
            2,
            "2",
            "Formula without a computed value: open and save the file in Excel, or paste "
            "the values.",
        )
    ]
    assert_nothing_stored()


def test_a_number_the_database_refuses_is_a_form_error(
    admin_client_portal: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    build = aggregation.build_group_results

    def too_large(*args: object, **kwargs: object) -> list:
        rows = build(*args, **kwargs)
        rows[0].respondents = 2**70
        return rows

    monkeypatch.setattr(aggregation, "build_group_results", too_large)
    response = admin_client_portal.post(IMPORT, form_data(upload(GOOD)), headers=EN)
    assert response.status_code == 400  # nothing imported: a bad request
    message = (
        "The counts could not be stored: a number in the file is too large. "
        "Nothing has been imported."
    )
    assert response.context["form"].non_field_errors() == [message]
    assert message in response.content.decode()
    assert_nothing_stored()
