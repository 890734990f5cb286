"""Province staff read a round's results in a real browser (#5), keyboard only, axe on
every page: the results list, the latest round, another partner group, and the table
behind a chart opened with the keyboard.

Links are found by their href and data attributes; numbers as the Dutch locale writes
them. The UI text itself is not asserted, as it is being translated.
"""

import datetime
import re
from collections.abc import Callable

from django.urls import reverse
from django.utils import timezone

import pytest
from playwright.sync_api import Page, expect

from portal.lib.models import User
from portal.lib.roles import Role
from tests.factories import RoundFactory, UserFactory, add_response
from thermometer.models import Round
from thermometer.services.aggregation import aggregate_round

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PROPERTIES = [
    "betrouwbaar",
    "toegankelijk",
    "deskundig",
    "flexibel",
    "ruimte-voor-inbreng",
    "doelgericht",
    "transparant",
    "betrokken",
]


def round_with_results(name: str, *, status: str, closes_at: datetime.datetime) -> Round:
    """A round with results: municipalities (6, mean mark 7,5), water boards (5, mean
    mark 6,2), together 6,9, and staff (5)."""
    survey_round = RoundFactory(
        name=name,
        status="closed",
        opens_at=closes_at - datetime.timedelta(days=28),
        closes_at=closes_at,
    )
    for mark in (6, 7, 7, 8, 8, 9):
        add_response(
            survey_round,
            group="gemeente",
            answers={"q1a": mark, **{f"q1b-{p}": 3 + mark % 2 for p in PROPERTIES}},
        )
    for mark in (5, 6, 6, 7, 7):
        add_response(
            survey_round,
            group="waterschap",
            answers={"q1a": mark, **{f"q1b-{p}": 3 for p in PROPERTIES}},
        )
    for _ in range(5):
        add_response(
            survey_round,
            group="staff",
            answers={
                "q1a": 7,
                "q2": 8,
                "q3a": 6,
                **{f"q1b-{p}": 4 for p in PROPERTIES},
                **{f"q3b-{p}": 3 for p in PROPERTIES},
            },
        )
    aggregate_round(survey_round)
    survey_round.status = status
    survey_round.save(update_fields=["status"])
    return survey_round


@pytest.fixture
def latest() -> Round:
    """The latest round, closed but not yet published (staff may read it), and an
    older published one below it in the list."""
    now = timezone.now()
    round_with_results(
        "Thermometer 2025 (e2e)", status="published", closes_at=now - datetime.timedelta(days=365)
    )
    return round_with_results(
        "Thermometer 2026 (e2e)", status="closed", closes_at=now - datetime.timedelta(days=1)
    )


@pytest.fixture
def staff() -> User:
    return UserFactory(role=Role.STAFF)


def test_staff_open_the_latest_round_switch_group_and_read_a_table_by_keyboard(
    page: Page,
    latest: Round,
    staff: User,
    log_in: Callable[[Page, User], None],
    tab_to: Callable[..., int],
    assert_accessible: Callable[[Page], None],
) -> None:
    log_in(page, staff)

    # The results list, from the main navigation.
    list_url = reverse("thermometer:results_list")
    nav_link = page.locator(f'nav a[href="{list_url}"]')
    tab_to(page, nav_link)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(list_url) + "$"))
    assert_accessible(page)

    # The latest round comes first; open it by keyboard.
    detail_url = reverse("thermometer:results_detail", args=[latest.pk])
    rows = page.locator("table[data-rounds] tbody tr")
    expect(rows.first).to_have_attribute("data-round", str(latest.pk))
    round_link = rows.first.locator(f'a[href="{detail_url}"]')
    tab_to(page, round_link)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(detail_url) + "$"))
    expect(page.locator("svg[aria-labelledby='marks-chart-title']")).to_be_visible()
    partners_mean = page.locator(
        "table[data-table='marks'] tr[data-perspective='partners'] td[data-mean]"
    )
    expect(partners_mean).to_have_text("6,9")  # all partners: 76 / 11
    assert_accessible(page)

    # Another partner group, by keyboard: the page reloads with that group.
    water_boards = page.locator('nav.results-groups a[data-group="waterschap"]')
    tab_to(page, water_boards)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"\?groep=waterschap$"))
    expect(page.locator('nav.results-groups a[aria-current="true"]')).to_have_attribute(
        "data-group", "waterschap"
    )
    assert_accessible(page)

    # The table behind the report-mark chart: Tab to its <summary>, Enter opens it.
    marks_figure = page.locator("figure", has=page.locator("table[data-table='marks']"))
    summary = marks_figure.locator("summary")
    cell = marks_figure.locator("tr[data-perspective='partners'] td[data-mean]")
    expect(cell).to_be_hidden()
    tab_to(page, summary, max_presses=80)
    page.keyboard.press("Enter")
    expect(cell).to_be_visible()
    expect(cell).to_have_text("6,2")  # the water boards' mean mark: 31 / 5
    assert marks_figure.locator("details").evaluate("details => details.open")
    assert_accessible(page)
