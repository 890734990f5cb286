"""Reading results for pages and exports, with the anonymity threshold applied.

Everything that shows a number of a round (the results page, the printable report,
the exports, the trends) reads it here, so the threshold and the protection against
subtraction (services/disclosure.py) cannot be forgotten by one of them: a group that
may not be shown comes out as a Cell without numbers. A fixed number of queries,
whatever the number of responses: the results are stored per question and group.
"""

import builtins
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from portal.lib.models import User
from thermometer.models import (
    PARTNER_GROUPS,
    PROPERTY_LABELS,
    SCALE_MAX,
    Aggregation,
    GroupResult,
    Question,
    Result,
    ResultGroup,
    Round,
)
from thermometer.services.disclosure import disclosed_groups

REPORTED_GROUPS = (ResultGroup.ALL_PARTNERS, *PARTNER_GROUPS, ResultGroup.STAFF)
ONE_DECIMAL = Decimal("0.1")
# Short names of the report marks (DESIGN.md: Q1a, Q2, Q3a) for chart rows and tables.
MARK_LABELS = {
    "q1a": _("Report mark for the province"),
    "q2": _("Report mark for oneself"),
    "q3a": _("Report mark expected from partners"),
}


class Perspective:
    """The views the result picture puts side by side (DESIGN.md, the instrument)."""

    PARTNERS_ABOUT_PROVINCE = "partners"
    STAFF_ABOUT_PROVINCE = "staff"
    STAFF_EXPECTED = "expected"
    STAFF_SELF = "self"

    LABELS = {
        PARTNERS_ABOUT_PROVINCE: _("Partners about the province"),
        STAFF_ABOUT_PROVINCE: _("Staff about the province"),
        STAFF_EXPECTED: _("Staff's expectation of partners"),
        STAFF_SELF: _("Staff about themselves"),
    }


@dataclass(frozen=True)
class Cell:
    """One group's result for one question, or the reason it has no numbers."""

    group: str
    respondents: int = 0
    shown: bool = False
    mean: Decimal | None = None
    median: Decimal | None = None
    counts: tuple[Decimal, ...] = ()  # per answer value 1..scale max; empty when not shown

    @property
    def hidden(self) -> bool:
        """Responses exist but too few to show (the page says "too few responses")."""
        return self.respondents > 0 and not self.shown

    @property
    def empty(self) -> bool:
        return self.respondents == 0

    @property
    def group_label(self) -> str:
        return str(ResultGroup(self.group).label)

    @property
    def shares(self) -> tuple[Decimal, ...]:
        """Percentages per answer value, one decimal, adding up to exactly 100.

        Rounded by largest remainder: rounding each share on its own would give
        33.3 + 33.3 + 33.3 = 99.9 for three equal counts.
        """
        total = sum(self.counts, Decimal(0))
        if not total:
            return ()
        tenths = [1000 * count / total for count in self.counts]  # in 0.1 percent
        floors = [int(t) for t in tenths]
        left = 1000 - sum(floors)
        by_remainder = sorted(
            range(len(tenths)), key=lambda index: (floors[index] - tenths[index], index)
        )
        for index in by_remainder[:left]:
            floors[index] += 1
        return tuple(Decimal(f) / 10 for f in floors)


@dataclass
class QuestionResult:
    code: str
    kind: str
    perspective: str
    property: str
    text: str
    position: int
    cells: dict[str, Cell] = field(default_factory=dict)
    # The wording each group was asked (partners and staff have their own questionnaire).
    texts: dict[str, str] = field(default_factory=dict)

    # A field is named `property`, so the decorator is named in full.
    @builtins.property
    def scale_max(self) -> int:
        return SCALE_MAX[self.kind]

    @builtins.property
    def label(self) -> str:
        """A short name: the property's for property questions, the mark's for the
        report marks, else the question."""
        if self.property:
            return str(PROPERTY_LABELS.get(self.property, self.text))
        return str(MARK_LABELS.get(self.code, self.text))

    def cell(self, group: str) -> Cell:
        return self.cells.get(group) or Cell(group=group)


