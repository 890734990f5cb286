from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from portal.lib.roles import Role
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def assert_skip_link_works(page: Page) -> None:
    skip_link = page.locator("a.utrecht-skip-link")
    # Off screen until it has focus, then visible to sighted keyboard users.
    expect(skip_link).not_to_be_in_viewport()

    page.keyboard.press("Tab")

    expect(skip_link).to_be_focused()
    expect(skip_link).to_have_attribute("href", "#main")
    expect(skip_link).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()
    assert page.url.endswith("#main")


def test_the_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(
    page: Page, assert_accessible: Callable[[Page], None]
) -> None:
    page.goto("/toegankelijkheid/")
    assert_accessible(page)

    assert_skip_link_works(page)


@pytest.mark.parametrize("path", ["/", "/organisaties/"])
def test_the_skip_link_works_for_a_logged_in_user(
    page: Page,
    path: str,
    log_in: Callable,
    assert_accessible: Callable[[Page], None],
) -> None:
    log_in(page, UserFactory(role=Role.STAFF))
    page.goto(path)
    assert_accessible(page)

    assert_skip_link_works(page)
