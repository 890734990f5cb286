"""services/reports.py: what the pages read, with the anonymity threshold applied."""

import datetime
from decimal import Decimal

from django.utils import timezone

import pytest

from tests.factories import InvitationFactory, RoundFactory, add_response
from thermometer.models import PARTNER_GROUPS, Question, Questionnaire, Round, Section
from thermometer.services import aggregation, reports, trends
from thermometer.services.reports import REPORTED_GROUPS, Cell

PARTNERS = [group.value for group in PARTNER_GROUPS]
MINIMUM = 5


@pytest.fixture(autouse=True)
def minimum_group_size(settings) -> None:
    settings.THERMOMETER_MIN_GROUP_SIZE = MINIMUM


def aggregated_round(
    marks: dict[str, list[int]],
    *,
    year: int = 2025,
    status: str = "published",
    scale: int = 4,
    **kwargs: object,
) -> Round:
    """A round of `year` where each group gave `marks` for q1a and `scale` for every
    property (staff: for q1b and q3b); aggregated."""
    opens_at = datetime.datetime(year, 3, 1, tzinfo=datetime.UTC)
    survey_round = RoundFactory(
        name=f"Ronde {year}",
        status="closed",
        opens_at=opens_at,
        closes_at=opens_at + datetime.timedelta(days=30),
        **kwargs,
    )
    properties = [
        q.property
        for q in Question.objects.filter(
            questionnaire=survey_round.external_questionnaire, kind="scale"
        )
    ]
    for group, group_marks in marks.items():
        for mark in group_marks:
            answers: dict[str, int | str] = {"q1a": mark}
            answers |= {f"q1b-{key}": scale for key in properties}
            if group == "staff":
                answers |= {"q2": 8, "q3a": 6} | {f"q3b-{key}": 3 for key in properties}
            add_response(survey_round, group=group, answers=answers)
    aggregation.aggregate_round(survey_round)
    Round.objects.filter(pk=survey_round.pk).update(status=status)
    survey_round.refresh_from_db()
    return survey_round


# gemeente 6, waterschap 5, uitvoeringsdienst 2 (too few), staff 3 (too few).
KNOWN = {
    "gemeente": [7, 8, 8, 6, 9, 5],
    "waterschap": [6, 6, 7, 8, 10],
    "uitvoeringsdienst": [4, 9],
    "staff": [8, 8, 9],
}


# --- One round -------------------------------------------------------------------------


def test_groups_below_the_threshold_have_no_numbers(db: None) -> None:
    report = reports.round_report(aggregated_round(KNOWN))

    q1a = report.question("q1a")
    for group in ("uitvoeringsdienst", "staff"):
        cell = q1a.cell(group)
        assert cell.hidden and not cell.shown
        assert (cell.mean, cell.median, cell.counts, cell.shares) == (None, None, (), ())
    gemeente = q1a.cell("gemeente")
    assert gemeente.shown and gemeente.mean == Decimal("7.1667")
    assert gemeente.counts == (0, 0, 0, 0, 1, 1, 1, 2, 1, 0)
    assert q1a.cell("partners").mean == Decimal("7.1538")
    assert report.ready and report.has_results
    assert report.groups == ["partners", *PARTNERS[:3], "staff"]


def test_a_large_enough_group_is_hidden_when_the_total_would_give_away_a_small_one(
    db: None,
) -> None:
    """partners (13) − gemeente (6) − waterschap (5) = uitvoeringsdienst (2)."""
    report = reports.round_report(aggregated_round(KNOWN))

    for question in report.questions:
        shown = {group for group, cell in question.cells.items() if cell.shown}
        if question.code.startswith("q1"):
            assert shown == {"partners", "gemeente"}, question.code
        waterschap = question.cell("waterschap")
        if "waterschap" in question.cells:
            assert waterschap.hidden and waterschap.mean is None and waterschap.counts == ()


