"""The "Whom do I call?" page in a real browser: keyboard only, live answer, no-JS fallback.

The organisations and themes are the reference data (partners/data), so Woerden and
"Energie en klimaat" are the real ones; the people are made here, visibly fictional.
Elements are found by id, href and the names of these data; the UI text itself is not
asserted, as it is being translated.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect

from partners.models import AccountHolder, Contact, Organisation, Theme
from partners.services.reference import load_reference_organisations
from portal.lib.models import User
from portal.lib.roles import Role
from tests.factories import AccountHolderFactory, ContactFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WHOM_URL = "/wie-bel-ik/"


@dataclass
class Woerden:
    partner: User
    area_holder: User
    energy_holder: User
    housing_holder: User
    energy: Theme
    shared_energy_point: Contact
    internal_names: list[str]


def province_colleague(first_name: str, last_name: str, phone: str) -> User:
    return UserFactory(
        role=Role.ACCOUNT_HOLDER,
        first_name=first_name,
        last_name=last_name,
        phone=phone,
        email=f"{first_name.lower()}@provincie.example",
    )


@pytest.fixture
def woerden() -> Woerden:
    """A partner of Woerden (GM0632), its account-holders, and contacts they may not see."""
    load_reference_organisations()
    municipality = Organisation.objects.get(cbs_code="GM0632")
    province = Organisation.objects.get(kind=Organisation.Kind.PROVINCIE)
    energy = Theme.objects.get(slug="energie-en-klimaat")
    housing = Theme.objects.get(slug="wonen")

    area_holder = province_colleague("Daan", "Dijkstra (fictief)", "030 000 2001")
    energy_holder = province_colleague("Sanne", "de Wit (fictief)", "030 000 2003")
    housing_holder = province_colleague("Koen", "Jansen (fictief)", "030 000 2004")
    AccountHolderFactory(
        user=area_holder,
        organisation=municipality,
        scope=AccountHolder.Scope.AREA,
        is_primary=True,
    )
    AccountHolderFactory(
        user=energy_holder,
        organisation=municipality,
        scope=AccountHolder.Scope.THEME,
        theme=energy,
    )
    AccountHolderFactory(
        user=housing_holder,
        organisation=municipality,
        scope=AccountHolder.Scope.THEME,
        theme=housing,
    )
    shared_energy_point = ContactFactory(
        organisation=province,
        name="Team energietransitie (fictief)",
        phone="030 000 1018",
        themes=[energy],
    )
    # Every way an internal contact could reach the partner's pages: one at their own
    # municipality, a province contact point for the theme, a general contact point.
    internal = [
        ContactFactory(
            organisation=municipality,
            name="Ingrid Binnenkamp (fictief)",
            visibility=Contact.Visibility.INTERNAL,
            themes=[energy],
        ),
        ContactFactory(
            organisation=province,
            name="Bert Intern-Energie (fictief)",
            visibility=Contact.Visibility.INTERNAL,
            themes=[energy],
        ),
        ContactFactory(
            organisation=province,
            name="Greet Intern-Servicepunt (fictief)",
            visibility=Contact.Visibility.INTERNAL,
            is_general=True,
        ),
    ]
    partner = UserFactory(role=Role.PARTNER, organisation=municipality)
    return Woerden(
        partner=partner,
        area_holder=area_holder,
        energy_holder=energy_holder,
        housing_holder=housing_holder,
        energy=energy,
        shared_energy_point=shared_energy_point,
        internal_names=[contact.name for contact in internal],
    )


def tel_href(phone: str) -> str:
    return "tel:" + phone.replace(" ", "")


def expect_card(region: Locator, person: User) -> None:
    """One card in `region` with the person's name, a tel: link and a mailto: link."""
    card = region.locator(".portal-card").filter(has_text=person.get_full_name())
    expect(card).to_have_count(1)
    expect(card.locator(f'a[href="{tel_href(person.phone)}"]')).to_have_text(person.phone)
    expect(card.locator(f'a[href="mailto:{person.email}"]')).to_have_count(1)


def expect_no_card(region: Locator, person: User) -> None:
    expect(region.locator(".portal-card").filter(has_text=person.get_full_name())).to_have_count(0)


def assert_no_internal_contact(page: Page, data: Woerden) -> None:
    """Not in the text, nor in any attribute or hidden element of the document."""
    html = page.content()
    for name in data.internal_names:
        assert name not in html, f"internal contact {name!r} shown to a partner on {page.url}"


