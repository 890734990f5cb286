"""Asynchronous work of the partner register: building exports and purging old ones.

Tasks take IDs and call one service each; CELERY_TASK_ACKS_LATE may run a task twice,
so each is idempotent.
"""

from django.db import OperationalError

from celery import Task, shared_task

from partners.models import ExportJob
from partners.services import exchange


@shared_task(bind=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def run_export(self: Task, job_id: int) -> None:
    """Celery entry point for services.exchange.run_export. Idempotent."""
    job = ExportJob.objects.select_related("requested_by").filter(pk=job_id).first()
    if job is None:
        return  # purged before a worker got to it
    try:
        exchange.run_export(job)
    except OperationalError:
        # The database blinked: autoretry runs the task again, and the status page
        # keeps waiting; only when the retries are used up does the job fail.
        if self.request.retries >= self.max_retries:
            exchange.fail_export(job, error="The database could not be reached.")
        raise
    except Exception as error:
        exchange.fail_export(job, error=repr(error))
        raise


@shared_task
def purge_export_jobs() -> int:
    """Celery entry point for services.exchange.purge_export_jobs (beat). Idempotent."""
    return exchange.purge_export_jobs()
