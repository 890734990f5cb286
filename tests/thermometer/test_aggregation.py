"""services/aggregation.py: the numbers it stores, and that a run is all or nothing."""

import datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from tests.factories import InvitationFactory, RoundFactory, add_response
from thermometer.models import (
    Aggregation,
    Answer,
    GroupResult,
    Question,
    Questionnaire,
    Response,
    Result,
    Round,
)
from thermometer.services import aggregation
from thermometer.services.aggregation import median

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

# q1a marks per group: chosen for an even count with the median between two values
# (gemeente), an odd count (waterschap), two far apart (uitvoeringsdienst), ties (staff).
MARKS = {
    "gemeente": [7, 8, 8, 6, 9, 5],
    "waterschap": [6, 6, 7, 8, 10],
    "uitvoeringsdienst": [4, 9],
    "staff": [8, 8, 9],
}


def closed_round(**kwargs: object) -> Round:
    return RoundFactory(status="closed", **kwargs)


def known_round() -> Round:
    """The round of MARKS, with the scales, open answers and gaps described inline."""
    survey_round = closed_round()
    for group, marks in MARKS.items():
        for index, mark in enumerate(marks):
            answers: dict[str, int | str] = {"q1a": mark, "q1b-betrouwbaar": 1 + index % 5}
            if group == "staff":
                answers |= {"q2": 7, "q3a": 6 + index, "q3b-deskundig": 4}
            answers["open-verbeteren"] = "Sneller terugkoppelen."  # never counted
            add_response(survey_round, group=group, answers=answers)
    # A gemeente respondent who skipped every question but one: not in the q1a count.
    add_response(survey_round, group="gemeente", answers={"q1b-toegankelijk": 3})
    # A stored answer without a number (a skipped scale) is not an answer to count.
    add_response(survey_round, group="waterschap", answers={"q1b-toegankelijk": ""})
    return survey_round


def rows(survey_round: Round) -> dict[tuple[str, str], dict]:
    return {
        (row["group"], row["code"]): row
        for row in Result.objects.filter(round=survey_round).values(
            "group",
            "code",
            "kind",
            "perspective",
            "property",
            "text",
            "position",
            "respondents",
            "distribution",
            "value_sum",
            "mean",
            "median",
        )
    }


def group_rows(survey_round: Round) -> dict[str, tuple[int | None, int]]:
    return {
        row.group: (row.invited, row.respondents)
        for row in GroupResult.objects.filter(round=survey_round)
    }


def snapshot(survey_round: Round) -> tuple[dict, dict]:
    return rows(survey_round), group_rows(survey_round)


# --- The numbers ---------------------------------------------------------------------


def test_it_stores_distribution_respondents_sum_mean_and_median_per_group(db: None) -> None:
    survey_round = known_round()

    done = aggregation.aggregate_round(survey_round)

    assert done is not None and done.status == Aggregation.Status.DONE
    results = rows(survey_round)
    q1a = {group: results[group, "q1a"] for group in [*MARKS, "partners"]}
    assert q1a["gemeente"] | {"position": 0} == {
        "group": "gemeente",
        "code": "q1a",
        "kind": "mark",
        "perspective": "about_province",
        "property": "",
        "text": "Welk rapportcijfer geeft u de provincie Utrecht als samenwerkingspartner?",
        "position": 0,
        "respondents": 6,
        "distribution": {"5": 1, "6": 1, "7": 1, "8": 2, "9": 1},
        "value_sum": Decimal("43.0"),
        "mean": Decimal("7.1667"),  # 43 / 6 = 7.16666…
        "median": Decimal("7.50"),  # 5 6 7 | 8 8 9
    }
    assert q1a["waterschap"]["distribution"] == {"6": 2, "7": 1, "8": 1, "10": 1}
    assert (q1a["waterschap"]["respondents"], q1a["waterschap"]["value_sum"]) == (5, 37)
    assert (q1a["waterschap"]["mean"], q1a["waterschap"]["median"]) == (Decimal("7.4"), 7)
    assert q1a["uitvoeringsdienst"]["distribution"] == {"4": 1, "9": 1}
    assert (q1a["uitvoeringsdienst"]["mean"], q1a["uitvoeringsdienst"]["median"]) == (
        Decimal("6.5"),
        Decimal("6.5"),
    )
    assert q1a["staff"]["distribution"] == {"8": 2, "9": 1}
    assert (q1a["staff"]["mean"], q1a["staff"]["median"]) == (Decimal("8.3333"), 8)


