"""The Celery tasks of exports (issue #3, item 7): run_export and purge_export_jobs."""

import csv
import io
import time
from datetime import timedelta

from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest

from partners.models import PersonalDataLog
from portal.lib.exports import services as exports
from portal.lib.exports import tasks
from portal.lib.models import ExportJob, User
from tests.factories import ContactFactory, OrganisationFactory


def make_job(user: User, dataset: str = "contacts", file_format: str = "csv") -> ExportJob:
    return ExportJob.objects.create(requested_by=user, dataset=dataset, format=file_format)


def test_run_export_called_as_a_function_builds_the_file(staff_user: User, db: None) -> None:
    ContactFactory.create_batch(3)
    job = make_job(staff_user)
    tasks.run_export(job.pk)
    job.refresh_from_db()
    assert (job.status, job.total, job.done) == ("done", 3, 3)
    assert len(list(csv.reader(io.StringIO(bytes(job.content).decode("utf-8-sig"))))) == 4


def test_run_export_of_a_purged_job_does_nothing(db: None) -> None:
    assert tasks.run_export(999_999) is None


def test_a_failing_export_is_marked_failed(
    staff_user: User, db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(job: ExportJob) -> None:
        raise ValueError("disk full")

    monkeypatch.setattr(exports, "run_export", broken)
    job = make_job(staff_user)
    with pytest.raises(ValueError):
        tasks.run_export(job.pk)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED
    assert "disk full" in job.error
    assert job.finished_at is not None


def test_purge_deletes_only_jobs_older_than_a_day(staff_user: User, db: None) -> None:
    old, recent = make_job(staff_user), make_job(staff_user)
    ExportJob.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=25))
    ExportJob.objects.filter(pk=recent.pk).update(created_at=timezone.now() - timedelta(hours=23))
    assert tasks.purge_export_jobs() == 1
    assert list(ExportJob.objects.all()) == [recent]
    assert tasks.purge_export_jobs() == 0, "idempotent"


def test_beat_purges_export_jobs_every_hour() -> None:
    entries = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "portal.lib.exports.tasks.purge_export_jobs"
    ]
    assert entries == [{"task": "portal.lib.exports.tasks.purge_export_jobs", "schedule": 3600}]
    from portal.celery import app

    app.loader.import_default_modules()
    assert "portal.lib.exports.tasks.purge_export_jobs" in app.tasks
    assert "portal.lib.exports.tasks.run_export" in app.tasks


def wait_until_finished(job: ExportJob, timeout: float = 30) -> ExportJob:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in {ExportJob.Status.DONE, ExportJob.Status.FAILED}:
            return job
        time.sleep(0.05)
    pytest.fail(f"export {job.pk} still {job.status} after {timeout}s")


def test_an_export_runs_on_a_real_worker_from_request_to_download(
    celery_worker, staff_user: User
) -> None:
    """Form → on_commit → broker → worker → file in the database → download."""
    organisation = OrganisationFactory(name="Houten", cbs_code="GM0321")
    ContactFactory.create_batch(7, organisation=organisation)
    client = Client()
    client.force_login(staff_user)
    response = client.post(
        reverse("exports:create"),
        {"dataset": "contacts", "format": "csv", "organisation": organisation.pk},
    )
    assert response.status_code == 302
    job = wait_until_finished(ExportJob.objects.get())
    assert (job.status, job.total, job.done, job.percent) == ("done", 7, 7, 100)
    status = client.get(response["Location"], headers={"HX-Request": "true"})
    assert reverse("exports:download", args=[job.pk]) in status.content.decode()
    download = client.get(reverse("exports:download", args=[job.pk]))
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert len(rows) == 8
    assert {row[0] for row in rows[1:]} == {"Houten"}
    [entry] = PersonalDataLog.objects.all()
    assert (entry.user, entry.action, entry.row_count) == (staff_user, "export", 7)
