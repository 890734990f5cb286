"""The watch in conftest.py must see what it guards against, or the other tests prove little.

Each test breaks the page on purpose, checks the problem was recorded, then clears the
record (including the list of pages axe has to check) so the teardown check passes.
"""

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page

from tests.e2e.conftest import BrowserProblems

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# DOM changes from a DevTools-injected script are still checked against the page's CSP.
BREAK_THE_CSP = """() => {
  const style = document.createElement("style");
  style.textContent = "body { outline: 1px solid red; }";
  document.head.append(style);
  const image = document.createElement("img");
  image.src = "https://example.invalid/tracker.png";
  image.alt = "";
  document.body.append(image);
}"""


def test_the_app_sends_a_strict_content_security_policy(
    page: Page, assert_accessible: Callable[[Page], None]
) -> None:
    response = page.goto("/inloggen/")
    assert_accessible(page)

    policy = response.headers["content-security-policy"]
    directives = {d.split()[0]: d.split()[1:] for d in policy.split("; ")}
    assert directives["style-src"] == ["'self'"]
    assert directives["script-src"][0] == "'self'"
    assert directives["script-src"][1].startswith("'nonce-")
    assert len(directives["script-src"]) == 2
    assert directives["img-src"] == ["'self'", "data:"]


def test_the_watch_records_csp_violations_and_console_errors(
    page: Page, browser_problems: BrowserProblems
) -> None:
    page.goto("/inloggen/")

    page.evaluate(BREAK_THE_CSP)
    page.title()

    directives = {violation["directive"] for violation in browser_problems.csp_violations}
    assert directives == {"style-src-elem", "img-src"}
    assert len(browser_problems.console_errors) == 2
    assert all("Content Security Policy" in text for text in browser_problems.console_errors)
    browser_problems.clear()


def test_the_watch_records_uncaught_exceptions(
    page: Page, browser_problems: BrowserProblems
) -> None:
    page.goto("/inloggen/")

    page.evaluate("() => { setTimeout(() => { throw new Error('e2e canary'); }); }")
    page.wait_for_timeout(100)
    page.title()

    assert browser_problems.page_errors == ["e2e canary"]
    browser_problems.clear()


def test_the_watch_records_csp_violations_without_javascript(
    no_js_context: BrowserContext, browser_problems: BrowserProblems
) -> None:
    page = no_js_context.new_page()
    page.goto("/inloggen/")

    page.evaluate(BREAK_THE_CSP)
    page.title()

    # No page script runs, so no securitypolicyviolation listener: the console has them.
    assert len(browser_problems.console_errors) == 2
    assert all("Content Security Policy" in text for text in browser_problems.console_errors)
    browser_problems.clear()


def test_the_watch_records_pages_that_axe_did_not_check(
    page: Page, browser_problems: BrowserProblems, assert_accessible: Callable[[Page], None]
) -> None:
    page.goto("/inloggen/")
    assert_accessible(page)
    page.goto("/toegankelijkheid/#main")
    page.title()

    assert browser_problems.unchecked == [page.url.removesuffix("#main")]
    browser_problems.clear()