def test_the_partners_row_is_the_sum_of_the_partner_groups_without_staff(db: None) -> None:
    survey_round = known_round()

    aggregation.aggregate_round(survey_round)

    results = rows(survey_round)
    partners = results["partners", "q1a"]
    assert partners["distribution"] == {"4": 1, "5": 1, "6": 3, "7": 2, "8": 3, "9": 2, "10": 1}
    assert partners["respondents"] == 13 == 6 + 5 + 2
    assert partners["value_sum"] == 93 == 43 + 37 + 13
    assert partners["mean"] == Decimal("7.1538")  # 93 / 13
    assert partners["median"] == 7
    for (group, code), row in results.items():
        if group != "partners":
            continue
        parts = [
            results[g, code]
            for g in ("gemeente", "waterschap", "uitvoeringsdienst", "other")
            if (g, code) in results
        ]
        assert row["respondents"] == sum(part["respondents"] for part in parts), code
        assert row["value_sum"] == sum(part["value_sum"] for part in parts), code
    # Staff-only questions have no partners row.
    assert ("partners", "q2") not in results and ("partners", "q3a") not in results


def test_open_answers_and_unanswered_questions_are_not_counted(db: None) -> None:
    survey_round = known_round()

    aggregation.aggregate_round(survey_round)

    results = rows(survey_round)
    assert not any(code.startswith("open-") for _group, code in results)
    assert set(Result.objects.values_list("kind", flat=True)) == {"mark", "scale"}
    # 1 answer of the gemeente respondent who skipped q1a; the waterschap blank is no answer.
    assert results["gemeente", "q1b-toegankelijk"]["respondents"] == 1
    assert ("waterschap", "q1b-toegankelijk") not in results
    assert results["partners", "q1b-toegankelijk"]["distribution"] == {"3": 1}
    # Nobody answered q1b-flexibel: no row at all rather than an empty one.
    assert not any(code == "q1b-flexibel" for _group, code in results)
    # q1b-betrouwbaar: values 1..5 cycling; gemeente 6 answers → 1 2 3 4 5 1.
    assert results["gemeente", "q1b-betrouwbaar"]["distribution"] == {
        "1": 2,
        "2": 1,
        "3": 1,
        "4": 1,
        "5": 1,
    }
    assert results["staff", "q3b-deskundig"]["distribution"] == {"4": 3}
    assert results["staff", "q3a"]["mean"] == Decimal("7")  # 6 7 8


def test_results_carry_the_question_order_for_the_pages(db: None) -> None:
    survey_round = known_round()

    aggregation.aggregate_round(survey_round)

    positions = dict(
        Result.objects.filter(round=survey_round, group="staff").values_list("code", "position")
    )
    assert positions["q1a"] < positions["q2"] < positions["q3a"]
    assert positions["q3a"] < positions["q1b-betrouwbaar"] < positions["q3b-deskundig"]


def test_group_results_count_invitations_not_revoked_and_responses(db: None) -> None:
    survey_round = known_round()
    for group, invited in [("gemeente", 9), ("waterschap", 8), ("uitvoeringsdienst", 4)]:
        InvitationFactory.create_batch(invited, round=survey_round, respondent_group=group)
    InvitationFactory.create_batch(
        3, round=survey_round, respondent_group="gemeente", revoked_at=timezone.now()
    )
    InvitationFactory.create_batch(
        5, round=survey_round, respondent_group="staff", contact=None, organisation=None, email=""
    )
    InvitationFactory(round=closed_round(), respondent_group="gemeente")  # another round

    done = aggregation.aggregate_round(survey_round)

    assert group_rows(survey_round) == {
        "gemeente": (9, 7),  # 6 who gave a mark + 1 who answered one scale only
        "waterschap": (8, 6),  # 5 + 1 whose only answer was blank
        "uitvoeringsdienst": (4, 2),
        "staff": (5, 3),
        "partners": (21, 15),
    }
    assert done.responses == 18


def test_invited_is_unknown_for_a_group_that_responded_without_invitations(db: None) -> None:
    survey_round = closed_round()
    add_response(survey_round, group="staff", answers={"q1a": 7})  # joined by the staff link
    add_response(survey_round, group="gemeente", answers={"q1a": 7})
    InvitationFactory(round=survey_round, respondent_group="waterschap")

    aggregation.aggregate_round(survey_round)

    assert group_rows(survey_round) == {
        "staff": (None, 1),
        "gemeente": (None, 1),
        "waterschap": (1, 0),
        "partners": (None, 1),
    }


