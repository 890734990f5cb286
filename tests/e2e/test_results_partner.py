"""A partner reads the published thermometer results and what the province does with
them ("you said, we did"), in a real browser, keyboard only, axe on every page.

Links are found by their href and actions by their titles (data made here); the UI
text itself is not asserted, as it is being translated.
"""

import re
from collections.abc import Callable

from django.urls import reverse

import pytest
from playwright.sync_api import Page, expect

from portal.lib.models import User
from portal.lib.roles import Role
from tests.factories import (
    ImprovementActionFactory,
    OrganisationFactory,
    RoundFactory,
    UserFactory,
    add_response,
)
from thermometer.models import Round
from thermometer.services.aggregation import aggregate_round

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PROPERTIES = ["betrouwbaar", "toegankelijk", "deskundig", "flexibel"]


@pytest.fixture
def published() -> Round:
    """A published round with results for municipalities and staff, and two actions."""
    survey_round = RoundFactory(name="Thermometer 2025 (e2e)", status="closed")
    for mark in (6, 7, 7, 8, 8, 9):
        add_response(
            survey_round,
            group="gemeente",
            answers={"q1a": mark, **{f"q1b-{p}": 3 + mark % 2 for p in PROPERTIES}},
        )
    for _ in range(5):
        add_response(
            survey_round,
            group="staff",
            answers={"q1a": 7, "q2": 8, "q3a": 6, **{f"q1b-{p}": 4 for p in PROPERTIES}},
        )
    aggregate_round(survey_round)
    survey_round.status = Round.Status.PUBLISHED
    survey_round.save(update_fields=["status"])
    ImprovementActionFactory(
        round=survey_round,
        title="Terugkoppeling binnen zes weken (e2e)",
        status="done",
        properties=["transparant"],
    )
    ImprovementActionFactory(
        round=survey_round,
        title="Vaste accounthouder per gemeente (e2e)",
        status="in_progress",
        properties=["toegankelijk"],
    )
    return survey_round


@pytest.fixture
def partner() -> User:
    return UserFactory(role=Role.PARTNER, organisation=OrganisationFactory(name="Woerden"))


def test_a_partner_reads_the_published_results_and_the_actions_by_keyboard(
    page: Page,
    published: Round,
    partner: User,
    log_in: Callable[[Page, User], None],
    tab_to: Callable[..., int],
    assert_accessible: Callable[[Page], None],
) -> None:
    log_in(page, partner)

    # The home page points to the latest published results.
    results_url = reverse("thermometer:results_detail", args=[published.pk])
    teaser = page.locator(f'main a[href="{results_url}"]')
    tab_to(page, teaser)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(results_url) + "$"))
    assert_accessible(page)

    # The results are there: the report mark of the municipalities (mean 7.5).
    expect(page.locator("main")).to_contain_text("7,5")
    # And what the province does with them.
    action = page.locator("main a", has_text="Terugkoppeling binnen zes weken (e2e)")
    expect(action).to_have_count(1)
    expect(page.locator("main")).to_contain_text("Vaste accounthouder per gemeente (e2e)")
    # Partners do not get the staff-only open answers.
    answers_url = reverse("thermometer:results_answers", args=[published.pk])
    expect(page.locator(f'a[href="{answers_url}"]')).to_have_count(0)

    tab_to(page, action, max_presses=200)
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Terugkoppeling binnen zes weken (e2e)")
    assert_accessible(page)