@dataclass(frozen=True)
class GroupRate:
    """Response rate of one group. Counting responses says nothing about answers, so
    these numbers are shown for small groups too."""

    group: str
    invited: int | None
    respondents: int
    # False for a group below the threshold (and for those hidden with it): its count
    # would tell everyone that the one organisation in it took part, and whether that
    # person answered each question. Pages and exports then say "too few responses".
    shown: bool = True

    @property
    def label(self) -> str:
        return str(ResultGroup(self.group).label)

    @property
    def rate(self) -> Decimal | None:
        if not self.invited or not self.shown:
            return None
        return (100 * Decimal(self.respondents) / self.invited).quantize(
            ONE_DECIMAL, rounding=ROUND_HALF_UP
        )


@dataclass(frozen=True)
class MarkRow:
    perspective: str
    cell: Cell
    question: QuestionResult | None

    @property
    def label(self) -> str:
        return str(Perspective.LABELS[self.perspective])


@dataclass(frozen=True)
class PropertyRow:
    """One property with the three perspectives side by side."""

    property: str
    staff_about: Cell
    staff_expected: Cell
    partners_about: Cell

    # A field is named `property`, so the decorator is named in full.
    @builtins.property
    def label(self) -> str:
        return str(PROPERTY_LABELS.get(self.property, self.property))

    @builtins.property
    def perspectives(self) -> list[tuple[str, str, Cell]]:
        """(key, label, cell) in the order of the picture."""
        return [
            (key, str(Perspective.LABELS[key]), cell)
            for key, cell in (
                (Perspective.STAFF_ABOUT_PROVINCE, self.staff_about),
                (Perspective.STAFF_EXPECTED, self.staff_expected),
                (Perspective.PARTNERS_ABOUT_PROVINCE, self.partners_about),
            )
        ]


@dataclass
class RoundReport:
    round: Round
    aggregation: Aggregation | None
    questions: list[QuestionResult]
    rates: list[GroupRate]

    @property
    def ready(self) -> bool:
        return self.aggregation is not None and self.aggregation.status == Aggregation.Status.DONE

    @property
    def has_results(self) -> bool:
        return bool(self.questions)

    def question(self, code: str) -> QuestionResult | None:
        return self._by_code.get(code)

    @cached_property
    def _by_code(self) -> dict[str, QuestionResult]:
        return {question.code: question for question in self.questions}

    @property
    def groups(self) -> list[str]:
        """The groups that answered this round, in the order of REPORTED_GROUPS."""
        present = {group for question in self.questions for group in question.cells}
        return [group for group in REPORTED_GROUPS if group in present]

    def marks(self, partner_group: str = ResultGroup.ALL_PARTNERS) -> list[MarkRow]:
        """The report mark per perspective."""
        rows = []
        for perspective, group, kind_perspective in (
            (
                Perspective.PARTNERS_ABOUT_PROVINCE,
                partner_group,
                Question.Perspective.ABOUT_PROVINCE,
            ),
            (
                Perspective.STAFF_ABOUT_PROVINCE,
                ResultGroup.STAFF,
                Question.Perspective.ABOUT_PROVINCE,
            ),
            (Perspective.STAFF_EXPECTED, ResultGroup.STAFF, Question.Perspective.EXPECTED_PARTNER),
            (Perspective.STAFF_SELF, ResultGroup.STAFF, Question.Perspective.SELF),
        ):
            question = next(
                (
                    q
                    for q in self.questions
                    if q.kind == Question.Kind.MARK
                    and q.perspective == kind_perspective
                    and group in q.cells
                ),
                None,
            )
            cell = question.cell(group) if question else Cell(group=group)
            rows.append(MarkRow(perspective=perspective, cell=cell, question=question))
        return rows

    def properties(self, partner_group: str = ResultGroup.ALL_PARTNERS) -> list[PropertyRow]:
        """Per property: staff about the province, staff's expectation, partners."""
        found: dict[tuple[str, str], Cell] = {}
        order: list[str] = []
        for question in self.questions:
            if question.kind != Question.Kind.SCALE or not question.property:
                continue
            if question.property not in order:
                order.append(question.property)
            if question.perspective == Question.Perspective.ABOUT_PROVINCE:
                found["staff", question.property] = question.cell(ResultGroup.STAFF)
                found["partners", question.property] = question.cell(partner_group)
            elif question.perspective == Question.Perspective.EXPECTED_PARTNER:
                found["expected", question.property] = question.cell(ResultGroup.STAFF)
        return [
            PropertyRow(
                property=key,
                staff_about=found.get(("staff", key), Cell(group=ResultGroup.STAFF)),
                staff_expected=found.get(("expected", key), Cell(group=ResultGroup.STAFF)),
                partners_about=found.get(("partners", key), Cell(group=partner_group)),
            )
            for key in order
        ]

    def distributions(self, group: str) -> list[tuple[QuestionResult, Cell]]:
        """Every mark and scale question the group answered, with its cell."""
        return [
            (question, question.cells[group])
            for question in self.questions
            if group in question.cells
        ]


