"""Trends: per question the value of a group over the published rounds.

Read through the same cells as a round's report (services/reports.py), so a hidden
group stays hidden; a difference is only given between two shown values.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet

from thermometer.models import SCALE_MAX, Result, Round
from thermometer.services.reports import (
    ONE_DECIMAL,
    Cell,
    QuestionResult,
    questions_of,
)


@dataclass(frozen=True)
class TrendPoint:
    round: Round
    cell: Cell | None  # None: the question was not asked in this round
    changed: bool  # asked differently than in the previous round that asked it
    delta: Decimal | None  # mean minus the previous shown mean; None unless both shown


@dataclass
class TrendRow:
    code: str
    kind: str
    label: str
    perspective: str
    points: list[TrendPoint]

    @property
    def scale_max(self) -> int:
        return SCALE_MAX[self.kind]


@dataclass
class TrendReport:
    group: str
    rounds: list[Round]
    rows: list[TrendRow]


def trend_report(group: str, rounds: Iterable[Round]) -> TrendReport:
    """Per question (by stable code) the group's value in each round, oldest first.

    A difference is only given between two shown values: a delta next to a hidden
    value would give that value away.
    """
    rounds = list(rounds)
    results = list(
        Result.objects.filter(round__in=rounds).order_by("round_id", "position", "code", "group")
    )
    per_round: dict[int, list[QuestionResult]] = {}
    for survey_round in rounds:
        per_round[survey_round.pk] = questions_of(
            [r for r in results if r.round_id == survey_round.pk]
        )
    codes: dict[str, QuestionResult] = {}
    for survey_round in reversed(rounds):  # the latest wording labels the row
        for result in per_round[survey_round.pk]:
            if group in result.cells:
                codes.setdefault(result.code, result)
    rows = []
    for code, latest in sorted(codes.items(), key=lambda item: (item[1].position, item[0])):
        points = []
        previous_text: str | None = None
        previous_kind: str | None = None
        previous_mean: Decimal | None = None
        for survey_round in rounds:
            question = next((q for q in per_round[survey_round.pk] if q.code == code), None)
            if question is None or group not in question.cells:
                points.append(TrendPoint(round=survey_round, cell=None, changed=False, delta=None))
                continue
            cell = question.cells[group]
            text = question.texts.get(group, question.text)
            changed = previous_text is not None and (
                text != previous_text or question.kind != previous_kind
            )
            # Both means as shown (one decimal), so the difference agrees with the
            # values next to it: 7.6 and 7.64 are "7,6" twice, a change of 0.
            mean = _shown_mean(cell)
            delta = mean - previous_mean if mean is not None and previous_mean is not None else None
            points.append(TrendPoint(round=survey_round, cell=cell, changed=changed, delta=delta))
            previous_text = text
            previous_kind = question.kind
            previous_mean = mean
        rows.append(
            TrendRow(
                code=code,
                kind=latest.kind,
                label=latest.label,
                perspective=latest.perspective,
                points=points,
            )
        )
    return TrendReport(group=group, rounds=rounds, rows=rows)


def _shown_mean(cell: Cell) -> Decimal | None:
    if not cell.shown or cell.mean is None:
        return None
    return cell.mean.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def published_rounds() -> QuerySet[Round]:
    """Published rounds, oldest first: the columns of the trends."""
    return Round.objects.filter(status=Round.Status.PUBLISHED).order_by("closes_at", "pk")
