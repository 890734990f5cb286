"""results_answers and results_answer_hide: open answers for staff, hidden by administrators."""

import datetime
import uuid

from django.test import Client
from django.urls import reverse

import pytest

from portal.lib.models import User
from tests.factories import OrganisationFactory, RoundFactory, add_response
from thermometer.models import Answer, Response, Round
from thermometer.services.answers import answer_reference

EN = {"accept-language": "en"}

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def threshold(settings) -> None:
    settings.THERMOMETER_MIN_GROUP_SIZE_OPEN = 10


@pytest.fixture
def survey_round() -> Round:
    return RoundFactory(status="published", name="Ronde 2026")


def answers_url(survey_round: Round) -> str:
    return reverse("thermometer:results_answers", args=[survey_round.pk])


def hide_url(survey_round: Round) -> str:
    return reverse("thermometer:results_answer_hide", args=[survey_round.pk])


def respond(survey_round: Round, group: str, count: int, **fields: object) -> list[Response]:
    return [
        add_response(
            survey_round,
            group=group,
            answers={"q1a": 7, "open-verbeteren": f"{group} zegt {n}"},
            **fields,
        )
        for n in range(count)
    ]


def reference(answer: Answer) -> str:
    return answer_reference(answer.response_id, answer.question.code)


def page(client: Client, survey_round: Round, query: str = "") -> str:
    response = client.get(answers_url(survey_round) + query, headers=EN)
    assert response.status_code == 200
    return response.content.decode()


# --- Who may read -------------------------------------------------------------------


def test_outsiders_and_partners_may_not_read_open_answers(
    outsider_client: Client, partner_client: Client, survey_round: Round
) -> None:
    assert outsider_client.get(answers_url(survey_round)).status_code == 403
    assert partner_client.get(answers_url(survey_round)).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login_page(survey_round: Round) -> None:
    response = Client().get(answers_url(survey_round))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("status", ["draft", "open"])
def test_open_answers_of_a_round_without_results_are_not_found(
    staff_client: Client, status: str
) -> None:
    survey_round = RoundFactory(status=status)
    respond(survey_round, "staff", 10)
    assert staff_client.get(answers_url(survey_round)).status_code == 404


def test_staff_read_the_open_answers_of_a_closed_round(staff_client: Client) -> None:
    survey_round = RoundFactory(status="closed")
    respond(survey_round, "staff", 10)
    assert "staff zegt 3" in page(staff_client, survey_round)


# --- What is shown ------------------------------------------------------------------


def test_it_shows_large_groups_and_withholds_the_text_of_small_ones(
    staff_client: Client, survey_round: Round
) -> None:
    respond(survey_round, "staff", 10)
    respond(survey_round, "gemeente", 4)
    body = page(staff_client, survey_round)
    assert "staff zegt 9" in body
    assert "gemeente zegt" not in body
    assert "4 answers not shown: too few respondents in this group." in body


def test_it_shows_small_partner_groups_together(staff_client: Client, survey_round: Round) -> None:
    respond(survey_round, "gemeente", 12)
    respond(survey_round, "waterschap", 5)
    respond(survey_round, "uitvoeringsdienst", 5)
    body = page(staff_client, survey_round)
    assert "Partners in smaller groups" in body
    assert 'data-block="smaller-partners"' in body
    assert "waterschap zegt 4" in body
    assert "not shown" not in body


def test_it_never_shows_organisation_or_date_of_a_response(
    staff_client: Client, survey_round: Round
) -> None:
    survey_round.record_organisation = True
    survey_round.save()
    organisation = OrganisationFactory(name="Gemeente Lopik")
    respond(
        survey_round,
        "gemeente",
        10,
        organisation=organisation,
        submitted_on=datetime.date(2026, 3, 17),
    )
    body = page(staff_client, survey_round)
    assert "gemeente zegt 0" in body
    assert "Lopik" not in body
    assert "17 March 2026" not in body
    assert "2026-03-17" not in body


def test_it_orders_by_text_not_by_submission(staff_client: Client, survey_round: Round) -> None:
    respond(survey_round, "staff", 7)
    for text in ("Zorgvuldig blijven", "aanspreekbaar blijven", "Open houding"):
        add_response(survey_round, group="staff", answers={"open-verbeteren": text})
    body = page(staff_client, survey_round)
    assert (
        body.index("aanspreekbaar blijven")
        < body.index("Open houding")
        < body.index("Zorgvuldig blijven")
    )


def test_it_shows_the_wording_staff_were_asked(staff_client: Client, survey_round: Round) -> None:
    for n in range(10):
        add_response(survey_round, group="staff", answers={"open-bijdragen": f"Idee {n}"})
    body = page(staff_client, survey_round)
    assert "Hoe kunt u als partner bijdragen aan een betere samenwerking?" in body
    assert "Hoe kunnen partners helpen de samenwerking te verbeteren?" in body
    assert "Idee 5" in body


