"""trends: per question a group's mean over the published rounds, oldest first (#5)."""

import datetime
import re

from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest

from tests.factories import RoundFactory, add_response
from thermometer.models import Result
from thermometer.services.aggregation import aggregate_round

pytestmark = pytest.mark.django_db
EN = {"accept-language": "en"}
URL = reverse("thermometer:trends")


def published_round(name: str, *, years_ago: int, marks: dict[str, list[int]]):
    """A published round with results: q1a marks per respondent group."""
    closes = timezone.now() - datetime.timedelta(days=365 * years_ago + 1)
    survey_round = RoundFactory(
        name=name,
        status="published",
        opens_at=closes - datetime.timedelta(days=28),
        closes_at=closes,
    )
    for group, values in marks.items():
        for value in values:
            add_response(survey_round, group=group, answers={"q1a": value, "q1b-betrouwbaar": 3})
    aggregate_round(survey_round)
    return survey_round


@pytest.fixture
def three_rounds():
    first = published_round("Thermometer 2024", years_ago=2, marks={"gemeente": [7] * 5})
    second = published_round(
        "Thermometer 2025", years_ago=1, marks={"gemeente": [7, 7, 8, 8, 8], "staff": [6] * 5}
    )
    # One water board: hidden; with the four agencies (hidden too) the hidden partners
    # are five, so the municipalities stay shown next to "all partners".
    third = published_round(
        "Thermometer 2026",
        years_ago=0,
        marks={"gemeente": [7, 7, 7, 7, 6], "waterschap": [9], "uitvoeringsdienst": [5] * 4},
    )
    return first, second, third


def trend_row(body: str, code: str) -> str:
    match = re.search(rf'<tr[^>]*data-code="{code}"[^>]*>(.*?)</tr>', body, re.S)
    assert match, f"no row {code}"
    return match.group(1)


def cells(row_html: str) -> list[str]:
    return re.findall(r'<td[^>]*data-round="\d+"[^>]*>(.*?)</td>', row_html, re.S)


def test_the_columns_are_the_rounds_oldest_first(staff_client: Client, three_rounds) -> None:
    body = staff_client.get(URL, headers=EN).content.decode()
    positions = [body.index(r.name) for r in three_rounds]
    assert positions == sorted(positions)
    closed = RoundFactory(name="Thermometer 2027", status="closed")
    assert closed.name not in staff_client.get(URL).content.decode()  # published only


def test_each_cell_gives_the_mean_the_respondents_and_the_change(
    staff_client: Client, three_rounds
) -> None:
    body = staff_client.get(URL + "?groep=gemeente").content.decode()
    first, second, third = cells(trend_row(body, "q1a"))
    assert "7,0" in first and "(5)" in first and "data-delta" not in first
    assert (
        "7,6" in second and 'data-delta="up"' in second and "0,6 hoger" in second
    )  # Dutch, the default
    assert "6,8" in third and 'data-delta="down"' in third and "0,8 lager" in third
    assert "▲" in second and "▼" in third
    assert trend_row(body, "q1b-betrouwbaar")  # the properties have rows too


def test_a_hidden_value_has_no_number_and_no_change(staff_client: Client, three_rounds) -> None:
    body = staff_client.get(URL + "?groep=waterschap", headers=EN).content.decode()
    first, second, third = cells(trend_row(body, "q1a"))
    assert "not asked" in first and "not asked" in second
    assert "Too few responses" in third
    assert "9.0" not in third and "data-delta" not in third and "data-mean" not in third


def test_all_partners_is_the_default_and_staff_is_a_group(
    staff_client: Client, three_rounds
) -> None:
    response = staff_client.get(URL, headers=EN)
    assert response.context["report"].group == "partners"
    body = response.content.decode()
    switch = re.search(r'<nav class="results-groups[^>]*>(.*?)</nav>', body, re.S).group(1)
    assert re.findall(r'data-group="([^"]+)"', switch) == [
        "partners",
        "gemeente",
        "waterschap",
        "uitvoeringsdienst",
        "other",
        "staff",
    ]
    assert 'data-group="partners" aria-current="true"' in switch
    staff = staff_client.get(URL + "?groep=staff").content.decode()
    _, second, _ = cells(trend_row(staff, "q1a"))
    assert "6,0" in second


def test_an_unknown_group_falls_back_to_all_partners(staff_client: Client, three_rounds) -> None:
    response = staff_client.get(URL + "?groep=<script>")
    assert response.status_code == 200
    assert response.context["report"].group == "partners"


def test_a_changed_question_is_marked_with_a_footnote(staff_client: Client, three_rounds) -> None:
    Result.objects.filter(round=three_rounds[2], code="q1a").update(
        text="How do you rate the province now?"
    )
    body = staff_client.get(URL + "?groep=gemeente", headers=EN).content.decode()
    *_, third = cells(trend_row(body, "q1a"))
    assert 'href="#changed-note"' in third
    assert 'id="changed-note"' in body
    assert "question changed since the previous round" in body
    assert 'href="#changed-note"' not in trend_row(body, "q1b-betrouwbaar")


def test_no_footnote_when_nothing_changed(staff_client: Client, three_rounds) -> None:
    body = staff_client.get(URL, headers=EN).content.decode()
    assert 'id="changed-note"' not in body


def test_each_row_has_a_decorative_sparkline(staff_client: Client, three_rounds) -> None:
    row_html = trend_row(staff_client.get(URL).content.decode(), "q1a")
    assert '<svg class="results-sparkline"' in row_html and 'aria-hidden="true"' in row_html
    assert row_html.count("<circle") == 3


def test_it_says_when_nothing_is_published(partner_client: Client) -> None:
    RoundFactory(status="closed")
    body = partner_client.get(URL, headers=EN).content.decode()
    assert "data-empty" in body and "No results have been published yet." in body
    assert 'data-table="trends"' not in body


def test_the_trends_are_closed_to_outsiders(outsider_client: Client) -> None:
    assert outsider_client.get(URL).status_code == 403


@pytest.mark.parametrize("count", [1, 4])
def test_the_query_count_does_not_grow_with_the_rounds(
    staff_client: Client, count: int, django_assert_max_num_queries
) -> None:
    for index in range(count):
        published_round(f"Ronde {index}", years_ago=index, marks={"gemeente": [7] * 5})
    staff_client.get(URL)
    # Session, user, permissions (2), the rounds, their results, the user's roles.
    with django_assert_max_num_queries(7):
        assert staff_client.get(URL).status_code == 200