def test_no_cell_of_any_question_reveals_a_small_group(db: None) -> None:
    survey_round = aggregated_round(
        {"gemeente": [7] * 12, "waterschap": [6] * 7, "uitvoeringsdienst": [8], "other": [5] * 3}
    )
    # Answers of one question that differ from the rest: per question, its own sizes.
    add_response(survey_round, group="uitvoeringsdienst", answers={"q1b-flexibel": 2})
    aggregation.aggregate_round(survey_round)

    for question in reports.round_report(survey_round).questions:
        sizes = {group: cell.respondents for group, cell in question.cells.items()}
        shown = {group for group, cell in question.cells.items() if cell.shown}
        for group in shown - {"partners"}:
            assert sizes[group] >= MINIMUM
        hidden = sum(sizes.get(g, 0) for g in PARTNERS if g not in shown)
        assert "partners" in shown
        assert hidden == 0 or hidden >= MINIMUM, question.code


def test_too_few_partners_in_total_hides_the_total_too(db: None) -> None:
    report = reports.round_report(aggregated_round({"gemeente": [7, 8], "waterschap": [6]}))

    assert report.question("q1a").cell("partners").hidden
    assert report.marks()[0].cell.mean is None


def test_the_picture_puts_the_three_perspectives_side_by_side(db: None) -> None:
    report = reports.round_report(
        aggregated_round({"gemeente": [7] * 5, "staff": [8] * 5}, scale=4)
    )

    marks = {row.perspective: row.cell.mean for row in report.marks()}
    assert marks == {
        "partners": Decimal(7),
        "staff": Decimal(8),
        "expected": Decimal(6),
        "self": Decimal(8),
    }
    properties = report.properties()
    assert [row.property for row in properties][:2] == ["betrouwbaar", "toegankelijk"]
    assert len(properties) == 8
    for row in properties:
        assert (row.staff_about.mean, row.staff_expected.mean, row.partners_about.mean) == (
            Decimal(4),
            Decimal(3),
            Decimal(4),
        )


def test_response_rates_of_small_groups_are_withheld_too(db: None) -> None:
    """A count of 1 tells everyone that the one organisation took part; the total minus
    the shown groups must not give it back either."""
    survey_round = RoundFactory(status="closed")
    add_response(survey_round, group="uitvoeringsdienst", answers={"q1a": 6})
    for _ in range(5):
        add_response(survey_round, group="gemeente", answers={"q1a": 7})
    InvitationFactory.create_batch(4, round=survey_round, respondent_group="uitvoeringsdienst")
    InvitationFactory.create_batch(8, round=survey_round, respondent_group="gemeente")
    InvitationFactory(round=survey_round, respondent_group="gemeente", revoked_at=timezone.now())
    aggregation.aggregate_round(survey_round)

    rates = {rate.group: (rate.invited, rate.shown, rate.rate) for rate in
             reports.round_report(survey_round).rates}  # fmt: skip

    assert rates == {
        "partners": (12, True, Decimal("50.0")),
        # 5 municipalities would be enough, but partners (6) minus them gives the one.
        "gemeente": (8, False, None),
        "uitvoeringsdienst": (4, False, None),
    }


def test_response_rates_are_given_for_large_enough_groups(db: None) -> None:
    survey_round = RoundFactory(status="closed")
    for group in ("gemeente", "waterschap"):
        for _ in range(5):
            add_response(survey_round, group=group, answers={"q1a": 7})
    InvitationFactory.create_batch(10, round=survey_round, respondent_group="waterschap")
    aggregation.aggregate_round(survey_round)

    rates = {rate.group: (rate.invited, rate.respondents, rate.shown, rate.rate) for rate in
             reports.round_report(survey_round).rates}  # fmt: skip

    assert rates["waterschap"] == (10, 5, True, Decimal("50.0"))
    assert rates["gemeente"] == (None, 5, True, None)  # nobody invited: no rate


def test_shares_add_up_to_a_hundred() -> None:
    cell = Cell(group="gemeente", respondents=3, shown=True, counts=(Decimal(1),) * 3)
    assert cell.shares == (Decimal("33.4"), Decimal("33.3"), Decimal("33.3"))
    halves = Cell(
        group="gemeente",
        respondents=7,
        shown=True,
        counts=(Decimal("0.5"), Decimal("2.5"), Decimal(4), Decimal(0), Decimal(0)),
    )
    assert sum(halves.shares) == 100
    # 7.14, 35.71, 57.14: the spare tenth goes to the first of the two equal remainders.
    assert halves.shares == (Decimal("7.2"), Decimal("35.7"), Decimal("57.1"), 0, 0)


