"""Filling in the thermometer: section pages, saving as you go, review and submit (#4)."""

import datetime
import re

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest

from tests.factories import InvitationFactory, RoundFactory
from tests.portal.test_security import scan
from thermometer.models import (
    Answer,
    Draft,
    Invitation,
    Question,
    Response,
    SubmissionReceipt,
)
from thermometer.services.access import SESSION_KEY

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
ENGLISH = {"Accept-Language": "en"}
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
SCALE_ANSWERS = {f"q1b-{name}": 4 for name in PROPERTIES}
COMPLETE = {"q1a": 7, **SCALE_ANSWERS, "open-verbeteren": "Sneller terugbellen."}


def section_url(position: int) -> str:
    return reverse("thermometer:survey_section", args=[position])


START = reverse("thermometer:survey_start")
REVIEW = reverse("thermometer:survey_review")
SUBMIT = reverse("thermometer:survey_submit")
DONE = reverse("thermometer:survey_done")


def answering(invitation: Invitation) -> Client:
    """A browser whose session answers for the invitation (as after the token exchange)."""
    client = Client()
    session = client.session
    session[SESSION_KEY] = invitation.pk
    session.save()
    return client


@pytest.fixture
def invitation() -> Invitation:
    return InvitationFactory()


@pytest.fixture
def client_for(invitation: Invitation) -> Client:
    return answering(invitation)


def complete_draft(invitation: Invitation, **fields: object) -> Draft:
    values = {"answers": dict(COMPLETE), "revision": 5, "current_section": 4, **fields}
    return Draft.objects.create(invitation=invitation, **values)


def template_names(response) -> list[str]:
    return [template.name for template in response.templates]


# --- Who may fill in --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", START),
        ("get", section_url(1)),
        ("post", section_url(1)),
        ("get", REVIEW),
        ("post", SUBMIT),
        ("get", DONE),
    ],
)
def test_without_a_session_invitation_every_page_asks_for_the_personal_link(
    client: Client, db: None, method: str, url: str
) -> None:
    response = getattr(client, method)(url, {"revision": "0"} if method == "post" else None)
    assert response.status_code == 403
    assert "thermometer/survey_no_invitation.html" in template_names(response)


def test_a_revoked_invitation_counts_as_no_invitation(invitation: Invitation) -> None:
    client = answering(invitation)
    Invitation.objects.filter(pk=invitation.pk).update(revoked_at=timezone.now())
    assert client.get(section_url(1)).status_code == 403


def test_an_htmx_save_without_invitation_sends_the_whole_page_to_the_explanation(
    client: Client, db: None
) -> None:
    response = client.post(section_url(1), {"revision": "0", "q1a": "7"}, headers=HTMX)
    assert response.status_code == 403
    assert response["HX-Redirect"] == START


@pytest.mark.parametrize("url", [START, section_url(1), REVIEW])
def test_a_used_invitation_goes_to_the_link_used_page(invitation: Invitation, url: str) -> None:
    Invitation.objects.filter(pk=invitation.pk).update(used_at=timezone.now())
    response = answering(invitation).get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("thermometer:link_used")


def test_a_save_after_submitting_stores_nothing(invitation: Invitation) -> None:
    Invitation.objects.filter(pk=invitation.pk).update(used_at=timezone.now())
    response = answering(invitation).post(section_url(1), {"revision": "0", "q1a": "7"})
    assert response["Location"] == reverse("thermometer:link_used")
    assert not Draft.objects.exists()


def test_a_section_number_beyond_the_questionnaire_is_a_404(client_for: Client) -> None:
    assert client_for.get(section_url(9)).status_code == 404


# --- Closing time: the survey says so and keeps nothing new ------------------------------


@pytest.fixture(params=["status closed", "past closing time"])
def closed_invitation(request: pytest.FixtureRequest) -> Invitation:
    now = timezone.now()
    if request.param == "status closed":
        survey_round = RoundFactory(status="closed")
    else:
        survey_round = RoundFactory(
            opens_at=now - datetime.timedelta(days=30), closes_at=now - datetime.timedelta(hours=1)
        )
    return InvitationFactory(round=survey_round)


