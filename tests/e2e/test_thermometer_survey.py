"""The collaboration thermometer in a real browser (#4): a partner's personal link.

Keyboard only, axe on every page: the partner opens their link, answers part, closes
the browser, comes back with the same link, finds their answers, completes them,
submits, and the link then says it was used. And a shorter run without JavaScript in
a phone-sized window, saving with the buttons. Inputs are found by their names and ids,
which are the questions' stable codes, and buttons by their action; the UI text itself
is not asserted, as it is being translated.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core.cache import cache

import pytest
from playwright.sync_api import BrowserContext, Page, Request, expect

from partners.models import Contact
from tests.factories import ContactFactory, InvitationFactory, OrganisationFactory, RoundFactory
from thermometer.models import Answer, Draft, Invitation, Question, Response, SubmissionReceipt
from thermometer.services.invitations import new_token

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
MARK = "q1a"
IMPROVE = "open-verbeteren"  # an open question of the external questionnaire, optional

REVIEW_URL = "/thermometer/invullen/controle/"
SUBMIT_URL = "/thermometer/invullen/verzenden/"
DONE_URL = "/thermometer/bedankt/"
USED_URL = "/thermometer/al-ingevuld/"
PHONE = {"width": 320, "height": 640}  # WCAG's reflow width


def prop(name: str) -> str:
    """The stable code of one of the eight properties (the partners' view)."""
    return f"q1b-{name}"


@dataclass
class PersonalLink:
    invitation: Invitation
    token: str

    @property
    def path(self) -> str:
        return f"/t/{self.token}/"


@pytest.fixture
def personal_link() -> PersonalLink:
    """A partner contact's invitation in an open round, with a token as the send task
    makes it (the database keeps only its hash)."""
    # The exchange is rate-limited per client address in the (process-wide) cache.
    cache.clear()
    woerden = OrganisationFactory(name="Woerden", cbs_code="GM0632")
    survey_round = RoundFactory(name="Thermometer 2026 (e2e)", organisations=[woerden])
    contact: Contact = ContactFactory(organisation=woerden, name="Petra Partner (fictief)")
    token, token_hash = new_token()
    invitation = InvitationFactory(round=survey_round, contact=contact, token_hash=token_hash)
    return PersonalLink(invitation=invitation, token=token)


@pytest.fixture
def requests_seen(context: BrowserContext) -> list[Request]:
    """Every request the browser sends in this test, to look for the token in."""
    return record_requests(context)


def record_requests(context: BrowserContext) -> list[Request]:
    seen: list[Request] = []
    context.on("request", lambda request: seen.append(request))
    return seen


# --- Helpers -------------------------------------------------------------------------------


def radio(page: Page, code: str, value: int):
    return page.locator(f'input[type="radio"][name="{code}"][value="{value}"]')


def button(page: Page, action: str):
    """A section form's button, by the action it posts (next, save, previous)."""
    return page.locator(f'form[data-survey-form] button[name="action"][value="{action}"]')


def expect_section(page: Page, position: int) -> None:
    expect(page).to_have_url(re.compile(rf"/thermometer/invullen/{position}/$"))
    expect(page.locator("h1")).to_have_count(1)


def focused_radio_value(page: Page, code: str) -> int | None:
    value = page.evaluate(
        """code => {
            const el = document.activeElement;
            return el && el.type === "radio" && el.name === code ? el.value : null;
        }""",
        code,
    )
    return None if value is None else int(value)


def choose_by_keyboard(
    page: Page, tab_to: Callable[..., int], code: str, value: int, *, tab: bool = True
) -> None:
    """Tab into the radio group `code` and pick `value` with the arrow keys (or Space).

    Tab enters a group on its checked radio, or on its first when none is checked;
    the arrow keys move and check at once. With tab=False, focus is already in the group.
    """
    if tab:
        checked = page.locator(f'input[name="{code}"]:checked')
        entry = checked if checked.count() else page.locator(f'input[name="{code}"]').first
        tab_to(page, entry)
    current = focused_radio_value(page, code)
    assert current is not None, f"focus is not in the radio group {code}"
    if value == current:
        page.keyboard.press("Space")
    key = "ArrowRight" if value > current else "ArrowLeft"
    for _ in range(abs(value - current)):
        page.keyboard.press(key)
    expect(radio(page, code, value)).to_be_checked()
    expect(radio(page, code, value)).to_be_focused()


def draft_answers(invitation: Invitation) -> dict:
    draft = Draft.objects.filter(invitation=invitation).first()
    return {} if draft is None else draft.answers


def wait_until_saved(page: Page, invitation: Invitation, expected: dict) -> Draft:
    """Wait for htmx's autosave to finish, then check it stored `expected` and that the
    page holds the draft's new revision.

    Pressing a button while an autosave is still under way posts the old revision, and
    the server takes that for a save from an older tab (409, and the answer shown may be
    an intermediate one); a person is rarely that quick on a fast connection, a test is.
    The wait is in the page, not a polling of the database: SQLite's shared in-memory
    test database refuses a read while the live server writes ("table is locked").
    """
    # htmx marks the form while a request is under way, and issues a queued one
    # (hx-sync "queue last") before it takes the mark off.
    page.wait_for_function(
        "() => !document.querySelector('form[data-survey-form]').classList.contains('htmx-request')"
    )
    draft = Draft.objects.get(invitation=invitation)
    for code, value in expected.items():
        assert draft.answers.get(code) == value, f"{code} not saved: the draft has {draft.answers}"
    expect(page.locator("#survey-revision")).to_have_value(str(draft.revision))
    return draft


def expect_answers_shown(page: Page, answers: dict[str, int]) -> None:
    """Each chosen radio is checked, and no other radio of its group."""
    for code, value in answers.items():
        expect(radio(page, code, value)).to_be_checked()
        expect(page.locator(f'input[name="{code}"]:checked')).to_have_count(1)


def stored_answers() -> dict[str, int | str]:
    """The answers of the one stored response, by question code."""
    response = Response.objects.get()
    return {
        answer.question.code: answer.text
        if answer.question.kind == Question.Kind.OPEN
        else answer.number
        for answer in Answer.objects.filter(response=response).select_related("question")
    }


def assert_submitted_once(link: PersonalLink, expected: dict[str, int | str]) -> None:
    assert Response.objects.count() == 1
    assert stored_answers() == expected
    response = Response.objects.get()
    assert response.round_id == link.invitation.round_id
    assert response.respondent_group == link.invitation.respondent_group
    link.invitation.refresh_from_db()
    assert link.invitation.used_at is not None
    assert link.invitation.started_at is not None
    assert SubmissionReceipt.objects.filter(invitation=link.invitation).count() == 1
    assert not Draft.objects.exists()


def assert_token_only_in_the_link(requests: list[Request], link: PersonalLink) -> None:
    """The token was sent only as the link itself: never in another URL or a Referer."""
    with_token = [request.url for request in requests if link.token in request.url]
    assert with_token, "the personal link was never requested"
    assert {urlsplit(url).path for url in with_token} == {link.path}
    referers = [request.headers.get("referer", "") for request in requests]
    assert not [referer for referer in referers if link.token in referer]


def assert_no_horizontal_scrolling(page: Page) -> None:
    """WCAG 1.4.10 Reflow: at 320 CSS pixels wide nothing needs scrolling sideways."""
    widths = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"{page.url} is {widths[0]}px wide in a {widths[1]}px window"


def forget_the_browser(context: BrowserContext, page: Page) -> Page:
    """Close the page and drop the cookies, as closing the browser ends its session."""
    page.close()
    context.clear_cookies()
    assert context.cookies() == []
    return context.new_page()


# --- Tests ---------------------------------------------------------------------------------


def test_a_partner_fills_in_by_keyboard_resumes_with_the_same_link_and_submits(
    context: BrowserContext,
    page: Page,
    personal_link: PersonalLink,
    requests_seen: list[Request],
    tab_to: Callable[..., int],
    assert_accessible: Callable[[Page], None],
) -> None:
    invitation = personal_link.invitation

    # The link is exchanged for a session and a token-free address: the first section.
    page.goto(personal_link.path)
    expect_section(page, 1)
    assert personal_link.token not in page.url
    expect(page.locator(f'input[name="{MARK}"]')).to_have_count(10)
    expect(page.locator(f'input[name="{MARK}"]:checked')).to_have_count(0)
    assert_accessible(page)

    # The report mark: Tab into the group, arrow keys to 7; htmx saves each change.
    choose_by_keyboard(page, tab_to, MARK, 7)
    wait_until_saved(page, invitation, {MARK: 7})
    tab_to(page, button(page, "next"))
    page.keyboard.press("Enter")
    expect_section(page, 2)
    # Eight properties, each its own radio group of five.
    expect(page.locator('fieldset[id^="id_q1b-"]')).to_have_count(8)
    for name in PROPERTIES:
        expect(page.locator(f'#id_{prop(name)} input[type="radio"]')).to_have_count(5)
    assert_accessible(page)

    # A few properties, from one group to the next with Tab (the last one by Space).
    first_part = {prop("betrouwbaar"): 4, prop("toegankelijk"): 2, prop("deskundig"): 1}
    for code, value in first_part.items():
        choose_by_keyboard(page, tab_to, code, value)
    wait_until_saved(page, invitation, {MARK: 7, **first_part})
    assert_accessible(page)

    # The partner closes the browser without pressing a button ...
    page = forget_the_browser(context, page)

    # ... and returns with the same link: back on the section where they left off,
    # with their answers.
    page.goto(personal_link.path)
    expect_section(page, 2)
    assert personal_link.token not in page.url
    expect_answers_shown(page, first_part)
    for name in PROPERTIES[3:]:
        expect(page.locator(f'input[name="{prop(name)}"]:checked')).to_have_count(0)
    assert_accessible(page)

    # The mark is there too; they change it from 7 to 8.
    tab_to(page, button(page, "previous"))
    page.keyboard.press("Enter")
    expect_section(page, 1)
    expect_answers_shown(page, {MARK: 7})
    assert_accessible(page)
    choose_by_keyboard(page, tab_to, MARK, 8)
    wait_until_saved(page, invitation, {MARK: 8})
    tab_to(page, button(page, "next"))
    page.keyboard.press("Enter")
    expect_section(page, 2)
    expect_answers_shown(page, first_part)
    assert_accessible(page)

    # All but one of the remaining properties, then "Next": the section is refused,
    # with an error summary that takes focus and links to the missing question.
    second_part = {
        prop("flexibel"): 3,
        prop("ruimte-voor-inbreng"): 5,
        prop("doelgericht"): 2,
        prop("transparant"): 4,
    }
    for code, value in second_part.items():
        choose_by_keyboard(page, tab_to, code, value)
    wait_until_saved(page, invitation, second_part)
    tab_to(page, button(page, "next"))
    page.keyboard.press("Enter")
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect_section(page, 2)
    missing = summary.locator(f'a[href="#id_{prop("betrokken")}_0"]')
    expect(missing).to_have_count(1)
    expect(summary.locator("a")).to_have_count(1)
    expect(page.locator(f"#id_{prop('betrokken')}_error")).to_have_count(1)
    expect_answers_shown(page, {**first_part, **second_part})
    assert_accessible(page)

    # The summary's link leads into the missing group; arrow keys answer it there.
    page.keyboard.press("Tab")
    expect(missing).to_be_focused()
    page.keyboard.press("Enter")
    expect(radio(page, prop("betrokken"), 1)).to_be_focused()
    choose_by_keyboard(page, tab_to, prop("betrokken"), 4, tab=False)
    last_property = {prop("betrokken"): 4}
    wait_until_saved(page, invitation, last_property)
    tab_to(page, button(page, "next"))
    page.keyboard.press("Enter")
    expect_section(page, 3)
    assert_accessible(page)

    # An open question, typed; leaving the field saves it.
    improve = page.locator(f'textarea[name="{IMPROVE}"]')
    tab_to(page, improve)
    page.keyboard.type("Sneller terugbellen na een melding.")
    page.keyboard.press("Tab")
    wait_until_saved(page, invitation, {IMPROVE: "Sneller terugbellen na een melding."})
    tab_to(page, button(page, "next"))
    page.keyboard.press("Enter")

    # The review step: nothing missing; send.
    expect(page).to_have_url(re.compile(rf"{REVIEW_URL}$"))
    expect(page.locator("[data-missing]")).to_have_count(0)
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page)
    tab_to(page, page.locator(f'form[action="{SUBMIT_URL}"] button[type="submit"]'))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"{DONE_URL}$"))
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page)

    assert_submitted_once(
        personal_link,
        {
            MARK: 8,
            **first_part,
            **second_part,
            **last_property,
            IMPROVE: "Sneller terugbellen na een melding.",
        },
    )

    # The link has done its work: it now says so, also in a fresh browser.
    page.goto(personal_link.path)
    expect(page).to_have_url(re.compile(rf"{USED_URL}$"))
    assert_accessible(page)
    page = forget_the_browser(context, page)
    page.goto(personal_link.path)
    expect(page).to_have_url(re.compile(rf"{USED_URL}$"))
    assert_accessible(page)
    assert Response.objects.count() == 1

    assert_token_only_in_the_link(requests_seen, personal_link)


