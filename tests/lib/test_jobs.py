"""portal/lib/jobs.py: tracked jobs, their enqueueing, their task wrapper and their
polled progress (components/_progress.html)."""

from django.db import OperationalError
from django.test import RequestFactory

import pytest

from portal.lib import jobs
from portal.lib.models import ExportJob, User


def make_job(user: User, **fields: object) -> ExportJob:
    return ExportJob.objects.create(
        requested_by=user, dataset="organisations", format="csv", **fields
    )


def _jobs(job_id: int):
    return ExportJob.objects.filter(pk=job_id)


@jobs.tracked_task(jobs=_jobs)
def broken_work(job_id: int) -> None:
    raise ValueError("the data is odd")


@jobs.tracked_task(jobs=_jobs)
def unreachable_database(job_id: int) -> None:
    raise OperationalError("connection refused")


def test_percent_and_state_follow_the_work(staff_user: User) -> None:
    job = make_job(staff_user, status="running", done=1, total=3)
    assert (job.percent, job.in_progress, job.finished) == (33, True, False)
    job.status = ExportJob.Status.DONE
    assert (job.percent, job.in_progress, job.finished) == (100, False, True)
    assert make_job(staff_user).percent == 0  # nothing known yet: no division by zero


def test_an_error_in_the_work_fails_the_job_and_is_raised_for_the_log(staff_user: User) -> None:
    job = make_job(staff_user)
    with pytest.raises(ValueError):
        broken_work(job.pk)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED
    assert job.error == "ValueError('the data is odd')"
    assert job.finished_at is not None


def test_a_database_that_stays_away_fails_the_job_after_the_retries(staff_user: User) -> None:
    job = make_job(staff_user)

    def run_at_retry(retries: int) -> None:
        # As the worker runs it: the request says how many retries came before.
        unreachable_database.push_request(retries=retries)
        try:
            with pytest.raises(OperationalError):
                unreachable_database.run(job.pk)
        finally:
            unreachable_database.pop_request()

    run_at_retry(jobs.MAX_RETRIES - 1)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.PENDING, "a retry is coming: the page keeps waiting"
    run_at_retry(jobs.MAX_RETRIES)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED
    assert job.error == "The database could not be reached."
    assert unreachable_database.max_retries == jobs.MAX_RETRIES


def test_a_broker_that_cannot_be_reached_fails_the_job_visibly(staff_user: User) -> None:
    class Unreachable:
        def delay(self, *args: object) -> None:
            raise ConnectionError("broker down")

    job = make_job(staff_user)
    assert jobs.enqueue_or_fail(_jobs(job.pk), Unreachable(), job.pk) is False
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED
    assert job.error.startswith("Could not enqueue the task: broker down")


def test_a_poll_gets_204_while_nothing_changed_and_the_state_when_it_did(
    staff_user: User,
) -> None:
    job = make_job(staff_user, status="running", done=2, total=4)
    context = {"poll_url": "/voortgang/"}
    seen = RequestFactory().get("/voortgang/", {"seen": job.progress_key})
    assert jobs.progress_response(seen, job=job, context=context).status_code == 204
    job.done = 3
    response = jobs.progress_response(seen, job=job, context=context)
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="progress"')
    assert f'hx-get="/voortgang/?seen={job.progress_key}"' in body
    assert 'value="75"' in body
    assert 'role="status"' not in body, "the live region stays in the page, around the state"


def test_a_finished_job_is_no_longer_polled(staff_user: User) -> None:
    job = make_job(staff_user, status="done", done=4, total=4)
    request = RequestFactory().get("/voortgang/")
    body = jobs.progress_response(request, job=job, context={"poll_url": "/v/"}).content.decode()
    assert "hx-get" not in body and "hx-trigger" not in body
    assert 'data-job-status="done"' in body


def test_screen_readers_hear_a_change_of_state_not_each_percent(staff_user: User) -> None:
    job = make_job(staff_user, status="running", done=2, total=4)
    context = {"poll_url": "/voortgang/"}
    same_state = RequestFactory().get("/voortgang/", {"seen": "running-1-4"})
    body = jobs.progress_response(same_state, job=job, context=context).content.decode()
    assert "progress-announcement" not in body, "only the numbers changed"
    job.status = ExportJob.Status.DONE
    body = jobs.progress_response(same_state, job=job, context=context).content.decode()
    assert '<p id="progress-announcement" hx-swap-oob="innerHTML">The file is ready.</p>' in (
        body.replace("Het bestand is klaar.", "The file is ready.")
    )


def test_an_eager_task_that_failed_keeps_its_own_error(staff_user: User) -> None:
    """The demo runs tasks in the request: their error comes back through delay()."""
    job = make_job(staff_user)

    class FailsItself:
        def delay(self, *args: object) -> None:
            jobs.fail_jobs(_jobs(job.pk), error="ValueError('the data is odd')")
            raise ValueError("the data is odd")

    assert jobs.enqueue_or_fail(_jobs(job.pk), FailsItself(), job.pk) is False
    job.refresh_from_db()
    assert job.error == "ValueError('the data is odd')"


def test_a_job_that_cannot_be_marked_failed_does_not_hide_the_error(
    staff_user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import DatabaseError

    def refused(*args: object, **kwargs: object) -> None:
        raise DatabaseError("server closed the connection")

    monkeypatch.setattr(type(_jobs(1)), "update", refused)
    jobs.fail_jobs(_jobs(1), error="boom")  # logged, not raised
