"""services/answers: which open answers may be read, in which block; hiding them."""

import logging
import uuid

import pytest

from portal.lib.models import User
from tests.factories import RoundFactory, add_response
from thermometer.models import Answer, Round
from thermometer.services.answers import (
    SMALLER_PARTNER_GROUPS,
    OpenQuestion,
    answer_reference,
    find_open_answer,
    hide_answer,
    open_questions,
    read_open_answers,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey_round() -> Round:
    return RoundFactory(status="closed", name="Ronde 2026")


def respond(survey_round: Round, group: str, count: int, text: str = "") -> None:
    """`count` responses of `group`, each answering open-verbeteren ("<group> <n>")."""
    for n in range(count):
        add_response(
            survey_round,
            group=group,
            answers={"q1a": 7, "open-verbeteren": text or f"{group} antwoord {n}"},
        )


def read(survey_round: Round, *, include_hidden: bool = False) -> dict[str, OpenQuestion]:
    questions = read_open_answers(
        survey_round, questions=open_questions(survey_round), include_hidden=include_hidden
    )
    return {question.code: question for question in questions}


def blocks(question: OpenQuestion) -> dict[str, list[str]]:
    return {block.key: [answer.text for answer in block.answers] for block in question.blocks}


def test_it_lists_the_open_questions_in_questionnaire_order_partners_wording_first(
    survey_round: Round,
) -> None:
    questions = read(survey_round)
    assert list(questions) == ["open-behouden", "open-verbeteren", "open-bijdragen"]
    assert questions["open-bijdragen"].text.startswith("Hoe kunt u als partner")


def test_it_shows_a_group_of_its_own_from_the_open_answer_threshold(
    survey_round: Round, settings
) -> None:
    settings.THERMOMETER_MIN_GROUP_SIZE_OPEN = 10
    respond(survey_round, "gemeente", 10)
    respond(survey_round, "staff", 10)
    shown = blocks(read(survey_round)["open-verbeteren"])
    assert list(shown) == ["gemeente", "staff"]
    assert len(shown["gemeente"]) == 10
    assert len(shown["staff"]) == 10


def test_it_merges_small_partner_groups_when_together_large_enough(
    survey_round: Round, settings
) -> None:
    settings.THERMOMETER_MIN_GROUP_SIZE_OPEN = 10
    respond(survey_round, "gemeente", 12)
    respond(survey_round, "waterschap", 5)
    respond(survey_round, "uitvoeringsdienst", 5)
    shown = blocks(read(survey_round)["open-verbeteren"])
    assert list(shown) == ["gemeente", SMALLER_PARTNER_GROUPS]
    assert len(shown[SMALLER_PARTNER_GROUPS]) == 10
    assert "waterschap antwoord 0" in shown[SMALLER_PARTNER_GROUPS]


def test_it_merges_a_large_group_too_when_the_rest_alone_would_give_it_away(
    survey_round: Round, settings
) -> None:
    """Municipalities shown next to "smaller groups" of 3 water boards would let the
    reader subtract; secondary suppression puts them in the merged block."""
    settings.THERMOMETER_MIN_GROUP_SIZE_OPEN = 10
    respond(survey_round, "gemeente", 12)
    respond(survey_round, "waterschap", 3)
    question = read(survey_round)["open-verbeteren"]
    shown = blocks(question)
    assert list(shown) == [SMALLER_PARTNER_GROUPS]
    assert len(shown[SMALLER_PARTNER_GROUPS]) == 15
    assert not any(block.withheld for block in question.blocks)


def test_it_counts_but_never_reads_the_answers_of_groups_too_small(
    survey_round: Round, settings
) -> None:
    settings.THERMOMETER_MIN_GROUP_SIZE_OPEN = 10
    respond(survey_round, "gemeente", 4)
    respond(survey_round, "staff", 9)
    question = read(survey_round)["open-verbeteren"]
    assert [(b.key, b.withheld_count, b.answers) for b in question.blocks] == [
        ("gemeente", 4, []),
        ("staff", 9, []),
    ]


def test_it_sorts_by_text_not_by_submission(survey_round: Round, settings) -> None:
    settings.THERMOMETER_MIN_GROUP_SIZE_OPEN = 3
    for text in ("Zorg voor snelheid", "actief meedenken", "Meer overleg"):
        add_response(survey_round, group="staff", answers={"open-behouden": text})
    shown = blocks(read(survey_round)["open-behouden"])
    assert shown["staff"] == ["actief meedenken", "Meer overleg", "Zorg voor snelheid"]


def test_it_leaves_out_empty_answers(survey_round: Round, settings) -> None:
    settings.THERMOMETER_MIN_GROUP_SIZE_OPEN = 2
    add_response(survey_round, group="staff", answers={"open-verbeteren": "Sneller"})
    add_response(survey_round, group="staff", answers={"open-verbeteren": ""})
    (block,) = read(survey_round)["open-verbeteren"].blocks
    assert [answer.text for answer in block.answers] == ["Sneller"]
    assert block.hidden_count == block.withheld_count == 0


def test_it_says_what_staff_were_asked_when_the_wording_differs(
    survey_round: Round, settings
) -> None:
    settings.THERMOMETER_MIN_GROUP_SIZE_OPEN = 1
    add_response(survey_round, group="staff", answers={"open-bijdragen": "Vaker bellen"})
    add_response(survey_round, group="gemeente", answers={"open-bijdragen": "Eerder melden"})
    question = read(survey_round)["open-bijdragen"]
    asked = {block.key: block.asked for block in question.blocks}
    assert asked == {
        "gemeente": "",
        "staff": "Hoe kunnen partners helpen de samenwerking te verbeteren?",
    }


def test_it_counts_hidden_answers_for_staff_and_lists_them_for_administrators(
    survey_round: Round, administrator: User, settings
) -> None:
    settings.THERMOMETER_MIN_GROUP_SIZE_OPEN = 2
    response = add_response(survey_round, group="staff", answers={"open-verbeteren": "Jan Jansen"})
    add_response(survey_round, group="staff", answers={"open-verbeteren": "Meer tijd"})
    hide_answer(
        round=survey_round,
        reference=answer_reference(response.pk, "open-verbeteren"),
        code="open-verbeteren",
        by=administrator,
        hidden=True,
    )
    (block,) = read(survey_round)["open-verbeteren"].blocks
    assert [a.text for a in block.answers] == ["Meer tijd"]
    assert block.hidden_count == 1
    (block,) = read(survey_round, include_hidden=True)["open-verbeteren"].blocks
    assert [(a.text, a.hidden) for a in block.answers] == [
        ("Jan Jansen", True),
        ("Meer tijd", False),
    ]
    assert block.hidden_count == 0


def test_hiding_records_who_and_when_and_logs_it(
    survey_round: Round, administrator: User, caplog: pytest.LogCaptureFixture
) -> None:
    response = add_response(survey_round, group="staff", answers={"open-verbeteren": "Piet"})
    with caplog.at_level(logging.INFO, logger="thermometer.services.answers"):
        hide_answer(
            round=survey_round,
            reference=answer_reference(response.pk, "open-verbeteren"),
            code="open-verbeteren",
            by=administrator,
            hidden=True,
        )
    answer = Answer.objects.get(response=response)
    assert answer.hidden_at is not None
    assert answer.hidden_by == administrator
    assert "beheerder hid open answer open-verbeteren" in caplog.text
    assert str(response.pk) not in caplog.text


def test_hiding_twice_changes_nothing_the_second_time(
    survey_round: Round, administrator: User
) -> None:
    response = add_response(survey_round, group="staff", answers={"open-verbeteren": "Piet"})
    kwargs = {
        "round": survey_round,
        "reference": answer_reference(response.pk, "open-verbeteren"),
        "code": "open-verbeteren",
    }
    hide_answer(**kwargs, by=administrator, hidden=True)
    first = Answer.objects.get(response=response).hidden_at
    hide_answer(**kwargs, by=administrator, hidden=True)
    assert Answer.objects.get(response=response).hidden_at == first


def test_showing_again_clears_the_mark(survey_round: Round, administrator: User) -> None:
    response = add_response(survey_round, group="staff", answers={"open-verbeteren": "Piet"})
    kwargs = {
        "round": survey_round,
        "reference": answer_reference(response.pk, "open-verbeteren"),
        "code": "open-verbeteren",
    }
    hide_answer(**kwargs, by=administrator, hidden=True)
    hide_answer(**kwargs, by=administrator, hidden=False)
    answer = Answer.objects.get(response=response)
    assert answer.hidden_at is None
    assert answer.hidden_by is None


@pytest.mark.parametrize("code", ["q1a", "open-behouden", "unknown"])
def test_only_a_non_empty_open_answer_can_be_hidden(
    survey_round: Round, administrator: User, code: str
) -> None:
    response = add_response(survey_round, group="staff", answers={"q1a": 7, "open-behouden": ""})
    with pytest.raises(Answer.DoesNotExist):
        hide_answer(
            round=survey_round,
            reference=answer_reference(response.pk, code),
            code=code,
            by=administrator,
            hidden=True,
        )


def test_an_answer_of_another_round_cannot_be_hidden(
    survey_round: Round, administrator: User
) -> None:
    other = RoundFactory(status="closed")
    response = add_response(other, group="staff", answers={"open-verbeteren": "Piet"})
    with pytest.raises(Answer.DoesNotExist):
        hide_answer(
            round=survey_round,
            reference=answer_reference(response.pk, "open-verbeteren"),
            code="open-verbeteren",
            by=administrator,
            hidden=True,
        )
    with pytest.raises(Answer.DoesNotExist):
        hide_answer(
            round=survey_round,
            reference=answer_reference(uuid.uuid4(), "open-verbeteren"),
            code="open-verbeteren",
            by=administrator,
            hidden=True,
        )
    assert Answer.objects.get(response=response).hidden_at is None


def test_find_open_answer_refuses_answers_of_groups_too_small_to_read(
    survey_round: Round, settings
) -> None:
    settings.THERMOMETER_MIN_GROUP_SIZE_OPEN = 10
    response = add_response(survey_round, group="waterschap", answers={"open-verbeteren": "X"})
    with pytest.raises(Answer.DoesNotExist):
        find_open_answer(
            survey_round,
            reference=answer_reference(response.pk, "open-verbeteren"),
            code="open-verbeteren",
        )


# --- References -------------------------------------------------------------------------


def test_answers_are_listed_by_reference_never_by_response(survey_round: Round, settings) -> None:
    settings.THERMOMETER_MIN_GROUP_SIZE_OPEN = 1
    response = add_response(
        survey_round,
        group="staff",
        answers={"open-behouden": "Korte lijnen", "open-verbeteren": "Sneller reageren"},
    )
    questions = read(survey_round, include_hidden=True)
    (behouden,) = questions["open-behouden"].blocks[0].answers
    (verbeteren,) = questions["open-verbeteren"].blocks[0].answers
    assert behouden.reference == answer_reference(response.pk, "open-behouden")
    assert verbeteren.reference == answer_reference(response.pk, "open-verbeteren")
    assert behouden.anchor == f"answer-open-behouden-{behouden.reference}"
    assert not hasattr(behouden, "response_id")


def test_one_responses_references_are_unrelated_and_keyed(settings) -> None:
    response_id = uuid.uuid4()
    first = answer_reference(response_id, "open-behouden")
    second = answer_reference(response_id, "open-verbeteren")
    assert first != second
    assert len(first) == len(second) == 24
    assert set(first + second) <= set("0123456789abcdef")
    assert first == answer_reference(response_id, "open-behouden")  # stable, for the anchor
    # A keyed hash: without the secret key nobody computes or links them.
    settings.SECRET_KEY = "another secret key for this test only, long enough"
    assert answer_reference(response_id, "open-behouden") != first
    assert answer_reference(response_id, "open-verbeteren") != second


def test_find_open_answer_resolves_a_reference(survey_round: Round, settings) -> None:
    settings.THERMOMETER_MIN_GROUP_SIZE_OPEN = 1
    response = add_response(
        survey_round,
        group="staff",
        answers={"open-behouden": "Korte lijnen", "open-verbeteren": "Sneller reageren"},
    )
    found = find_open_answer(
        survey_round,
        reference=answer_reference(response.pk, "open-verbeteren"),
        code="open-verbeteren",
    )
    assert found.text == "Sneller reageren"
    with pytest.raises(Answer.DoesNotExist):  # the reference of another question's answer
        find_open_answer(
            survey_round,
            reference=answer_reference(response.pk, "open-behouden"),
            code="open-verbeteren",
        )


def test_equal_texts_are_not_ordered_by_response(survey_round: Round, settings) -> None:
    """Among equal texts an order by response would be the same under each question."""
    settings.THERMOMETER_MIN_GROUP_SIZE_OPEN = 1
    for _n in range(6):
        add_response(
            survey_round, group="staff", answers={"open-behouden": "Ja", "open-verbeteren": "Ja"}
        )
    questions = read(survey_round)
    for code in ("open-behouden", "open-verbeteren"):
        references = [answer.reference for answer in questions[code].blocks[0].answers]
        assert references == sorted(references)