def test_without_javascript_on_a_phone_the_buttons_save_and_the_link_resumes(
    no_js_context: BrowserContext,
    personal_link: PersonalLink,
    assert_accessible: Callable[[Page], None],
) -> None:
    invitation = personal_link.invitation
    requests = record_requests(no_js_context)
    page = no_js_context.new_page()
    page.set_viewport_size(PHONE)

    page.goto(personal_link.path)
    expect_section(page, 1)
    assert page.evaluate("typeof htmx") == "undefined"  # really no page scripts
    assert_accessible(page)

    # Nothing is saved until a button is pressed.
    radio(page, MARK, 6).check()
    assert draft_answers(invitation) == {}
    button(page, "next").click()
    expect_section(page, 2)
    assert draft_answers(invitation) == {MARK: 6}
    assert_accessible(page)

    first_part = {
        prop(name): value for name, value in zip(PROPERTIES[:4], [5, 4, 4, 3], strict=True)
    }
    for code, value in first_part.items():
        radio(page, code, value).check()
    button(page, "save").click()
    expect_section(page, 2)
    assert draft_answers(invitation) == {MARK: 6, **first_part}
    expect_answers_shown(page, first_part)
    assert_accessible(page)

    assert_no_horizontal_scrolling(page)

    # Closed and reopened with the same link: the saved answers are back.
    page = forget_the_browser(no_js_context, page)
    page.set_viewport_size(PHONE)
    page.goto(personal_link.path)
    expect_section(page, 2)
    expect_answers_shown(page, first_part)
    assert_accessible(page)

    second_part = {
        prop(name): value for name, value in zip(PROPERTIES[4:], [2, 3, 4, 1], strict=True)
    }
    for code, value in second_part.items():
        radio(page, code, value).check()
    button(page, "next").click()
    expect_section(page, 3)
    assert_accessible(page)
    button(page, "next").click()

    expect(page).to_have_url(re.compile(rf"{REVIEW_URL}$"))
    expect(page.locator("[data-missing]")).to_have_count(0)
    assert_accessible(page)
    page.locator(f'form[action="{SUBMIT_URL}"] button[type="submit"]').click()
    expect(page).to_have_url(re.compile(rf"{DONE_URL}$"))
    assert_accessible(page)

    assert_submitted_once(personal_link, {MARK: 6, **first_part, **second_part})

    page.goto(personal_link.path)
    expect(page).to_have_url(re.compile(rf"{USED_URL}$"))
    assert_accessible(page)
    assert_token_only_in_the_link(requests, personal_link)


def test_pressing_next_while_an_autosave_is_on_its_way_keeps_the_answer(
    page: Page,
    personal_link: PersonalLink,
    tab_to: Callable[..., int],
    assert_accessible: Callable[[Page], None],
) -> None:
    """The button waits for the autosave instead of posting a stale revision, which the
    server would refuse as a save from another window (found by this test's author)."""
    invitation = personal_link.invitation
    page.goto(personal_link.path)
    expect_section(page, 1)
    assert_accessible(page)
    choose_by_keyboard(page, tab_to, MARK, 7)
    # Enter on the radio submits with the first button ("next") at once, no waiting.
    page.keyboard.press("Enter")
    expect_section(page, 2)
    assert_accessible(page)
    assert draft_answers(invitation).get(MARK) == 7