@pytest.mark.parametrize("url", [START, section_url(1), REVIEW])
def test_after_closing_time_the_pages_say_the_survey_is_closed(
    closed_invitation: Invitation, url: str
) -> None:
    response = answering(closed_invitation).get(url)
    assert response.status_code == 410
    assert "thermometer/survey_closed.html" in template_names(response)


def test_after_closing_time_a_save_stores_nothing(closed_invitation: Invitation) -> None:
    client = answering(closed_invitation)
    plain = client.post(section_url(1), {"revision": "0", "q1a": "7", "action": "save"})
    htmx = client.post(section_url(1), {"revision": "0", "q1a": "7"}, headers=HTMX)
    assert plain.status_code == 410
    assert htmx.status_code == 410
    assert htmx["HX-Redirect"] == START
    assert not Draft.objects.exists()
    closed_invitation.refresh_from_db()
    assert closed_invitation.started_at is None


def test_after_closing_time_a_submit_stores_nothing(closed_invitation: Invitation) -> None:
    complete_draft(closed_invitation)
    response = answering(closed_invitation).post(SUBMIT, {"revision": "5"})
    assert response.status_code == 410
    assert not Response.objects.exists()
    assert not SubmissionReceipt.objects.exists()
    assert Draft.objects.filter(invitation=closed_invitation).exists()
    closed_invitation.refresh_from_db()
    assert closed_invitation.used_at is None


def test_before_opening_time_the_page_says_when_it_opens(db: None) -> None:
    now = timezone.now()
    survey_round = RoundFactory(
        opens_at=now + datetime.timedelta(days=1), closes_at=now + datetime.timedelta(days=20)
    )
    response = answering(InvitationFactory(round=survey_round)).get(section_url(1))
    assert response.status_code == 403
    assert response.context["not_yet"] is True


# --- Section pages ------------------------------------------------------------------------


def test_start_begins_at_the_first_section(client_for: Client) -> None:
    response = client_for.get(START)
    assert response["Location"] == section_url(1)


def test_start_resumes_where_the_respondent_left_off(invitation: Invitation) -> None:
    Draft.objects.create(invitation=invitation, current_section=2)
    assert answering(invitation).get(START)["Location"] == section_url(2)
    Draft.objects.filter(invitation=invitation).update(current_section=4)
    assert answering(invitation).get(START)["Location"] == REVIEW


def test_a_section_page_shows_the_step_in_text_and_in_an_ordered_list(
    client_for: Client,
) -> None:
    response = client_for.get(section_url(2), headers=ENGLISH)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Step 2 of 4" in html
    assert re.search(r'<span aria-current="step">Eigenschappen van de provincie</span>', html)
    assert html.count('class="survey-steps__item') == 4
    assert response["Cache-Control"].startswith("max-age=0")


def test_the_properties_grid_is_a_fieldset_with_labelled_radios_per_property(
    client_for: Client,
) -> None:
    html = client_for.get(section_url(2)).content.decode()
    fieldsets = re.findall(r"<fieldset\b[^>]*>.*?</fieldset>", html, re.DOTALL)
    assert len(fieldsets) == 8
    assert 'id="scale-help"' in html and 'id="section-intro"' in html
    for fieldset in fieldsets:
        opening = re.match(r"<fieldset\b[^>]*>", fieldset)[0]
        assert 'aria-describedby="section-intro scale-help"' in opening
        assert len(re.findall(r"<legend\b", fieldset)) == 1
        radios = re.findall(r'<input type="radio"[^>]*id="([^"]+)"', fieldset)
        labels = re.findall(r'<label[^>]*for="([^"]+)"[^>]*>([^<]+)</label>', fieldset)
        assert len(radios) == 5
        assert [target for target, _ in labels] == radios
        # One name per fieldset: one radio group, so arrow keys move within it.
        assert len(set(re.findall(r'name="([^"]+)"', fieldset))) == 1


def test_the_report_mark_is_a_group_of_ten_labelled_radios(client_for: Client) -> None:
    html = client_for.get(section_url(1)).content.decode()
    [fieldset] = re.findall(r"<fieldset\b[^>]*>.*?</fieldset>", html, re.DOTALL)
    labels = re.findall(r'<label[^>]*for="id_q1a_\d"[^>]*>(\d+)</label>', fieldset)
    assert labels == [str(number) for number in range(1, 11)]


