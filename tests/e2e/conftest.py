"""Browser tests: headless Debian Chromium against pytest-django's live server.

The live server sends the real Content-Security-Policy (django-csp). Every browser
context a test opens through the `context`/`page` fixtures is watched: a console error,
an uncaught exception, a CSP violation, or a page loaded but never checked with axe-core
(`assert_accessible`) fails the test at teardown.

Playwright never downloads a browser here; it drives /usr/bin/chromium, installed by
scripts/ensure-chromium. Without it the tests are skipped, except in CI (CI=true),
where a missing browser must fail the run instead of passing it silently.
"""

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import BrowserContext, ConsoleMessage, Locator, Page, expect

from portal.lib.models import User

# Playwright's sync API runs an event loop in this thread, so Django refuses database
# access from the test body without this (ECOSYSTEM.md, trap 3).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
IN_CI = os.environ.get("CI", "").lower() == "true"
HOME_URL = re.compile(r"^http://[^/]+/$")
PASSWORD = "correct horse battery staple"  # tests/factories.py, UserFactory.password

# WCAG 2.0, 2.1 and 2.2 level A and AA, plus axe's best practices (landmarks, one h1).
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
AXE = Axe()
# axe-core waits on setTimeout, which never fires in a page with JavaScript disabled (the
# DevTools protocol can still evaluate code there, and promise callbacks still run).
# Before axe runs in such a page, timers become promise callbacks; no page script is
# there to notice.
TIMERS_WITHOUT_JAVASCRIPT = """() => {
  let last = 0;
  const cancelled = new Set();
  window.setTimeout = (callback, _delay, ...args) => {
    const id = ++last;
    Promise.resolve().then(() => { if (!cancelled.has(id)) callback(...args); });
    return id;
  };
  window.clearTimeout = (id) => { cancelled.add(id); };
}"""
NO_JAVASCRIPT: set[BrowserContext] = set()

# Runs in every document before the page's own scripts. Scripts that Playwright injects
# through the DevTools protocol are not subject to the page's CSP, so this listener works
# under `script-src 'self'`; test_browser_watch.py proves it does.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__e2eReportCspViolation({
    directive: event.effectiveDirective,
    blocked: event.blockedURI,
    source: event.sourceFile,
    line: event.lineNumber,
    sample: event.sample,
  });
});
"""


# --- Browser ------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """pytest-playwright's launch options, pointed at Debian's Chromium."""
    if not CHROMIUM.is_file():
        message = f"{CHROMIUM} is missing: run scripts/ensure-chromium to install it"
        if IN_CI:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def base_url(live_server) -> str:
    """Relative URLs in page.goto() resolve against the live server."""
    return live_server.url


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    # Dutch is the portal's default language and what its users' browsers ask for.
    return {**browser_context_args, "locale": "nl-NL"}


# --- Database -----------------------------------------------------------------------


# --- Watching for console errors and CSP violations ---------------------------------------


def _without_fragment(url: str) -> str:
    return url.split("#", 1)[0]


@dataclass
class BrowserProblems:
    """What went wrong in a test's browser contexts, and which pages axe has checked."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    csp_violations: list[dict] = field(default_factory=list)
    loaded: list[str] = field(default_factory=list)
    checked: set[str] = field(default_factory=set)

    @property
    def unchecked(self) -> list[str]:
        """Documents that were loaded but never given to axe."""
        return [url for url in self.loaded if url not in self.checked]

    def clear(self) -> None:
        self.console_errors.clear()
        self.page_errors.clear()
        self.csp_violations.clear()
        self.loaded.clear()

    def __bool__(self) -> bool:
        return bool(
            self.console_errors or self.page_errors or self.csp_violations or self.unchecked
        )

    def report(self) -> str:
        lines = [f"console error: {text}" for text in self.console_errors]
        lines += [f"uncaught exception: {text}" for text in self.page_errors]
        lines += [f"CSP violation: {violation}" for violation in self.csp_violations]
        lines += [f"loaded but not checked with axe: {url}" for url in self.unchecked]
        return "\n".join(lines)