def choose_by_keyboard(page: Page, select: Locator, option_text: str) -> str:
    """With `select` focused, press ArrowDown until `option_text` is chosen; its value."""
    option = select.locator("option").filter(has_text=option_text)
    target = option.evaluate("option => option.index")
    current = select.evaluate("select => select.selectedIndex")
    assert target > current, f"{option_text!r} is not below the current option"
    for _ in range(target - current):
        page.keyboard.press("ArrowDown")
    value = option.get_attribute("value")
    expect(select).to_have_value(value)
    return value


def expect_energy_answer(page: Page, data: Woerden, theme_value: str) -> None:
    """The answer for Woerden and Energie en klimaat, with the theme in the URL."""
    expect(page).to_have_url(re.compile(rf"{WHOM_URL}\?(.*&)?theme={theme_value}(&|$)"))
    answer = page.locator("#answer")
    expect_card(answer, data.energy_holder)
    expect_card(answer, data.area_holder)  # still there with a theme chosen
    expect_no_card(answer, data.housing_holder)  # another theme's account-holder
    expect(answer).to_contain_text(data.shared_energy_point.name)
    expect(page.locator("#id_theme")).to_have_value(theme_value)


def test_a_partner_finds_whom_to_call_for_a_theme_by_keyboard(
    page: Page,
    woerden: Woerden,
    log_in: Callable[[Page, User], None],
    tab_to: Callable[..., int],
    assert_accessible: Callable[[Page], None],
) -> None:
    log_in(page, woerden.partner)  # axe checks the login and home pages

    # Home: the area account-holder of their own municipality, ready to call.
    main = page.locator("#main")
    expect_card(main, woerden.area_holder)
    assert_no_internal_contact(page, woerden)

    tab_to(page, page.locator(f'.portal-nav a[href="{WHOM_URL}"]'))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"{WHOM_URL}$"))
    expect(page.locator(f'.portal-nav a[href="{WHOM_URL}"]')).to_have_attribute(
        "aria-current", "page"
    )
    # A partner's organisation is fixed: there is nothing to choose but the theme.
    expect(page.locator("#id_organisation")).to_have_count(0)
    expect_card(page.locator("#answer"), woerden.area_holder)
    expect_no_card(page.locator("#answer"), woerden.energy_holder)
    assert_no_internal_contact(page, woerden)
    assert_accessible(page)

    # The theme: arrow keys in the select; the answer follows without a button (htmx).
    theme = page.locator("#id_theme")
    tab_to(page, theme)
    value = choose_by_keyboard(page, theme, woerden.energy.name)
    expect_energy_answer(page, woerden, value)
    # Only the answer was swapped: focus stays in the select.
    expect(theme).to_be_focused()
    assert_no_internal_contact(page, woerden)
    assert_accessible(page)

    # The pushed URL is a whole page of its own.
    page.reload()
    expect_energy_answer(page, woerden, value)
    expect(page.locator("h1")).to_have_count(1)
    assert_no_internal_contact(page, woerden)
    assert_accessible(page)


def test_without_javascript_the_submit_button_gives_the_answer(
    no_js_context: BrowserContext,
    woerden: Woerden,
    log_in: Callable[[Page, User], None],
    tab_to: Callable[..., int],
    assert_accessible: Callable[[Page], None],
) -> None:
    page = no_js_context.new_page()
    log_in(page, woerden.partner)
    expect_card(page.locator("#main"), woerden.area_holder)
    assert_no_internal_contact(page, woerden)

    tab_to(page, page.locator(f'.portal-nav a[href="{WHOM_URL}"]'))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"{WHOM_URL}$"))
    assert page.evaluate("typeof htmx") == "undefined"  # really no page scripts
    assert_accessible(page)

    theme = page.locator("#id_theme")
    tab_to(page, theme)
    value = choose_by_keyboard(page, theme, woerden.energy.name)
    # Nothing happens until the form is sent.
    expect(page).to_have_url(re.compile(rf"{WHOM_URL}$"))
    expect_no_card(page.locator("#answer"), woerden.energy_holder)

    tab_to(page, page.locator('#whom-form button[type="submit"]'))
    page.keyboard.press("Enter")
    expect_energy_answer(page, woerden, value)
    assert_no_internal_contact(page, woerden)
    assert_accessible(page)