def test_a_round_without_results_reports_nothing(db: None) -> None:
    report = reports.round_report(RoundFactory(status="closed"))

    assert not report.ready and not report.has_results and report.groups == []
    assert report.question("q1a") is None
    assert all(row.cell.empty for row in report.marks())


def test_reading_a_round_takes_three_queries_whatever_its_size(
    db: None, django_assert_num_queries
) -> None:
    survey_round = aggregated_round({group: [7] * 9 for group in [*PARTNERS, "staff"]})

    with django_assert_num_queries(3):
        report = reports.round_report(survey_round)
        report.marks(), report.properties(), report.distributions("staff")


# --- Which rounds ----------------------------------------------------------------------


def test_partners_read_published_rounds_and_staff_closed_ones_too(
    db: None, partner_user, staff_user
) -> None:
    published = aggregated_round({}, year=2024, status="published")
    closed = aggregated_round({}, year=2025, status="closed")
    RoundFactory(status="open")

    assert list(reports.rounds_with_results(partner_user)) == [published]
    assert list(reports.rounds_with_results(staff_user)) == [closed, published]
    assert list(trends.published_rounds()) == [published]


# --- Trends ----------------------------------------------------------------------------


def q1a_points(group: str, rounds: list[Round]) -> list[trends.TrendPoint]:
    """The group's q1a points; none when the group never answered."""
    report = trends.trend_report(group, rounds)
    return next((row.points for row in report.rows if row.code == "q1a"), [])


def test_a_trend_gives_the_difference_between_two_shown_means(db: None) -> None:
    rounds = [
        aggregated_round({"gemeente": [6] * 5}, year=2023),
        aggregated_round({"gemeente": [7] * 4 + [8]}, year=2024),
    ]

    points = q1a_points("gemeente", rounds)

    assert [point.delta for point in points] == [None, Decimal("1.2")]
    assert [point.cell.mean for point in points] == [6, Decimal("7.2")]
    assert not any(point.changed for point in points)


def test_no_difference_is_given_next_to_a_hidden_value(db: None) -> None:
    rounds = [
        aggregated_round({"gemeente": [6] * 5}, year=2022),
        aggregated_round({"gemeente": [9, 9, 9]}, year=2023),  # too few
        aggregated_round({"gemeente": [8] * 5}, year=2024),
        aggregated_round({"gemeente": [7] * 6}, year=2025),
    ]

    points = q1a_points("gemeente", rounds)

    assert [point.cell.shown for point in points] == [True, False, True, True]
    assert points[1].cell.hidden and points[1].cell.mean is None
    # Neither into nor out of the hidden round: 2024 − 2022 is no difference either.
    assert [point.delta for point in points] == [None, None, None, Decimal(-1)]


def test_a_round_that_did_not_ask_the_question_leaves_a_gap(db: None) -> None:
    rounds = [
        aggregated_round({"gemeente": [6] * 5}, year=2023),
        aggregated_round({"waterschap": [6] * 5}, year=2024),
        aggregated_round({"gemeente": [8] * 5}, year=2025),
    ]

    points = q1a_points("gemeente", rounds)

    assert points[1].cell is None and points[1].delta is None
    assert points[2].delta == 2  # the previous shown mean, across the gap


def test_a_changed_question_text_is_marked(db: None) -> None:
    v2 = copy_questionnaire(
        Questionnaire.objects.get(variant="external", version=1),
        texts={"q1a": "Welk cijfer geeft u de provincie voor de samenwerking?"},
    )
    rounds = [
        aggregated_round({"gemeente": [6] * 5}, year=2024),
        aggregated_round({"gemeente": [7] * 5}, year=2025, external_questionnaire=v2),
    ]

    report = trends.trend_report("gemeente", rounds)

    rows = {row.code: row for row in report.rows}
    assert [point.changed for point in rows["q1a"].points] == [False, True]
    # The row has the mark's short name; the changed wording is marked, not spelled out.
    assert rows["q1a"].label == str(reports.MARK_LABELS["q1a"])
    assert not any(point.changed for point in rows["q1b-betrouwbaar"].points)


