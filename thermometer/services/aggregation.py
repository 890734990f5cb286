"""Computing a round's results (the Result and GroupResult tables).

The answers are counted in the database: one GROUP BY per round gives, per respondent
group, question and answer value, the number of answers. That distribution is the
whole result: respondents, mean and median follow from it exactly, so Python only
handles the grouped rows (at most groups × questions × 10), never the answers.

Safe to run twice and to be interrupted: the new results replace the old ones in one
transaction under a row lock on the round's Aggregation, so a run that dies leaves the
previous results, and every complete run over the same answers writes the same rows.
"""

import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.lib import jobs
from portal.lib.models import User
from thermometer import tasks
from thermometer.models import (
    PARTNER_GROUPS,
    Aggregation,
    Answer,
    GroupResult,
    Invitation,
    Question,
    Response,
    Result,
    ResultGroup,
    Round,
)

logger = logging.getLogger(__name__)

STEPS = 3  # count the answers, compute the results, write them
# A run that has not finished after this long is taken to have died (a killed
# worker): an administrator may then start a new one.
STALE_AFTER = timedelta(minutes=10)
AGGREGATED_KINDS = (Question.Kind.MARK, Question.Kind.SCALE)
MEAN_PLACES = Decimal("0.0001")


def request_aggregation(survey_round: Round, *, by: User | None = None) -> Aggregation:
    """Have the round's results (re)computed by a worker once this transaction commits.

    Idempotent: while a run is waiting or running (and not stale), asking again
    changes nothing. Raises ValidationError when the round has no results to compute.
    """
    if survey_round.status not in (Round.Status.CLOSED, Round.Status.PUBLISHED):
        raise ValidationError(
            _("Results can only be computed once the round has closed."), code="not_closed"
        )
    with transaction.atomic():
        aggregation, created = Aggregation.objects.select_for_update().get_or_create(
            round=survey_round, defaults={"requested_by": by}
        )
        if aggregation.source == Aggregation.Source.IMPORT:
            raise ValidationError(
                _("The results of this round were imported; there are no answers to count."),
                code="imported",
            )
        busy = aggregation.in_progress and aggregation.requested_at > timezone.now() - STALE_AFTER
        if busy and not created:
            return aggregation
        aggregation.status = Aggregation.Status.PENDING
        aggregation.done = 0
        aggregation.total = STEPS
        aggregation.error = ""
        aggregation.requested_by = by
        aggregation.requested_at = timezone.now()
        aggregation.save()
        transaction.on_commit(
            partial(
                jobs.enqueue_or_fail,
                Aggregation.objects.filter(pk=aggregation.pk),
                tasks.aggregate_round,
                survey_round.pk,
            )
        )
    logger.info("Aggregation of round %s requested by user %s", survey_round.pk, by and by.pk)
    return aggregation


def aggregate_round(survey_round: Round) -> Aggregation | None:
    """Compute and store the round's results. Returns None when there is nothing to do
    (the round is not closed, or its results were imported)."""
    if survey_round.status not in (Round.Status.CLOSED, Round.Status.PUBLISHED):
        return None
    aggregation, _created = Aggregation.objects.get_or_create(round=survey_round)
    if aggregation.source == Aggregation.Source.IMPORT:
        return None
    # Progress is committed at once (no transaction around the steps): the results
    # page, in another process, shows it.
    _progress(aggregation, status=Aggregation.Status.RUNNING, done=0, started_at=timezone.now())
    questions = {
        question.pk: question
        for question in Question.objects.filter(
            questionnaire__in=_questionnaires(survey_round), kind__in=AGGREGATED_KINDS
        ).select_related("section")
    }
    counts = answer_counts(survey_round, question_ids=list(questions))
    _progress(aggregation, done=1)
    respondents = dict(
        Response.objects.filter(round=survey_round)
        .values_list("respondent_group")
        .annotate(n=Count("pk"))
        .order_by()
    )
    invited = dict(
        Invitation.objects.filter(round=survey_round, revoked_at__isnull=True)
        .values_list("respondent_group")
        .annotate(n=Count("pk"))
        .order_by()
    )
    results = build_results(survey_round, counts, questions)
    group_results = build_group_results(survey_round, respondents=respondents, invited=invited)
    _progress(aggregation, done=2)
    with transaction.atomic():
        locked = Aggregation.objects.select_for_update().get(pk=aggregation.pk)
        Result.objects.filter(round=survey_round).delete()
        GroupResult.objects.filter(round=survey_round).delete()
        Result.objects.bulk_create(results)
        GroupResult.objects.bulk_create(group_results)
        locked.status = Aggregation.Status.DONE
        locked.done = locked.total = STEPS
        locked.responses = sum(respondents.values())
        locked.finished_at = timezone.now()
        locked.error = ""
        locked.save()
    logger.info("Round %s aggregated: %s results", survey_round.pk, len(results))
    return locked