def test_the_form_works_without_javascript_and_carries_the_revision(
    client_for: Client,
) -> None:
    html = client_for.get(section_url(2)).content.decode()
    form = re.search(r"<form method=\"post\"[^>]*>", html)[0]
    assert "novalidate" in form and f'action="{section_url(2)}"' in form
    assert f'hx-post="{section_url(2)}"' in form
    assert '<input type="hidden" id="survey-revision" name="revision" value="0">' in html
    for action in ("next", "save", "previous"):
        assert f'type="submit" name="action" value="{action}"' in html
    assert 'role="status"' in html and 'id="save-status"' in html


@pytest.mark.parametrize("position", [1, 2, 3])
def test_section_pages_have_no_inline_code(client_for: Client, position: int) -> None:
    client_for.post(section_url(position), {"revision": "0", "q1a": "11", "action": "next"})
    invalid = client_for.post(section_url(1), {"revision": "0", "q1a": "11"})
    assert scan(client_for.get(section_url(position)).content.decode()) == []
    assert scan(invalid.content.decode()) == []


def test_section_pages_take_the_same_number_of_queries_whatever_their_size(
    invitation: Invitation,
) -> None:
    client = answering(invitation)

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    without_draft = [queries(section_url(position)) for position in (1, 2, 3)]
    complete_draft(invitation)
    with_draft = [queries(section_url(position)) for position in (1, 2, 3)]
    assert len(set(without_draft + with_draft)) == 1, (without_draft, with_draft)
    assert queries(REVIEW) == without_draft[0]


# --- Saving as you go -----------------------------------------------------------------------


def test_the_save_button_stores_the_section_and_stays(
    client_for: Client, invitation: Invitation
) -> None:
    response = client_for.post(section_url(1), {"revision": "0", "q1a": "8", "action": "save"})
    assert response.status_code == 302
    assert response["Location"] == section_url(1)
    draft = Draft.objects.get(invitation=invitation)
    assert draft.answers == {"q1a": 8}
    assert draft.revision == 1
    assert draft.current_section == 1
    invitation.refresh_from_db()
    assert invitation.started_at is not None


def test_an_htmx_change_saves_and_answers_with_a_small_fragment(
    client_for: Client, invitation: Invitation
) -> None:
    response = client_for.post(section_url(1), {"revision": "0", "q1a": "6"}, headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "HX-Request" in response["Vary"]
    assert '<input type="hidden" id="survey-revision" name="revision" value="1" ' in html
    assert 'hx-swap-oob="true"' in html
    assert Draft.objects.get(invitation=invitation).answers == {"q1a": 6}


def test_htmx_saves_one_after_another_each_use_the_new_revision(
    client_for: Client, invitation: Invitation
) -> None:
    for revision, answer in enumerate(["3", "4", "5"]):
        data = {"revision": str(revision), **{f"q1b-{name}": answer for name in PROPERTIES[:2]}}
        assert client_for.post(section_url(2), data, headers=HTMX).status_code == 200
    draft = Draft.objects.get(invitation=invitation)
    assert draft.revision == 3
    assert draft.answers == {"q1b-betrouwbaar": 5, "q1b-toegankelijk": 5}


def test_clearing_an_answer_removes_it_from_the_draft(
    client_for: Client, invitation: Invitation
) -> None:
    complete_draft(invitation)
    client_for.post(section_url(3), {"revision": "5", "open-verbeteren": "  "}, headers=HTMX)
    assert "open-verbeteren" not in Draft.objects.get(invitation=invitation).answers


def test_next_moves_on_when_the_section_is_complete(
    client_for: Client, invitation: Invitation
) -> None:
    data = {"revision": "0", "action": "next", **SCALE_ANSWERS}
    response = client_for.post(section_url(2), data)
    assert response["Location"] == section_url(3)
    assert Draft.objects.get(invitation=invitation).current_section == 3


def test_next_on_the_last_section_goes_to_the_review(
    client_for: Client, invitation: Invitation
) -> None:
    response = client_for.post(section_url(3), {"revision": "0", "action": "next"})
    assert response["Location"] == REVIEW
    assert Draft.objects.get(invitation=invitation).current_section == 4


def test_previous_saves_and_goes_back_even_when_incomplete(
    client_for: Client, invitation: Invitation
) -> None:
    data = {"revision": "0", "action": "previous", "q1b-betrouwbaar": "2"}
    response = client_for.post(section_url(2), data)
    assert response["Location"] == section_url(1)
    assert Draft.objects.get(invitation=invitation).answers == {"q1b-betrouwbaar": 2}


def test_next_with_missing_answers_keeps_the_partial_answers_and_shows_the_errors(
    client_for: Client, invitation: Invitation
) -> None:
    data = {"revision": "0", "action": "next", "q1b-betrouwbaar": "5"}
    response = client_for.post(section_url(2), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {f"q1b-{name}" for name in PROPERTIES[1:]}
    summary = re.search(r"data-error-summary>.*?</div>", html, re.DOTALL)[0]
    assert summary.count("<li>") == 7
    assert 'href="#id_q1b-toegankelijk_0"' in summary
    assert 'id="id_q1b-toegankelijk_error"' in html
    assert "id_q1b-toegankelijk_error" in re.search(r'id="id_q1b-toegankelijk"[^>]*>', html)[0]
    # The draft keeps what was given; the page carries the new revision.
    draft = Draft.objects.get(invitation=invitation)
    assert draft.answers == {"q1b-betrouwbaar": 5}
    assert draft.current_section == 2
    assert f'name="revision" value="{draft.revision}"' in html
    assert re.search(r'value="5" id="id_q1b-betrouwbaar_4"[^>]*checked', html)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"q1a": "11"}, "q1a"),
        ({"q1a": "0"}, "q1a"),
        ({"q1a": "zeven"}, "q1a"),
    ],
)
def test_a_mark_outside_1_to_10_is_refused_and_nothing_is_stored(
    client_for: Client, data: dict[str, str], field: str
) -> None:
    response = client_for.post(section_url(1), {"revision": "0", "action": "save", **data})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert "data-error-summary" in response.content.decode()
    assert not Draft.objects.exists()


