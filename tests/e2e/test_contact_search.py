"""The header search in a real browser: a staff member finds a contact by keyboard.

On PostgreSQL the search forgives typos (trigram similarity, partners/services/search.py); SQLite
only finds what is typed exactly, so the typo cases skip there and the exact-part case
covers the same flow on both databases. The UI text is not asserted: it is being
translated.
"""

import re
from collections.abc import Callable

from django.db import connection

import pytest
from playwright.sync_api import Page, expect

from partners.models import Contact
from portal.lib.models import User
from portal.lib.roles import Role
from tests.factories import ContactFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TYPO_TOLERANCE = "typo tolerance is a PostgreSQL feature (CI runs the suite on PostgreSQL too)"
NEEDS_TYPO_TOLERANCE = {"vermeulne", "Jeron"}


@pytest.fixture
def staff() -> User:
    return UserFactory(role=Role.STAFF)


@pytest.fixture
def vermeulen() -> Contact:
    return ContactFactory(name="Jeroen Vermeulen (fictief)", function="Beleidsadviseur wonen")


@pytest.fixture
def verhoeven() -> Contact:
    """Shares "Ver…" and "(fictief)" with Vermeulen, but is not the one searched for."""
    return ContactFactory(name="Marieke Verhoeven (fictief)", function="Beleidsadviseur wonen")


@pytest.mark.parametrize(
    "typed",
    [
        pytest.param("Vermeul", id="exact-part"),
        pytest.param("vermeulne", id="typo-swapped-letters"),
        pytest.param("Jeron", id="typo-missing-letter"),
    ],
)
def test_a_staff_member_finds_a_contact_from_the_header_search_by_keyboard(
    page: Page,
    typed: str,
    staff: User,
    vermeulen: Contact,
    verhoeven: Contact,
    log_in: Callable[[Page, User], None],
    tab_to: Callable[..., int],
    assert_accessible: Callable[[Page], None],
) -> None:
    if typed in NEEDS_TYPO_TOLERANCE and connection.vendor != "postgresql":
        pytest.skip(TYPO_TOLERANCE)
    log_in(page, staff)  # axe checks the login and home pages

    search = page.locator("#header-search-q")
    tab_to(page, search)
    page.keyboard.type(typed)
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/zoeken/\?(.*&)?q=" + re.escape(typed) + "(&|$)"))
    expect(page.locator("#header-search-q")).to_have_value(typed)
    found = page.locator(f'#main a[href="{vermeulen.get_absolute_url()}"]')
    expect(found).to_have_count(1)
    expect(found).to_contain_text(vermeulen.name)
    expect(page.locator(f'#main a[href="{verhoeven.get_absolute_url()}"]')).to_have_count(0)
    assert_accessible(page)

    tab_to(page, found)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"{re.escape(vermeulen.get_absolute_url())}$"))
    expect(page.locator("h1")).to_have_text(vermeulen.name)
    assert_accessible(page)