def test_it_filters_by_question(staff_client: Client, survey_round: Round) -> None:
    for n in range(10):
        add_response(
            survey_round,
            group="staff",
            answers={"open-behouden": f"Behouden {n}", "open-verbeteren": f"Verbeteren {n}"},
        )
    body = page(staff_client, survey_round, "?question=open-behouden")
    assert "Behouden 3" in body
    assert "Verbeteren 3" not in body


def test_an_unknown_question_filter_is_bad_input(staff_client: Client, survey_round: Round) -> None:
    response = staff_client.get(answers_url(survey_round) + "?question=q1a", headers=EN)
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_staff_do_not_see_hidden_answers(
    staff_client: Client, survey_round: Round, administrator: User
) -> None:
    responses = respond(survey_round, "staff", 10)
    Answer.objects.filter(response=responses[0], question__code="open-verbeteren").update(
        text="Jan de Vries van team Wegen",
        hidden_by=administrator,
        hidden_at=responses[0].round.closes_at,
    )
    body = page(staff_client, survey_round)
    assert "Jan de Vries" not in body
    assert "1 answer hidden by an administrator" in body
    assert "Show again" not in body
    assert 'name="action"' not in body


def test_administrators_see_hidden_answers_marked_with_a_show_again_button(
    admin_client_portal: Client, survey_round: Round, administrator: User
) -> None:
    responses = respond(survey_round, "staff", 10)
    Answer.objects.filter(response=responses[0], question__code="open-verbeteren").update(
        text="Jan de Vries van team Wegen",
        hidden_by=administrator,
        hidden_at=survey_round.closes_at,
    )
    body = page(admin_client_portal, survey_round)
    code = "open-verbeteren"
    item = body[body.index(f'id="answer-{code}-{answer_reference(responses[0].pk, code)}"') :]
    item = item[: item.index("</li>")]
    assert "Jan de Vries van team Wegen" in item
    assert "Hidden" in item
    assert 'value="show"' in item
    assert body.count('value="hide"') == 9


@pytest.mark.parametrize("reader", ["staff_client", "admin_client_portal"])
def test_the_page_never_shows_a_response_key(
    request: pytest.FixtureRequest, survey_round: Round, administrator: User, reader: str
) -> None:
    """The same response key on one person's answers to different questions would let
    a reader put their answers together again."""
    responses = [
        add_response(
            survey_round,
            group="staff",
            answers={"open-behouden": f"Behouden {n}", "open-verbeteren": f"Verbeteren {n}"},
        )
        for n in range(10)
    ]
    Answer.objects.filter(response=responses[0], question__code="open-behouden").update(
        hidden_at=survey_round.closes_at, hidden_by=administrator
    )
    body = page(request.getfixturevalue(reader), survey_round)
    assert "Verbeteren 9" in body
    for response in Response.objects.filter(round=survey_round):
        assert str(response.pk) not in body
        assert response.pk.hex not in body


def test_the_answers_of_one_response_have_unrelated_references(
    admin_client_portal: Client, survey_round: Round
) -> None:
    for n in range(10):
        add_response(
            survey_round,
            group="staff",
            answers={"open-behouden": f"Behouden {n}", "open-verbeteren": f"Verbeteren {n}"},
        )
    behouden, verbeteren = (
        Answer.objects.get(response__round=survey_round, text=text)
        for text in ("Behouden 4", "Verbeteren 4")
    )
    assert behouden.response_id == verbeteren.response_id
    first, second = reference(behouden), reference(verbeteren)
    assert first != second  # and keyed: see test_answers_service
    body = page(admin_client_portal, survey_round)
    assert f'id="answer-open-behouden-{first}"' in body
    assert f'id="answer-open-verbeteren-{second}"' in body
    assert f'name="answer" value="{first}"' in body
    assert f'name="answer" value="{second}"' in body


def test_the_page_reads_a_fixed_number_of_queries(
    admin_client_portal: Client, django_assert_num_queries, settings
) -> None:
    settings.THERMOMETER_MIN_GROUP_SIZE_OPEN = 3  # so that the small round lists answers too
    few = RoundFactory(status="published")
    many = RoundFactory(status="published")
    for survey_round, count in ((few, 10), (many, 300)):
        for group, share in (("gemeente", 0.5), ("waterschap", 0.2), ("staff", 0.3)):
            for n in range(int(count * share)):
                add_response(
                    survey_round,
                    group=group,
                    answers={
                        "open-behouden": f"Behouden {n}",
                        "open-verbeteren": f"Verbeteren {n}",
                    },
                )
    Answer.objects.filter(response__round=many, text="Behouden 1").update(hidden_at=many.closes_at)
    admin_client_portal.get(answers_url(few))  # warm up the session and permission caches
    # Session, user, permissions, roles: 5; the round, questions, group sizes, answers
    # and the counts of what is not listed: 5.
    with django_assert_num_queries(10):
        body = page(admin_client_portal, few)
    assert "Verbeteren 4" in body
    with django_assert_num_queries(10):
        body = page(admin_client_portal, many)
    assert "Verbeteren 149" in body


# --- Hiding ---------------------------------------------------------------------------


@pytest.fixture
def answer(survey_round: Round) -> Answer:
    responses = respond(survey_round, "staff", 10)
    return Answer.objects.get(response=responses[0], question__code="open-verbeteren")


