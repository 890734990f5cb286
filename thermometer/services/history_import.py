"""Historical rounds: a round run on paper or in another tool, imported as counts.

The file (services/counts_file.py) holds, per question and respondent group, how many
respondents gave each answer value (DESIGN.md, the instrument: the province's 2020
baseline was counted this way); services/counts_check.py checks its rows. From the
counts this module makes the same Result and GroupResult rows the aggregation makes
from answers (services/aggregation.py), so the round reads, exports and trends like
any other. Questions are taken from the newest questionnaire versions by code, so the
results compare with later rounds.
"""

import logging
from collections import defaultdict
from datetime import date, datetime, time
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DataError, IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.lib.models import User
from portal.lib.tabular.imports import Table
from thermometer.models import (
    PARTNER_GROUPS,
    Aggregation,
    GroupResult,
    Question,
    Questionnaire,
    RespondentGroup,
    Result,
    ResultGroup,
    Round,
)
from thermometer.services import aggregation
from thermometer.services.counts_check import Counted, check_counts, respondents_per_group
from thermometer.services.counts_file import EARLIEST_DAY

logger = logging.getLogger(__name__)


def import_round(
    *, by: User, name: str, opens_on: date, closes_on: date, note: str, table: Table
) -> Round:
    """Create a closed round with the results of `table`: all of it or, on any problem,
    nothing.

    Raises ImportInvalid listing every wrong row, and ValidationError (per field:
    name, opens_on, closes_on; or NON_FIELD_ERRORS) for a name in use, dates that do
    not fit, or numbers the database refuses. The round is published
    afterwards like any other.
    """
    name = " ".join(name.split())
    problems: dict[str, list[str]] = {}
    if not name:
        problems.setdefault("name", []).append(_("Give the round a name."))
    if opens_on < EARLIEST_DAY:
        problems.setdefault("opens_on", []).append(_earliest_message())
    if closes_on <= opens_on:
        problems.setdefault("closes_on", []).append(
            _("The closing date must be after the opening date.")
        )
    if closes_on > timezone.localdate():
        problems.setdefault("closes_on", []).append(
            _("An imported round lies in the past: the closing date cannot be after today.")
        )
    if Round.objects.filter(name=name).exists():
        problems.setdefault("name", []).append(_name_taken())
    if problems:
        raise ValidationError(problems)
    plan = check_counts(table)
    respondents = respondents_per_group(plan.counted)
    newest = {
        variant: Questionnaire.objects.filter(variant=variant).order_by("-version").first()
        for variant in Questionnaire.Variant.values
    }
    try:
        with transaction.atomic():
            survey_round = Round.objects.create(
                name=name,
                status=Round.Status.CLOSED,
                opens_at=_start_of(opens_on),
                closes_at=_start_of(closes_on),
                external_questionnaire=newest[Questionnaire.Variant.EXTERNAL],
                internal_questionnaire=newest[Questionnaire.Variant.INTERNAL],
                include_staff=RespondentGroup.STAFF in respondents,
                record_organisation=False,
                created_by=by,
            )
            now = timezone.now()
            Aggregation.objects.create(
                round=survey_round,
                source=Aggregation.Source.IMPORT,
                status=Aggregation.Status.DONE,
                done=aggregation.STEPS,
                total=aggregation.STEPS,
                responses=sum(respondents.values()),
                requested_by=by,
                requested_at=now,
                started_at=now,
                finished_at=now,
                note=note.strip(),
            )
            Result.objects.bulk_create(_results(survey_round, plan.counted))
            GroupResult.objects.bulk_create(
                aggregation.build_group_results(
                    survey_round,
                    respondents=respondents,
                    invited={group: plan.invited.get(group) for group in respondents},
                )
            )
    except IntegrityError as error:
        # Another administrator took the name between the check and the insert.
        if Round.objects.filter(name=name).exists():
            raise ValidationError({"name": [_name_taken()]}) from error
        raise
    except (DataError, OverflowError) as error:
        # A number too large for its column. The limits on the file rule this out;
        # should one slip through, the database refuses it (PostgreSQL: DataError,
        # SQLite: OverflowError) and the transaction has stored nothing.
        logger.warning("Import of round %r refused by the database: %s", name, error)
        raise ValidationError(
            {
                NON_FIELD_ERRORS: [
                    _(
                        "The counts could not be stored: a number in the file is too large. "
                        "Nothing has been imported."
                    )
                ]
            }
        ) from error
    logger.info("Round %s imported by user %s: %s rows", survey_round.pk, by.pk, len(plan.counted))
    return survey_round


def _name_taken() -> str:
    return _("A round with this name already exists.")


def _earliest_message() -> str:
    return _("The opening date must be on or after 1 January 1990.")


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _results(survey_round: Round, counted: list[Counted]) -> list[Result]:
    """A Result per row, plus "all partners" per code: the sum of the partner groups."""
    results = []
    partners: dict[str, dict[int, Decimal]] = {}
    partner_question: dict[str, Question] = {}
    for row in counted:
        results.append(
            aggregation.result_row(
                survey_round, group=row.group, question=row.question, distribution=row.distribution
            )
        )
        if row.group in PARTNER_GROUPS:
            summed = partners.setdefault(row.question.code, defaultdict(Decimal))
            for value, count in row.distribution.items():
                summed[value] += count
            partner_question.setdefault(row.question.code, row.question)
    for code, distribution in partners.items():
        results.append(
            aggregation.result_row(
                survey_round,
                group=ResultGroup.ALL_PARTNERS,
                question=partner_question[code],
                distribution=distribution,
            )
        )
    return results