def test_a_round_without_responses_has_no_results(db: None) -> None:
    survey_round = closed_round()

    done = aggregation.aggregate_round(survey_round)

    assert done.status == Aggregation.Status.DONE and done.responses == 0
    assert not Result.objects.exists() and not GroupResult.objects.exists()


def test_the_mean_is_rounded_half_up_to_four_decimals(db: None) -> None:
    question = Question.objects.get(questionnaire__variant="external", code="q1a")
    survey_round = closed_round()

    # 31 × 7 + 8 = 225; 225 / 32 = 7.03125: half-up gives 7.0313 (half-even 7.0312).
    row = aggregation.result_row(
        survey_round, group="gemeente", question=question, distribution={7: 31, 8: 1}
    )
    assert row.mean == Decimal("7.0313")
    # 2 / 3 = 0.66666…; 10 + 10 + 5 over 3 = 8.3333…
    thirds = aggregation.result_row(
        survey_round, group="gemeente", question=question, distribution={5: 1, 10: 2}
    )
    assert thirds.mean == Decimal("8.3333") and thirds.value_sum == 25


def test_halves_in_a_distribution_count_as_halves(db: None) -> None:
    question = Question.objects.get(questionnaire__variant="external", code="q1b-deskundig")

    row = aggregation.result_row(
        closed_round(),
        group="gemeente",
        question=question,
        distribution={3: Decimal("1.5"), 4: Decimal("2.5"), 5: Decimal(0)},
    )

    assert row.distribution == {"3": 1.5, "4": 2.5}  # a zero count is left out
    assert row.respondents == 4
    assert row.value_sum == Decimal("14.5")  # 4.5 + 10
    assert row.mean == Decimal("3.625")
    assert row.median == Decimal("4")


@pytest.mark.parametrize(
    ("distribution", "expected"),
    [
        ({}, None),
        ({3: 0}, None),
        ({5: 1}, 5),
        ({5: 4}, 5),
        ({1: 1, 2: 1, 3: 1}, 2),  # odd count
        ({1: 1, 3: 1}, 2),  # even count: between the two middle values
        ({7: 2, 8: 2}, Decimal("7.5")),  # ties on both sides of the middle
        ({7: 2, 8: 3}, 8),  # ties, odd count
        ({1: 1, 5: 1, 10: 2}, Decimal("7.5")),
        ({1: 0, 3: 1, 5: 1}, 4),  # a zero count is no value
        ({4: 1, 2: 1}, 3),  # unsorted keys
        ({2: Decimal("0.5"), 3: Decimal("1.5"), 4: 1}, 3),  # halves: total 3, passes 1.5 at 3
        ({2: Decimal("1.5"), 4: Decimal("1.5")}, 3),  # halves landing exactly on half
        ({1: Decimal("0.5"), 2: Decimal("0.5")}, Decimal("1.5")),
        ({1: Decimal("0.5")}, 1),
    ],
)
def test_the_median_of_a_distribution(distribution: dict, expected: Decimal | None) -> None:
    assert median(distribution) == expected


# --- Only closed rounds, never imported ones -----------------------------------------


def test_it_does_nothing_for_an_open_round(db: None) -> None:
    survey_round = RoundFactory(status="open")
    add_response(survey_round, answers={"q1a": 8})

    assert aggregation.aggregate_round(survey_round) is None
    assert not Aggregation.objects.exists() and not Result.objects.exists()


def test_it_leaves_imported_results_alone(db: None) -> None:
    survey_round = closed_round()
    Aggregation.objects.create(round=survey_round, source="import", status="done")
    Result.objects.create(
        round=survey_round,
        group="partners",
        code="q1a",
        kind="mark",
        text="Rapportcijfer",
        respondents=10,
        distribution={"7": 10},
        value_sum=70,
        mean=7,
        median=7,
    )

    assert aggregation.aggregate_round(survey_round) is None
    assert Result.objects.get().respondents == 10


def test_it_leaves_other_rounds_alone(db: None) -> None:
    other = known_round()
    aggregation.aggregate_round(other)
    before = snapshot(other)
    survey_round = closed_round()
    add_response(survey_round, answers={"q1a": 2})

    aggregation.aggregate_round(survey_round)

    assert snapshot(other) == before
    assert rows(survey_round)["gemeente", "q1a"]["distribution"] == {"2": 1}


# --- All or nothing, and the same every time ------------------------------------------


