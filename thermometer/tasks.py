"""Asynchronous work of the thermometer: e-mailing invitations and reminders, purging.

Tasks take IDs and call one service each. CELERY_TASK_ACKS_LATE may run a task twice,
so each is idempotent: the services lock each invitation and check it is still due.
"""

import smtplib
from datetime import datetime

from django.db import OperationalError
from django.db.models import QuerySet

from celery import shared_task

from portal.lib.jobs import tracked_task
from thermometer.models import Aggregation, Round
from thermometer.services import aggregation, invitations

# A mail server or database that blinks: try again later; what was sent is skipped.
RETRY_ON = (OperationalError, smtplib.SMTPException, ConnectionError, TimeoutError)


@shared_task(autoretry_for=RETRY_ON, retry_backoff=True, max_retries=5)
def send_invitations(round_id: int) -> int:
    """Celery entry point for services.invitations.send_invitations. Idempotent."""
    survey_round = Round.objects.filter(pk=round_id).first()
    if survey_round is None:
        return 0
    return invitations.send_invitations(survey_round)


@shared_task(autoretry_for=RETRY_ON, retry_backoff=True, max_retries=5)
def send_reminders_now(round_id: int, requested_at: str) -> int:
    """Celery entry point for services.invitations.send_reminders_now. Idempotent."""
    survey_round = Round.objects.filter(pk=round_id).first()
    if survey_round is None:
        return 0
    return invitations.send_reminders_now(
        survey_round, requested_at=datetime.fromisoformat(requested_at)
    )


@shared_task(autoretry_for=RETRY_ON, retry_backoff=True, max_retries=5)
def send_due_reminders() -> int:
    """Celery entry point for services.invitations.send_due_reminders (beat). Idempotent."""
    return invitations.send_due_reminders()


@shared_task
def purge_invitation_data() -> int:
    """Celery entry point for services.invitations.purge_invitation_data (beat). Idempotent."""
    return invitations.purge_invitation_data()


def _aggregation(round_id: int) -> QuerySet[Aggregation]:
    return Aggregation.objects.filter(round_id=round_id)


@tracked_task(jobs=_aggregation)
def aggregate_round(round_id: int) -> int:
    """Celery entry point for services.aggregation.aggregate_round. Idempotent: a re-run
    (acks_late, a retry, an administrator) writes the same results."""
    survey_round = Round.objects.filter(pk=round_id).first()
    if survey_round is None:
        return 0
    aggregation_done = aggregation.aggregate_round(survey_round)
    return aggregation_done.responses if aggregation_done else 0
