"""Tracked jobs: background work with a row that says how far it got.

A page that waits for a Celery task polls the task's job row: its status, how much of
the work is done and, when it failed, why. ExportJob (the kernel's exports) and the
thermometer's Aggregation are such jobs; a new kind of long work subclasses TrackedJob,
enqueues with enqueue_or_fail(), wraps its task in tracked_task() and shows
components/_progress.html through progress_response().
"""

import functools
import logging
from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from django.db import DatabaseError, OperationalError, models
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from celery import Task, shared_task

logger = logging.getLogger(__name__)

# A database that blinks is retried this often (with backoff) before the job fails.
MAX_RETRIES = 5


class TrackedJob(models.Model):
    """The state of one piece of background work, for the page that waits for it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("to do"), default=0)
    error = models.TextField(_("error"), blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    # What the progress component says in each state; subclasses say it of their work.
    progress_texts: ClassVar[dict[str, str | Promise]] = {
        "pending": _("Waiting to start…"),
        "running": _("Working…"),
        "done": _("Done."),
        "failed": _("This failed."),
    }

    class Meta:
        abstract = True

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.done / (self.total or 1))

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.RUNNING)

    @property
    def finished(self) -> bool:
        return not self.in_progress

    @property
    def progress_announcement(self) -> str:
        """The state in words (waiting, working, ready, failed): what screen readers hear."""
        return str(self.progress_texts.get(self.status, ""))

    @property
    def progress_detail(self) -> str:
        """How far the work is, in words, under the progress bar."""
        return gettext("%(percent)s%% done") % {"percent": self.percent}

    @property
    def progress_key(self) -> str:
        """What a polling page has seen: when it is unchanged, there is nothing to swap."""
        return f"{self.status}-{self.done}-{self.total}"


def fail_jobs(jobs: QuerySet[Any], *, error: str) -> None:
    """Mark jobs as failed, so their pages stop waiting. The error is for the logs and
    administrators; pages say what went wrong in words a reader can act on."""
    try:
        jobs.update(status=TrackedJob.Status.FAILED, error=error[:2000], finished_at=timezone.now())
    except DatabaseError:
        # The database that made the work fail may refuse this too: the task's own
        # error is the one to raise, and the log says the job could not be marked.
        logger.exception("Could not mark %s as failed (%s)", jobs.model.__name__, error)


def enqueue_or_fail(jobs: QuerySet[Any], task: Task, *args: Any) -> bool:
    """Send the task to the broker; if the broker cannot be reached, fail the job visibly
    instead of leaving its page waiting for ever. Call it on commit."""
    try:
        task.delay(*args)
    except Exception as error:  # kombu raises OperationalError and friends
        # With eager tasks (the demo) the task's own error arrives here: a job the task
        # already marked failed keeps that error.
        fail_jobs(
            jobs.exclude(status=TrackedJob.Status.FAILED),
            error=f"Could not enqueue the task: {error}",
        )
        return False
    return True


def tracked_task(
    *, jobs: Callable[..., QuerySet[Any]], **options: Any
) -> Callable[[Callable[..., Any]], Task]:
    """A Celery task doing the work of tracked jobs (`jobs(*args)` finds them).

    A database error is retried with backoff, and the page keeps waiting; when the
    retries are used up, or on any other error, the jobs are marked failed and the
    error is raised for Celery's log. The task must be idempotent (acks_late).
    """

    def decorator(work: Callable[..., Any]) -> Task:
        @shared_task(
            bind=True,
            name=f"{work.__module__}.{work.__name__}",
            autoretry_for=(OperationalError,),
            retry_backoff=True,
            max_retries=MAX_RETRIES,
            **options,
        )
        @functools.wraps(work)
        def task(self: Task, *args: Any) -> Any:
            try:
                return work(*args)
            except OperationalError:
                # max_retries is MAX_RETRIES here; None would mean retrying for ever.
                if self.max_retries is not None and self.request.retries >= self.max_retries:
                    fail_jobs(jobs(*args), error="The database could not be reached.")
                raise
            except Exception as error:
                fail_jobs(jobs(*args), error=repr(error))
                raise

        return task

    return decorator


def progress_response(
    request: HttpRequest,
    *,
    job: TrackedJob | None,
    context: Mapping[str, Any],
) -> HttpResponse:
    """The polled progress of a job: the state block of components/_progress.html, or
    204 when nothing changed.

    A poll sends back the state it has seen (?seen=<progress_key>). Nothing changed:
    204 No Content, which htmx does not swap. Only the numbers changed: the block, for
    the eye. The state itself changed (running, ready, failed): the block and, out of
    band, the new words for the live region, so screen readers hear each state once.
    """
    seen = request.GET.get("seen", "")
    if job is not None and seen == job.progress_key:
        return HttpResponse(status=204)
    announce = job is not None and seen.split("-", 1)[0] != job.status
    return render(
        request,
        "components/_progress.html#state",
        {**context, "job": job, "announce": announce},
    )