def test_running_twice_in_a_row_writes_identical_rows(db: None) -> None:
    survey_round = known_round()
    InvitationFactory.create_batch(7, round=survey_round, respondent_group="gemeente")
    aggregation.aggregate_round(survey_round)
    first = snapshot(survey_round)

    aggregation.aggregate_round(survey_round)

    assert snapshot(survey_round) == first
    assert Result.objects.filter(round=survey_round).count() == len(first[0])


def test_an_interrupted_run_keeps_the_previous_results_and_a_rerun_restores_them(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    survey_round = known_round()
    InvitationFactory.create_batch(7, round=survey_round, respondent_group="gemeente")
    first = aggregation.aggregate_round(survey_round)
    finished_at = first.finished_at
    before = snapshot(survey_round)
    # A late answer since: the interrupted run computes different numbers.
    late = add_response(survey_round, group="gemeente", answers={"q1a": 1})
    seen_mid_run: list[int] = []

    def die_halfway(objs: list, **kwargs: object) -> None:
        # The run has deleted the old rows and written the new Result rows by now.
        seen_mid_run.append(
            Result.objects.get(round=survey_round, group="gemeente", code="q1a").respondents
        )
        raise RuntimeError("worker killed")

    monkeypatch.setattr(GroupResult.objects, "bulk_create", die_halfway)
    with pytest.raises(RuntimeError, match="worker killed"):
        aggregation.aggregate_round(survey_round)
    monkeypatch.undo()

    assert seen_mid_run == [7]  # the new rows were in place when it failed…
    assert snapshot(survey_round) == before  # …and were rolled back as a whole
    interrupted = Aggregation.objects.get(round=survey_round)
    assert interrupted.status != Aggregation.Status.DONE
    assert interrupted.finished_at == finished_at

    # Over the same answers as the first run, a rerun writes exactly the snapshot.
    late.delete()
    done = aggregation.aggregate_round(survey_round)

    assert done.status == Aggregation.Status.DONE
    assert snapshot(survey_round) == before


def test_an_interrupted_first_run_leaves_no_results(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    survey_round = known_round()

    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(GroupResult.objects, "bulk_create", fail)
    with pytest.raises(RuntimeError):
        aggregation.aggregate_round(survey_round)
    monkeypatch.undo()

    assert not Result.objects.exists() and not GroupResult.objects.exists()
    assert Aggregation.objects.get().status != Aggregation.Status.DONE
    aggregation.aggregate_round(survey_round)
    assert Result.objects.filter(round=survey_round, group="partners", code="q1a").exists()


# --- A fixed number of queries ---------------------------------------------------------


def add_many_responses(survey_round: Round, count: int) -> None:
    """`count` responses answering every mark and scale, in two bulk inserts."""
    questionnaires = {
        "gemeente": Questionnaire.objects.get(variant="external", version=1),
        "staff": Questionnaire.objects.get(variant="internal", version=1),
    }
    questions = {
        group: list(q.questions.filter(kind__in=["mark", "scale"]))
        for group, q in questionnaires.items()
    }
    groups = ["gemeente", "waterschap", "uitvoeringsdienst", "staff"]
    responses = [
        Response(
            round=survey_round,
            questionnaire=questionnaires["staff" if groups[i % 4] == "staff" else "gemeente"],
            respondent_group=groups[i % 4],
            submitted_on=datetime.date(2026, 11, 1),
        )
        for i in range(count)
    ]
    Response.objects.bulk_create(responses)
    Answer.objects.bulk_create(
        Answer(
            response=response,
            question=question,
            number=1 + (i + j) % (10 if question.kind == "mark" else 5),
        )
        for i, response in enumerate(responses)
        for j, question in enumerate(
            questions["staff" if response.respondent_group == "staff" else "gemeente"]
        )
    )


def count_queries(survey_round: Round) -> int:
    with CaptureQueriesContext(connection) as queries:
        aggregation.aggregate_round(survey_round)
    return len(queries)


def test_aggregating_takes_the_same_number_of_queries_for_10_or_2000_responses(
    db: None, django_assert_max_num_queries
) -> None:
    small, large = closed_round(), closed_round()
    add_many_responses(small, 10)
    add_many_responses(large, 2000)
    aggregation.aggregate_round(small)  # a first run creates the Aggregation
    aggregation.aggregate_round(large)

    assert count_queries(small) == count_queries(large)
    # Progress ×3, the Aggregation, questions, the count, respondents, invited; then in
    # one transaction: lock, 2 deletes, 2 inserts, done (+ SAVEPOINT/RELEASE in a test).
    with django_assert_max_num_queries(16):
        aggregation.aggregate_round(large)
    assert Result.objects.get(round=large, group="partners", code="q1a").respondents == 1500
