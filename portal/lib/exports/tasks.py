"""Asynchronous work of the exports: building a file, purging old ones.

Tasks take IDs and call one service each; CELERY_TASK_ACKS_LATE may run a task twice,
so each is idempotent.
"""

from django.db.models import QuerySet

from celery import shared_task

from portal.lib.exports import services
from portal.lib.jobs import tracked_task
from portal.lib.models import ExportJob


def _job(job_id: int) -> QuerySet[ExportJob]:
    return ExportJob.objects.filter(pk=job_id)


@tracked_task(jobs=_job)
def run_export(job_id: int) -> None:
    """Celery entry point for exports.services.run_export. Idempotent."""
    job = _job(job_id).select_related("requested_by").first()
    if job is None:
        return  # purged before a worker got to it
    services.run_export(job)


@shared_task
def purge_export_jobs() -> int:
    """Celery entry point for exports.services.purge_export_jobs (beat). Idempotent."""
    return services.purge_export_jobs()