def watch(context: BrowserContext, problems: BrowserProblems) -> None:
    """Record in `problems` what goes wrong in every page of `context` from now on."""

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            location = message.location
            problems.console_errors.append(
                f"{message.text} ({location.get('url')}:{location.get('lineNumber')})"
            )

    def on_csp_violation(violation: dict) -> None:
        problems.csp_violations.append(violation)

    def on_load(page: Page) -> None:
        problems.loaded.append(_without_fragment(page.url))

    context.on("console", on_console)
    context.on("weberror", lambda web_error: problems.page_errors.append(str(web_error.error)))
    context.on("page", lambda page: page.on("load", on_load))

    context.expose_function("__e2eReportCspViolation", on_csp_violation)
    context.add_init_script(script=CSP_LISTENER)


def settle(context: BrowserContext) -> None:
    """A round trip to each open page, so events it already sent have arrived."""
    for page in context.pages:
        if not page.is_closed():
            page.title()


@pytest.fixture
def browser_problems() -> BrowserProblems:
    """What went wrong in this test's browser contexts; the contexts assert it is nothing."""
    return BrowserProblems()


@pytest.fixture
def context(
    new_context: Callable[..., BrowserContext], browser_problems: BrowserProblems
) -> Iterator[BrowserContext]:
    """pytest-playwright's context, failing the test on any console error or CSP violation."""
    context = new_context()
    watch(context, browser_problems)
    yield context
    settle(context)
    assert not browser_problems, "The browser reported problems:\n" + browser_problems.report()


@pytest.fixture
def no_js_context(
    new_context: Callable[..., BrowserContext], browser_problems: BrowserProblems
) -> Iterator[BrowserContext]:
    """A context with JavaScript switched off; console errors (CSP included) still fail."""
    context = new_context(java_script_enabled=False)
    watch(context, browser_problems)
    NO_JAVASCRIPT.add(context)
    yield context
    NO_JAVASCRIPT.discard(context)
    settle(context)
    assert not browser_problems, "The browser reported problems:\n" + browser_problems.report()


# --- Helpers for the tests, as fixtures -------------------------------------------------


def _assert_accessible(page: Page, problems: BrowserProblems) -> None:
    """axe-core finds no violation of WCAG 2.x A/AA or its best practices on this page."""
    problems.checked.add(_without_fragment(page.url))
    if page.context in NO_JAVASCRIPT:
        page.evaluate(TIMERS_WITHOUT_JAVASCRIPT)
    violations = AXE.run(page, options=AXE_OPTIONS).response["violations"]
    details = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} -> "
        + ", ".join(str(node["target"]) for node in v["nodes"][:5])
        for v in violations
    )
    assert violations == [], f"axe: {len(violations)} violation(s) on {page.url}:\n{details}"


def _is_focused(locator: Locator) -> bool:
    return locator.evaluate("element => element === document.activeElement")


def _tab_to(page: Page, target: Locator, *, max_presses: int = 40) -> int:
    """Press Tab until `target` has focus, as a keyboard user would; returns the presses."""
    for presses in range(1, max_presses + 1):
        page.keyboard.press("Tab")
        if _is_focused(target):
            return presses
    raise AssertionError(f"{target} was not reached with {max_presses} presses of Tab")


def _log_in(page: Page, user: User, *, assert_accessible: Callable[[Page], None]) -> None:
    """Log in through the real login form, typing as a user would; lands on home."""
    page.goto("/inloggen/")
    assert_accessible(page)
    page.locator("#id_username").focus()
    page.keyboard.type(user.username)
    page.keyboard.press("Tab")
    expect(page.locator("#id_password")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(HOME_URL)
    assert_accessible(page)


@pytest.fixture
def assert_accessible(browser_problems: BrowserProblems) -> Callable[[Page], None]:
    """Run axe on a page; fails with the rule ids and elements of every violation."""
    return partial(_assert_accessible, problems=browser_problems)


@pytest.fixture
def tab_to() -> Callable[..., int]:
    return _tab_to


@pytest.fixture
def log_in(assert_accessible: Callable[[Page], None]) -> Callable[[Page, User], None]:
    """Log in through the form; the login page and the home page get axe checks."""
    return partial(_log_in, assert_accessible=assert_accessible)