def test_a_scale_answer_outside_1_to_5_is_refused(client_for: Client) -> None:
    data = {"revision": "0", "action": "save", "q1b-betrouwbaar": "6"}
    response = client_for.post(section_url(2), data)
    assert "q1b-betrouwbaar" in response.context["form"].errors
    assert not Draft.objects.exists()


def test_open_answers_are_optional_and_at_most_2000_characters(
    client_for: Client, invitation: Invitation
) -> None:
    too_long = client_for.post(
        section_url(3), {"revision": "0", "action": "next", "open-behouden": "x" * 2001}
    )
    assert list(too_long.context["form"].errors) == ["open-behouden"]
    assert not Draft.objects.exists()
    fits = client_for.post(
        section_url(3), {"revision": "0", "action": "next", "open-behouden": "x" * 2000}
    )
    assert fits["Location"] == REVIEW
    assert len(Draft.objects.get(invitation=invitation).answers["open-behouden"]) == 2000


def test_the_error_messages_are_dutch_by_default(client_for: Client) -> None:
    response = client_for.post(section_url(1), {"revision": "0", "action": "next"})
    assert response.status_code == 200
    assert "Er is een probleem" in response.content.decode()


def test_an_invalid_htmx_save_says_it_was_not_saved(client_for: Client) -> None:
    response = client_for.post(
        section_url(1), {"revision": "0", "q1a": "12"}, headers={**HTMX, **ENGLISH}
    )
    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    assert response.content.decode().startswith("Not saved")
    assert not Draft.objects.exists()


def test_coming_back_with_the_same_link_finds_the_answers(invitation: Invitation) -> None:
    first_visit = answering(invitation)
    first_visit.post(section_url(1), {"revision": "0", "q1a": "9"}, headers=HTMX)
    first_visit.post(section_url(2), {"revision": "1", "q1b-deskundig": "3"}, headers=HTMX)
    second_visit = answering(invitation)  # a new browser session, same invitation
    assert second_visit.get(START)["Location"] == section_url(2)
    html = second_visit.get(section_url(2)).content.decode()
    assert re.search(r'value="3" id="id_q1b-deskundig_2"[^>]*checked', html)
    html = second_visit.get(section_url(1)).content.decode()
    assert re.search(r'value="9" id="id_q1a_8"[^>]*checked', html)