def _questionnaires(survey_round: Round) -> QuerySet[Response, int]:
    """The questionnaires of the round's responses (those of the round itself), as a
    subquery of the questions query: one query less, and no list to send back."""
    return (
        Response.objects.filter(round=survey_round)
        .values_list("questionnaire_id", flat=True)
        .distinct()
        .order_by()
    )


def answer_counts(
    survey_round: Round, *, question_ids: list[int]
) -> list[tuple[str, int, int, int]]:
    """(respondent group, question id, answer value, number of answers): the one
    GROUP BY that does the counting, over the marks and scales of `question_ids`."""
    return list(
        Answer.objects.filter(
            response__round=survey_round,
            question_id__in=question_ids,
            number__isnull=False,
        )
        .values_list("response__respondent_group", "question_id", "number")
        .annotate(n=Count("pk"))
        .order_by()
    )


def build_results(
    survey_round: Round,
    counts: Iterable[tuple[str, int, int, int]],
    questions: Mapping[int, Question],
) -> list[Result]:
    """Result rows from the grouped counts: one per question code and group, plus "all
    partners" as the sum of the partner groups."""
    distributions: dict[tuple[str, str], dict[int, Decimal]] = defaultdict(
        lambda: defaultdict(Decimal)
    )
    asked: dict[tuple[str, str], Question] = {}
    for group, question_id, value, n in counts:
        question = questions[question_id]
        distributions[group, question.code][value] += n
        asked.setdefault((group, question.code), question)
        if group in PARTNER_GROUPS:
            distributions[ResultGroup.ALL_PARTNERS, question.code][value] += n
            asked.setdefault((ResultGroup.ALL_PARTNERS, question.code), question)
    return [
        result_row(
            survey_round,
            group=group,
            question=asked[group, code],
            distribution=distribution,
        )
        for (group, code), distribution in sorted(distributions.items())
    ]


def result_row(
    survey_round: Round,
    *,
    group: str,
    question: Question,
    distribution: Mapping[int, Decimal],
) -> Result:
    """One Result from a distribution {value: count}; counts may be halves."""
    total = sum(distribution.values(), Decimal(0))
    value_sum = sum((value * count for value, count in distribution.items()), Decimal(0))
    return Result(
        round=survey_round,
        group=group,
        code=question.code,
        kind=question.kind,
        perspective=question.perspective,
        property=question.property,
        text=question.text,
        position=question_position(question),
        respondents=int(total),
        distribution={
            str(value): _json_number(count)
            for value, count in sorted(distribution.items())
            if count
        },
        value_sum=value_sum,
        mean=(value_sum / total).quantize(MEAN_PLACES, rounding=ROUND_HALF_UP) if total else None,
        median=median(distribution),
    )


def question_position(question: Question) -> int:
    """Where the question comes in the questionnaire: the order of results pages."""
    return question.section.position * 100 + question.position


def median(distribution: Mapping[int, Decimal | int]) -> Decimal | None:
    """The median of a distribution {value: count}; counts may be halves.

    The value at which the cumulative count passes half the total; when it lands
    exactly on half, the mean of that value and the next one given.
    """
    values = sorted(value for value, count in distribution.items() if count > 0)
    total = sum(Decimal(distribution[value]) for value in values)
    if not total:
        return None
    half = total / 2
    cumulative = Decimal(0)
    for index, value in enumerate(values):
        cumulative += Decimal(distribution[value])
        if cumulative > half:
            return Decimal(value)
        if cumulative == half:
            return (Decimal(value) + Decimal(values[index + 1])) / 2
    raise AssertionError("unreachable: the cumulative count reaches the total")


def build_group_results(
    survey_round: Round, *, respondents: Mapping[str, int], invited: Mapping[str, int | None]
) -> list[GroupResult]:
    """Invited and responded per group, plus "all partners"."""
    rows = []
    groups = {*respondents, *(group for group, n in invited.items() if n)}
    for group in sorted(groups):
        rows.append(
            GroupResult(
                round=survey_round,
                group=group,
                invited=invited.get(group),
                respondents=respondents.get(group, 0),
            )
        )
    partner_groups = [group for group in groups if group in PARTNER_GROUPS]
    if partner_groups:
        known = [invited.get(group) for group in partner_groups]
        rows.append(
            GroupResult(
                round=survey_round,
                group=ResultGroup.ALL_PARTNERS,
                invited=None if None in known else sum(known),
                respondents=sum(respondents.get(group, 0) for group in partner_groups),
            )
        )
    return rows


def _json_number(count: Decimal | int) -> int | float:
    """Counts as JSON numbers: whole counts as ints, halves as floats (exact in binary)."""
    count = Decimal(count)
    return int(count) if count == count.to_integral_value() else float(count)


def _progress(aggregation: Aggregation, **fields: object) -> None:
    Aggregation.objects.filter(pk=aggregation.pk).update(**fields)
    for field, value in fields.items():
        setattr(aggregation, field, value)
