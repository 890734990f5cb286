"""Starting, building and purging export jobs (the work behind exports/views.py).

The file is built by a Celery task (exports/tasks.py) that writes it into its ExportJob
row, batch by batch, so the status page can show progress.
"""

from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import slugify

from portal.lib import jobs
from portal.lib.exports import datasets, tasks
from portal.lib.models import ExportJob, User
from portal.lib.tabular.writing import CsvWriter, XlsxWriter

EXPORT_BATCH_SIZE = 500
EXPORT_RETENTION = timedelta(hours=24)


def start_export(
    *, requested_by: User, dataset: str, file_format: str, filters: dict[str, str]
) -> ExportJob:
    """Create an export job and have a worker build its file once the job is committed."""
    with transaction.atomic():
        job = ExportJob.objects.create(
            requested_by=requested_by, dataset=dataset, format=file_format, filters=filters
        )
        found = ExportJob.objects.filter(pk=job.pk)
        transaction.on_commit(partial(jobs.enqueue_or_fail, found, tasks.run_export, job.pk))
    return job


def _save_progress(job_id: int, done: int) -> None:
    # Committed at once (no transaction around the batches): the status page, in
    # another process, must see it.
    ExportJob.objects.filter(pk=job_id).update(done=done)


def run_export(job: ExportJob, *, batch_size: int = EXPORT_BATCH_SIZE) -> None:
    """Build the file of an export job. Idempotent: a re-run rebuilds the file, byte for
    byte the same while the data has not changed; the dataset hears once that its file
    is ready (Dataset.finished)."""
    found = ExportJob.objects.filter(pk=job.pk)
    dataset = datasets.find(job.dataset)
    if dataset is None:
        jobs.fail_jobs(found, error=f"Unknown dataset {job.dataset!r}.")
        return
    if not dataset.may_export(job.requested_by):
        jobs.fail_jobs(found, error="The requester may no longer export.")
        return
    # The file speaks the portal's language, whatever the worker's: the same job gives
    # the same file every time.
    with translation.override(settings.LANGUAGE_CODE):
        try:
            rows = dataset.rows(job)
        except datasets.ExportRefused as refused:
            jobs.fail_jobs(found, error=str(refused))
            return
        found.update(total=len(rows.pks), done=0, error="")
        found.filter(started_at__isnull=True).update(started_at=timezone.now())
        # A ready job stays ready (and its file downloadable) while a re-run rebuilds it.
        found.exclude(status=ExportJob.Status.DONE).update(status=ExportJob.Status.RUNNING)
        if job.format == ExportJob.Format.XLSX:
            workbook = XlsxWriter(moment=job.created_at)
            workbook.add_sheet(dataset.label, rows.columns)
            writer: CsvWriter | XlsxWriter = workbook
        else:
            writer = CsvWriter(rows.columns)
        written = 0
        for start in range(0, len(rows.pks), batch_size):
            batch = rows.pks[start : start + batch_size]
            by_pk = {row.pk: row for row in rows.fetch.filter(pk__in=batch)}
            for pk in batch:
                if pk in by_pk:  # else deleted since the count
                    writer.write([column.read(by_pk[pk]) for column in rows.columns])
                    written += 1
            _save_progress(job.pk, start + len(batch))
        content = writer.close()
        local = timezone.localtime(job.created_at)
        filename = f"{slugify(str(dataset.label))}-{local:%Y%m%d-%H%M}.{job.format}"
    with transaction.atomic():
        locked = found.select_for_update().first()
        if locked is None:  # purged while it ran
            return
        first_time = locked.status != ExportJob.Status.DONE
        locked.content = content
        locked.filename = filename
        locked.total = locked.done = len(rows.pks)
        locked.status = ExportJob.Status.DONE
        if first_time:
            locked.finished_at = timezone.now()
        locked.save(update_fields=["content", "filename", "total", "done", "status", "finished_at"])
        if first_time:
            with translation.override(settings.LANGUAGE_CODE):
                dataset.finished(locked, rows=written)


def purge_export_jobs(*, older_than: timedelta = EXPORT_RETENTION) -> int:
    """Delete export jobs, and so their files, older than `older_than`. Idempotent."""
    deleted, _by_model = ExportJob.objects.filter(
        created_at__lt=timezone.now() - older_than
    ).delete()
    return deleted