def test_two_rounds_with_the_same_small_group_do_not_reveal_it(db: None) -> None:
    """The agencies are too few in both rounds: no number, no difference, no total
    minus the others, in any group's trend."""
    rounds = [
        aggregated_round(
            {"gemeente": [7] * 7, "waterschap": [6] * 6, "uitvoeringsdienst": [2, 3]}, year=2024
        ),
        aggregated_round(
            {"gemeente": [8] * 7, "waterschap": [7] * 6, "uitvoeringsdienst": [9, 10]},
            year=2025,
        ),
    ]

    for point in q1a_points("uitvoeringsdienst", rounds):
        assert point.cell.hidden and point.cell.mean is None and point.delta is None
    shown_per_round: dict[int, set[str]] = {r.pk: set() for r in rounds}
    sizes_per_round: dict[int, dict[str, int]] = {r.pk: {} for r in rounds}
    for group in REPORTED_GROUPS:
        for point in q1a_points(group, rounds):
            if point.cell is None:
                continue
            sizes_per_round[point.round.pk][group] = point.cell.respondents
            if point.cell.shown:
                shown_per_round[point.round.pk].add(group)
            else:
                assert point.delta is None and point.cell.counts == ()
    for survey_round in rounds:
        shown, sizes = shown_per_round[survey_round.pk], sizes_per_round[survey_round.pk]
        assert shown == {"partners", "gemeente"}
        hidden = sum(sizes.get(g, 0) for g in PARTNERS if g not in shown)
        assert hidden >= MINIMUM  # waterschap and the agencies together, never alone
    assert q1a_points("partners", rounds)[1].delta == Decimal("1.8")  # 117/15 − 90/15


def test_the_trend_rows_follow_the_question_order(db: None) -> None:
    rounds = [aggregated_round({"staff": [7] * 5}, year=2025)]

    codes = [row.code for row in trends.trend_report("staff", rounds).rows]

    assert codes[:3] == ["q1a", "q2", "q3a"]
    assert codes.index("q1b-betrouwbaar") < codes.index("q3b-betrouwbaar")


def test_a_trend_reads_in_a_fixed_number_of_queries(db: None, django_assert_num_queries) -> None:
    rounds = [aggregated_round({"gemeente": [7] * 5}, year=year) for year in range(2020, 2026)]

    with django_assert_num_queries(1):
        trends.trend_report("gemeente", rounds)


def copy_questionnaire(source: Questionnaire, *, texts: dict[str, str]) -> Questionnaire:
    """The next version of `source` with some questions reworded."""
    copy = Questionnaire.objects.create(
        variant=source.variant, version=source.version + 1, title=source.title
    )
    for section in source.sections.all():
        new_section = Section.objects.create(
            questionnaire=copy, position=section.position, title=section.title
        )
        for question in section.questions.all():
            Question.objects.create(
                questionnaire=copy,
                section=new_section,
                position=question.position,
                code=question.code,
                kind=question.kind,
                perspective=question.perspective,
                property=question.property,
                text=texts.get(question.code, question.text),
                required=question.required,
            )
    return copy


def test_cells_know_whether_they_are_empty_or_hidden() -> None:
    assert Cell(group="gemeente").empty and not Cell(group="gemeente").hidden
    assert Cell(group="gemeente", respondents=3).hidden
    shown = Cell(group="gemeente", respondents=3, shown=True, counts=(Decimal(1), Decimal(2)))
    assert not shown.hidden and shown.shares == (Decimal("33.3"), Decimal("66.7"))


def test_a_question_whose_kind_changed_is_marked_in_the_round_it_changed(db: None) -> None:
    """Compared with the previous round that asked it, not with the latest round."""
    from thermometer.models import Result

    rounds = [RoundFactory(status="published") for _ in range(3)]
    for survey_round, kind in zip(rounds, ["scale", "mark", "mark"], strict=True):
        Result.objects.create(
            round=survey_round,
            group="partners",
            code="q1a",
            kind=kind,
            text="Welk rapportcijfer geeft u de provincie?",
            respondents=10,
            distribution={"3": 10},
            value_sum=30,
            mean=Decimal(3),
            median=Decimal(3),
        )
    (row,) = trends.trend_report("partners", rounds).rows
    assert [point.changed for point in row.points] == [False, True, False]