def post_hide(client: Client, survey_round: Round, **data: object):
    return client.post(hide_url(survey_round), data, headers=EN)


def test_staff_may_not_hide_answers(
    staff_client: Client, survey_round: Round, answer: Answer
) -> None:
    data = {"answer": reference(answer), "question": "open-verbeteren", "action": "hide"}
    assert post_hide(staff_client, survey_round, **data, confirm="on").status_code == 403
    assert post_hide(Client(), survey_round, **data).status_code == 302
    answer.refresh_from_db()
    assert answer.hidden_at is None


def test_hiding_first_asks_for_confirmation(
    admin_client_portal: Client, survey_round: Round, answer: Answer
) -> None:
    response = post_hide(
        admin_client_portal,
        survey_round,
        answer=reference(answer),
        question="open-verbeteren",
        action="hide",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Hide this answer?" in body
    assert answer.text in body
    assert 'name="confirm" value="on"' in body
    assert f'name="answer" value="{reference(answer)}"' in body
    assert f'{answers_url(survey_round)}#answer-open-verbeteren-{reference(answer)}"' in body
    assert str(answer.response_id) not in body
    answer.refresh_from_db()
    assert answer.hidden_at is None


def test_a_confirmed_hide_hides_the_answer_and_returns_to_it(
    admin_client_portal: Client, survey_round: Round, answer: Answer, administrator: User
) -> None:
    response = post_hide(
        admin_client_portal,
        survey_round,
        answer=reference(answer),
        question="open-verbeteren",
        action="hide",
        confirm="on",
        shown="open-verbeteren",
    )
    assert response.status_code == 302
    assert response.url == (
        f"{answers_url(survey_round)}?question=open-verbeteren"
        f"#answer-open-verbeteren-{reference(answer)}"
    )
    answer.refresh_from_db()
    assert answer.hidden_at is not None
    assert answer.hidden_by == administrator
    body = admin_client_portal.get(response.url, headers=EN).content.decode()
    assert "The answer is hidden" in body


def test_show_again_needs_no_confirmation(
    admin_client_portal: Client, survey_round: Round, answer: Answer, administrator: User
) -> None:
    Answer.objects.filter(pk=answer.pk).update(
        hidden_at=survey_round.closes_at, hidden_by=administrator
    )
    response = post_hide(
        admin_client_portal,
        survey_round,
        answer=reference(answer),
        question="open-verbeteren",
        action="show",
    )
    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.hidden_at is None


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"question": "open-verbeteren", "action": "hide"},
        {"answer": "12", "question": "open-verbeteren", "action": "hide"},
        {"answer": "ANSWER", "question": "open-verbeteren", "action": "delete"},
        {"answer": "ANSWER", "question": "", "action": "hide"},
        # The response's UUID is no reference.
        {"answer": "RESPONSE", "question": "open-verbeteren", "action": "hide"},
    ],
)
def test_incomplete_or_invalid_input_is_answered_with_400_and_a_reason(
    admin_client_portal: Client, survey_round: Round, answer: Answer, data: dict
) -> None:
    values = {"ANSWER": reference(answer), "RESPONSE": str(answer.response_id)}
    data = {k: values.get(v, v) for k, v in data.items()}
    response = post_hide(admin_client_portal, survey_round, **data, confirm="on")
    assert response.status_code == 400
    body = response.content.decode()
    assert "The answer could not be changed" in body
    assert "Nothing has been changed" in body
    answer.refresh_from_db()
    assert answer.hidden_at is None


@pytest.mark.parametrize("question", ["q1a", "open-behouden", "open-onbekend"])
def test_an_unknown_answer_is_not_found(
    admin_client_portal: Client, survey_round: Round, answer: Answer, question: str
) -> None:
    for unknown in (
        reference(answer),  # of open-verbeteren, not of this question
        answer_reference(answer.response_id, question),  # not an open answer of the round
        answer_reference(uuid.uuid4(), "open-verbeteren"),
    ):
        response = post_hide(
            admin_client_portal,
            survey_round,
            answer=unknown,
            question=question,
            action="hide",
            confirm="on",
        )
        assert response.status_code == 404


def test_an_answer_of_another_round_is_not_found(
    admin_client_portal: Client, survey_round: Round, answer: Answer
) -> None:
    other = RoundFactory(status="published")
    response = post_hide(
        admin_client_portal,
        other,
        answer=reference(answer),
        question="open-verbeteren",
        action="hide",
        confirm="on",
    )
    assert response.status_code == 404
    answer.refresh_from_db()
    assert answer.hidden_at is None


def test_the_confirmation_never_shows_an_answer_of_a_group_too_small(
    admin_client_portal: Client, survey_round: Round
) -> None:
    (small,) = respond(survey_round, "waterschap", 1)
    response = post_hide(
        admin_client_portal,
        survey_round,
        answer=answer_reference(small.pk, "open-verbeteren"),
        question="open-verbeteren",
        action="hide",
    )
    assert response.status_code == 404
    assert "waterschap zegt" not in response.content.decode()