# --- Two tabs -------------------------------------------------------------------------------


def test_a_save_from_an_older_tab_is_refused_and_shows_the_current_answers(
    invitation: Invitation,
) -> None:
    tab_a, tab_b = answering(invitation), answering(invitation)
    tab_a.post(section_url(1), {"revision": "0", "q1a": "9", "action": "save"})
    response = tab_b.post(section_url(1), {"revision": "0", "q1a": "2", "action": "save"})
    html = response.content.decode()
    assert response.status_code == 409
    assert [m.level_tag for m in response.context["messages"]] == ["warning"]
    assert re.search(r'value="9" id="id_q1a_8"[^>]*checked', html)
    assert not re.search(r'value="2" id="id_q1a_1"[^>]*checked', html)
    assert 'name="revision" value="1"' in html
    draft = Draft.objects.get(invitation=invitation)
    assert (draft.answers, draft.revision) == ({"q1a": 9}, 1)


def test_an_htmx_save_from_an_older_tab_reloads_the_page_with_a_message(
    invitation: Invitation,
) -> None:
    tab_a, tab_b = answering(invitation), answering(invitation)
    tab_a.post(section_url(1), {"revision": "0", "q1a": "9"}, headers=HTMX)
    # The message is stored in the language of the request that stores it.
    response = tab_b.post(
        section_url(1), {"revision": "0", "q1a": "2"}, headers={**HTMX, **ENGLISH}
    )
    assert response.status_code == 409
    assert response["HX-Redirect"] == section_url(1)
    assert Draft.objects.get(invitation=invitation).answers == {"q1a": 9}
    reloaded = tab_b.get(section_url(1), headers=ENGLISH)
    assert "changed in another window" in reloaded.content.decode()


def test_a_form_without_a_readable_revision_counts_as_out_of_date(
    client_for: Client, invitation: Invitation
) -> None:
    response = client_for.post(section_url(1), {"revision": "x", "q1a": "4", "action": "save"})
    assert response.status_code == 409
    assert not Draft.objects.filter(invitation=invitation, revision__gt=0).exists()


# --- Review ----------------------------------------------------------------------------------


def test_the_review_lists_missing_required_answers_with_links(
    client_for: Client, invitation: Invitation
) -> None:
    answers = {key: value for key, value in COMPLETE.items() if key != "q1b-flexibel"}
    complete_draft(invitation, answers=answers)
    response = client_for.get(REVIEW)
    html = response.content.decode()
    assert [q.code for q in response.context["missing"]] == ["q1b-flexibel"]
    missing = re.search(r"<ul[^>]*data-missing>.*?</ul>", html, re.DOTALL)[0]
    assert f'href="{section_url(2)}#id_q1b-flexibel_0"' in missing
    assert html.count('class="utrecht-link utrecht-link--html-a" href="/thermometer/invullen/') >= 3
    assert "Sneller terugbellen." in html


def test_the_review_of_a_complete_draft_lists_nothing_missing(
    client_for: Client, invitation: Invitation
) -> None:
    complete_draft(invitation)
    response = client_for.get(REVIEW, headers=ENGLISH)
    assert response.context["missing"] == []
    html = response.content.decode()
    assert "Step 4 of 4" in html
    assert "good" in html  # the scale shown as its label, not as 4
    assert '<input type="hidden" name="revision" value="5">' in html


# --- Submit ----------------------------------------------------------------------------------


def test_submit_stores_one_anonymous_response_with_the_answers(
    client_for: Client, invitation: Invitation
) -> None:
    complete_draft(invitation)
    response = client_for.post(SUBMIT, {"revision": "5"})
    assert response.status_code == 302
    assert response["Location"] == DONE
    stored = Response.objects.get()
    assert stored.round == invitation.round
    assert stored.questionnaire == invitation.round.external_questionnaire
    assert stored.respondent_group == "gemeente"
    assert stored.organisation is None  # the round does not record organisations
    assert type(stored.submitted_on) is datetime.date
    assert stored.submitted_on == timezone.localdate()
    answers = {
        answer.question.code: answer.number if answer.number is not None else answer.text
        for answer in Answer.objects.select_related("question")
    }
    assert answers == COMPLETE
    assert {answer.question.questionnaire_id for answer in stored.answers.all()} == {
        stored.questionnaire_id
    }
    assert not Draft.objects.exists()
    invitation.refresh_from_db()
    assert invitation.used_at is not None
    assert SubmissionReceipt.objects.filter(invitation=invitation).exists()


