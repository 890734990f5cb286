"""The organisation register in a real browser: keyboard only, live filter, no-JS fallback.

The data are the 37 reference organisations (partners/data), so the names asserted
below are real ones; the UI text itself is not asserted, as it is being translated.
"""

import re
from collections.abc import Callable
from urllib.parse import parse_qsl, urlsplit

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from partners.models import Organisation
from partners.services.reference import load_reference_organisations
from portal.lib.models import User
from portal.lib.roles import Role
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WATER = [
    "Oudewater",
    "Rijkswaterstaat",
    "Waterschap Amstel Gooi en Vecht (Waternet)",
    "Waterschap Rivierenland",
    "Waterschap Vallei en Veluwe",
]
WATER_BOARDS = [name for name in WATER if name.startswith("Waterschap")]


@pytest.fixture
def staff() -> User:
    load_reference_organisations()
    return UserFactory(role=Role.STAFF)


def names(page: Page):
    """The organisation names in the result table, in display order."""
    return page.locator("#results tbody th a")


def filters_in_url(page: Page) -> dict[str, str]:
    """The non-empty query parameters of the address bar."""
    return {key: value for key, value in parse_qsl(urlsplit(page.url).query) if value}


def test_a_staff_member_filters_by_keyboard_and_opens_an_organisation(
    page: Page,
    staff: User,
    log_in: Callable[[Page, User], None],
    tab_to: Callable[..., int],
    assert_accessible: Callable[[Page], None],
) -> None:
    log_in(page, staff)  # axe checks the login and home pages
    expect(page.locator("h1")).to_contain_text(staff.first_name)

    tab_to(page, page.locator('.portal-nav a[href="/organisaties/"]'))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/organisaties/$"))
    expect(page.locator("#results [data-announce]")).to_have_text(re.compile(r"^\s*37\D"))
    expect(names(page)).to_have_count(25)  # the first page of two
    assert_accessible(page)

    # Search: the list follows the typing (htmx, 300 ms after the last key).
    search = page.locator("#id_q")
    tab_to(page, search)
    page.keyboard.type("water")
    expect(names(page)).to_have_text(WATER)
    expect(page).to_have_url(re.compile(r"[?&]q=water(&|$)"))
    assert filters_in_url(page) == {"q": "water"}
    expect(search).to_be_focused()

    # Kind: the next tab stop; arrow keys pick "Water board" (after "All kinds" and
    # "Municipality") and the list follows without pressing a button.
    kind = page.locator("#id_kind")
    page.keyboard.press("Tab")
    expect(kind).to_be_focused()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(kind).to_have_value("waterschap")
    expect(names(page)).to_have_text(WATER_BOARDS)
    expect(page).to_have_url(re.compile(r"[?&]kind=waterschap(&|$)"))
    assert filters_in_url(page) == {"q": "water", "kind": "waterschap"}
    # The swap replaced the results only: focus stays put and the count is announced.
    expect(kind).to_be_focused()
    expect(page.locator("#result-status")).to_have_text(re.compile(rf"^{len(WATER_BOARDS)}\D"))
    assert_accessible(page)

    # Open one organisation: Tab to its link, press Enter.
    vallei = Organisation.objects.get(name="Waterschap Vallei en Veluwe")
    tab_to(page, names(page).filter(has_text=vallei.name))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/organisaties/{vallei.pk}/$"))
    expect(page.locator("h1")).to_have_text(vallei.name)
    assert_accessible(page)

    # Back: the pushed URL gives the whole filtered page again, not a bare fragment.
    page.go_back()
    assert filters_in_url(page) == {"q": "water", "kind": "waterschap"}
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("#id_q")).to_have_value("water")
    expect(page.locator("#id_kind")).to_have_value("waterschap")
    expect(names(page)).to_have_text(WATER_BOARDS)
    assert_accessible(page)


def test_the_filter_works_without_javascript(
    no_js_context: BrowserContext,
    staff: User,
    log_in: Callable[[Page, User], None],
    assert_accessible: Callable[[Page], None],
) -> None:
    page = no_js_context.new_page()
    log_in(page, staff)
    page.goto("/organisaties/")
    assert page.evaluate("typeof htmx") == "undefined"  # really no page scripts
    expect(names(page)).to_have_count(25)
    assert_accessible(page)

    page.locator("#id_q").fill("Utrecht")
    page.locator("#id_kind").select_option("uitvoeringsdienst")
    expect(names(page)).to_have_count(25)  # nothing happens until the form is sent
    page.locator('#organisation-filter button[type="submit"]').click()

    expect(page).to_have_url(re.compile(r"[?&]kind=uitvoeringsdienst(&|$)"))
    assert filters_in_url(page) == {"q": "Utrecht", "kind": "uitvoeringsdienst"}
    expect(names(page)).to_have_text(
        [
            "GGD regio Utrecht",
            "Omgevingsdienst regio Utrecht",
            "RUD Utrecht",
            "Veiligheidsregio Utrecht",
        ]
    )
    expect(page.locator("#id_q")).to_have_value("Utrecht")
    expect(page.locator("#id_kind")).to_have_value("uitvoeringsdienst")
    assert_accessible(page)