def _cells(results: Iterable[Result]) -> dict[str, Cell]:
    """Cells of one question, with the threshold applied across its groups."""
    results = list(results)
    shown = disclosed_groups(
        {
            result.group: result.respondents
            for result in results
            if result.group != ResultGroup.ALL_PARTNERS
        }
    )
    cells = {}
    for result in results:
        if result.group in shown:
            scale_max = SCALE_MAX[result.kind]
            counts = tuple(
                Decimal(str(result.distribution.get(str(value), 0)))
                for value in range(1, scale_max + 1)
            )
            cells[result.group] = Cell(
                group=result.group,
                respondents=result.respondents,
                shown=True,
                mean=result.mean,
                median=result.median,
                counts=counts,
            )
        else:
            cells[result.group] = Cell(group=result.group, respondents=result.respondents)
    return cells


def questions_of(results: Sequence[Result]) -> list[QuestionResult]:
    by_code: dict[str, list[Result]] = {}
    for result in results:
        by_code.setdefault(result.code, []).append(result)
    questions = []
    for code, rows in by_code.items():
        # The partners' wording where both variants ask it (q1a, q1b-*).
        first = next((r for r in rows if r.group != ResultGroup.STAFF), rows[0])
        questions.append(
            QuestionResult(
                code=code,
                kind=first.kind,
                perspective=first.perspective,
                property=first.property,
                text=first.text,
                position=first.position,
                cells=_cells(rows),
                texts={row.group: row.text for row in rows},
            )
        )
    questions.sort(key=lambda q: (q.position, q.code))
    return questions


def round_report(survey_round: Round) -> RoundReport:
    """The results of one round (3 queries)."""
    aggregation = Aggregation.objects.filter(round=survey_round).first()
    results = list(Result.objects.filter(round=survey_round).order_by("position", "code", "group"))
    rows = list(GroupResult.objects.filter(round=survey_round))
    shown = disclosed_groups(
        {row.group: row.respondents for row in rows if row.group != ResultGroup.ALL_PARTNERS}
    )
    rates = [
        GroupRate(
            group=row.group,
            invited=row.invited,
            respondents=row.respondents,
            shown=row.respondents == 0 or row.group in shown,
        )
        for row in rows
    ]
    rates.sort(key=lambda rate: REPORTED_GROUPS.index(rate.group))
    return RoundReport(
        round=survey_round, aggregation=aggregation, questions=questions_of(results), rates=rates
    )


# --- Which rounds a user may read ----------------------------------------------------


def rounds_with_results(user: User) -> QuerySet[Round]:
    """Rounds whose results the user may read: published ones, and for province staff
    closed ones too; newest first."""
    statuses = [Round.Status.PUBLISHED]
    if user.has_perm("thermometer.view_unpublished_result"):
        statuses.append(Round.Status.CLOSED)
    return Round.objects.filter(status__in=statuses).order_by("-closes_at", "-pk")