def test_nothing_on_a_response_or_answer_points_to_an_invitation_or_person() -> None:
    personal = {"Invitation", "SubmissionReceipt", "Draft", "Contact", "User"}
    # Answer.hidden_by names the administrator who hid an identifying open answer: a
    # person, but never the respondent.
    not_the_respondent = {"hidden_by"}
    for model in (Response, Answer):
        related = {
            field.related_model.__name__
            for field in model._meta.get_fields()
            if field.is_relation
            and field.related_model is not None
            and field.name not in not_the_respondent
        }
        assert related & personal == set(), model
        names = {field.name for field in model._meta.get_fields()}
        assert not {"invitation", "contact", "user", "email", "token_hash"} & names
        times = [
            f.name for f in model._meta.get_fields() if f.get_internal_type() == "DateTimeField"
        ]
        assert times in ([], ["hidden_at"]), model


def test_the_organisation_is_kept_only_when_the_round_records_it(db: None) -> None:
    invitation = InvitationFactory(round=RoundFactory(record_organisation=True))
    complete_draft(invitation)
    answering(invitation).post(SUBMIT, {"revision": "5"})
    assert Response.objects.get().organisation == invitation.organisation


def test_staff_answer_the_internal_questionnaire(db: None) -> None:
    invitation = InvitationFactory(
        respondent_group="staff", contact=None, organisation=None, email="staf@example.invalid"
    )
    client = answering(invitation)
    assert client.get(section_url(4)).status_code == 200  # four sections for staff
    internal = Question.objects.filter(questionnaire=invitation.round.internal_questionnaire)
    answers = {q.code: 3 for q in internal if q.kind != "open"}
    complete_draft(invitation, answers=answers)
    assert client.post(SUBMIT, {"revision": "5"})["Location"] == DONE
    stored = Response.objects.get()
    assert stored.questionnaire == invitation.round.internal_questionnaire
    assert (stored.respondent_group, stored.organisation) == ("staff", None)
    assert stored.answers.count() == len(answers) == 19


def test_submit_refuses_while_required_answers_are_missing(
    client_for: Client, invitation: Invitation
) -> None:
    complete_draft(invitation, answers={"q1a": 7})
    response = client_for.post(SUBMIT, {"revision": "5"})
    assert response.status_code == 200
    assert response.context["refused"] is True
    assert len(response.context["missing"]) == 8
    assert "data-error-summary" in response.content.decode()
    assert not Response.objects.exists()
    invitation.refresh_from_db()
    assert invitation.used_at is None


def test_submit_from_an_out_of_date_review_is_refused(
    client_for: Client, invitation: Invitation
) -> None:
    complete_draft(invitation)
    response = client_for.post(SUBMIT, {"revision": "4"})
    assert response.status_code == 409
    assert not Response.objects.exists()
    assert response.context["draft"].revision == 5


def test_a_second_submit_is_told_the_answers_were_already_sent(
    client_for: Client, invitation: Invitation
) -> None:
    complete_draft(invitation)
    first = client_for.post(SUBMIT, {"revision": "5"})
    again = client_for.post(SUBMIT, {"revision": "5"})
    other_tab = answering(invitation).post(SUBMIT, {"revision": "5"})
    assert first.status_code == 302
    for response in (again, other_tab):
        assert response.status_code == 409
        assert "thermometer/survey_already_submitted.html" in template_names(response)
    assert Response.objects.count() == 1


def test_submit_only_takes_posts(client_for: Client) -> None:
    assert client_for.get(SUBMIT).status_code == 405


def test_the_thank_you_page_follows_the_submit(client_for: Client, invitation: Invitation) -> None:
    assert client_for.get(DONE)["Location"] == START  # nothing sent yet
    complete_draft(invitation)
    response = client_for.post(SUBMIT, {"revision": "5"}, follow=True)
    assert response.status_code == 200
    assert "thermometer/survey_done.html" in template_names(response)
    assert client_for.get(section_url(1))["Location"] == reverse("thermometer:link_used")
