"""Requesting an aggregation, and thermometer/tasks.py's aggregate_round through real
Celery workers: a thread on the configured broker, and a process on Redis."""

import time
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import OperationalError
from django.utils import timezone

import pytest

from tests.factories import RoundFactory, add_response
from thermometer import tasks
from thermometer.models import Aggregation, GroupResult, Result, Round
from thermometer.services import aggregation, rounds


@pytest.fixture
def enqueued(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The round ids handed to the broker (the task's delay), instead of sending them."""
    sent: list[int] = []
    monkeypatch.setattr(tasks.aggregate_round, "delay", lambda round_id: sent.append(round_id))
    return sent


def closed_round_with_responses() -> Round:
    survey_round = RoundFactory(status="closed")
    for group, mark in [("gemeente", 7), ("gemeente", 8), ("waterschap", 6), ("staff", 9)]:
        add_response(survey_round, group=group, answers={"q1a": mark, "q1b-deskundig": 4})
    return survey_round


# --- request_aggregation -------------------------------------------------------------


def test_requesting_twice_while_waiting_enqueues_once(
    db: None, administrator, enqueued: list[int], django_capture_on_commit_callbacks
) -> None:
    survey_round = RoundFactory(status="closed")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = aggregation.request_aggregation(survey_round, by=administrator)
        second = aggregation.request_aggregation(survey_round, by=administrator)

    assert len(callbacks) == 1
    assert enqueued == [survey_round.pk]
    assert first.pk == second.pk and second.status == Aggregation.Status.PENDING
    assert Aggregation.objects.get().requested_by == administrator


def test_nothing_is_enqueued_before_the_transaction_commits(
    db: None, enqueued: list[int], django_capture_on_commit_callbacks
) -> None:
    survey_round = RoundFactory(status="closed")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        aggregation.request_aggregation(survey_round)

    assert enqueued == [] and len(callbacks) == 1


def test_requesting_again_after_a_run_enqueues_a_new_one(
    db: None, enqueued: list[int], django_capture_on_commit_callbacks
) -> None:
    survey_round = closed_round_with_responses()
    aggregation.aggregate_round(survey_round)

    with django_capture_on_commit_callbacks(execute=True):
        again = aggregation.request_aggregation(survey_round)

    assert enqueued == [survey_round.pk]
    assert again.status == Aggregation.Status.PENDING and again.done == 0
    assert Result.objects.filter(round=survey_round).exists()  # old results stay meanwhile


def test_a_stale_run_may_be_requested_again_a_fresh_one_not(
    db: None, enqueued: list[int], django_capture_on_commit_callbacks
) -> None:
    survey_round = RoundFactory(status="closed")
    running = Aggregation.objects.create(round=survey_round, status="running")

    with django_capture_on_commit_callbacks(execute=True):
        aggregation.request_aggregation(survey_round)
    assert enqueued == []

    Aggregation.objects.filter(pk=running.pk).update(
        requested_at=timezone.now() - aggregation.STALE_AFTER - timedelta(seconds=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        aggregation.request_aggregation(survey_round)
    assert enqueued == [survey_round.pk]


def test_a_failed_run_may_be_requested_again(
    db: None, enqueued: list[int], django_capture_on_commit_callbacks
) -> None:
    survey_round = RoundFactory(status="closed")
    Aggregation.objects.create(round=survey_round, status="failed", error="boom")

    with django_capture_on_commit_callbacks(execute=True):
        again = aggregation.request_aggregation(survey_round)

    assert enqueued == [survey_round.pk] and again.error == ""


@pytest.mark.parametrize("status", ["draft", "open"])
def test_it_refuses_a_round_that_has_not_closed(
    db: None, enqueued: list[int], status: str, django_capture_on_commit_callbacks
) -> None:
    survey_round = RoundFactory(status=status)

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ValidationError) as refused,
    ):
        aggregation.request_aggregation(survey_round)

    assert refused.value.code == "not_closed"
    assert callbacks == [] and not Aggregation.objects.exists()


def test_it_refuses_an_imported_round(
    db: None, enqueued: list[int], django_capture_on_commit_callbacks
) -> None:
    survey_round = RoundFactory(status="published")
    Aggregation.objects.create(round=survey_round, source="import", status="done")

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ValidationError) as refused,
    ):
        aggregation.request_aggregation(survey_round)

    assert refused.value.code == "imported"
    assert callbacks == [] and Aggregation.objects.get().status == Aggregation.Status.DONE


def test_a_broker_that_cannot_be_reached_marks_the_run_failed(
    db: None, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks
) -> None:
    def refuse(round_id: int) -> None:
        raise ConnectionError("Connection refused")

    monkeypatch.setattr(tasks.aggregate_round, "delay", refuse)
    survey_round = RoundFactory(status="closed")

    with django_capture_on_commit_callbacks(execute=True):
        aggregation.request_aggregation(survey_round)

    failed = Aggregation.objects.get()
    assert failed.status == Aggregation.Status.FAILED
    assert "Connection refused" in failed.error


def test_closing_a_round_requests_its_aggregation(
    db: None, administrator, enqueued: list[int], django_capture_on_commit_callbacks
) -> None:
    survey_round = RoundFactory(status="open")

    with django_capture_on_commit_callbacks(execute=True):
        assert rounds.transition_round(survey_round, to="closed", by=administrator)

    assert enqueued == [survey_round.pk]
    requested = Aggregation.objects.get(round=survey_round)
    assert requested.status == Aggregation.Status.PENDING
    assert requested.requested_by == administrator


def test_publishing_a_closed_round_requests_nothing_new(
    db: None, administrator, enqueued: list[int], django_capture_on_commit_callbacks
) -> None:
    survey_round = closed_round_with_responses()
    aggregation.aggregate_round(survey_round)

    with django_capture_on_commit_callbacks(execute=True):
        rounds.transition_round(survey_round, to="published", by=administrator)

    assert enqueued == []
    assert Aggregation.objects.get().status == Aggregation.Status.DONE


# --- The task, called as a function -----------------------------------------------------


def test_the_task_computes_the_results_and_returns_the_responses_counted(db: None) -> None:
    survey_round = closed_round_with_responses()

    assert tasks.aggregate_round(survey_round.pk) == 4

    assert Result.objects.get(round=survey_round, group="partners", code="q1a").mean == 7
    assert Aggregation.objects.get().status == Aggregation.Status.DONE


def test_the_task_does_nothing_for_a_deleted_or_open_round(db: None) -> None:
    assert tasks.aggregate_round(987654) == 0
    assert tasks.aggregate_round(RoundFactory(status="open").pk) == 0
    assert not Aggregation.objects.exists()


def test_a_failing_run_is_marked_failed_with_its_error_and_keeps_old_results(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    survey_round = closed_round_with_responses()
    tasks.aggregate_round(survey_round.pk)
    results = Result.objects.filter(round=survey_round).count()

    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("a question without a code")

    monkeypatch.setattr(aggregation, "build_results", broken)
    with pytest.raises(ValueError):
        tasks.aggregate_round(survey_round.pk)

    failed = Aggregation.objects.get()
    assert failed.status == Aggregation.Status.FAILED
    assert "a question without a code" in failed.error and failed.finished_at
    assert Result.objects.filter(round=survey_round).count() == results


def test_a_database_error_is_retried_and_marked_failed_only_on_the_last_try(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    survey_round = closed_round_with_responses()

    def unreachable(*args: object, **kwargs: object) -> None:
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(aggregation, "answer_counts", unreachable)
    with pytest.raises(OperationalError):
        tasks.aggregate_round(survey_round.pk)  # a first try: Celery will retry
    assert Aggregation.objects.get().status == Aggregation.Status.RUNNING

    with pytest.raises(OperationalError):  # the last retry (eager errors propagate)
        tasks.aggregate_round.apply(args=[survey_round.pk], retries=5)

    failed = Aggregation.objects.get()
    assert failed.status == Aggregation.Status.FAILED
    assert failed.error == "The database could not be reached."


# --- Through a real worker ---------------------------------------------------------------


def wait_for(survey_round: Round, status: str, timeout: float = 30) -> Aggregation:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = Aggregation.objects.filter(round=survey_round, status=status).first()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(
        f"aggregation not {status}: {Aggregation.objects.filter(round=survey_round).first()}"
    )


def test_closing_a_round_has_a_worker_compute_its_results(celery_worker, administrator) -> None:
    survey_round = RoundFactory(status="open")
    for group, mark in [("gemeente", 6), ("gemeente", 8), ("staff", 9)]:
        add_response(survey_round, group=group, answers={"q1a": mark})

    rounds.transition_round(survey_round, to="closed", by=administrator)  # enqueues on commit

    done = wait_for(survey_round, Aggregation.Status.DONE)
    assert done.responses == 3
    assert Result.objects.get(round=survey_round, group="gemeente", code="q1a").mean == 7
    assert dict(GroupResult.objects.values_list("group", "respondents")) == {
        "gemeente": 2,
        "staff": 1,
        "partners": 2,
    }


def test_the_worker_marks_a_failing_run_failed(
    celery_worker, monkeypatch: pytest.MonkeyPatch
) -> None:
    survey_round = closed_round_with_responses()

    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("no such question")

    monkeypatch.setattr(aggregation, "build_results", broken)  # the worker is a thread here
    outcome = tasks.aggregate_round.delay(survey_round.pk)
    with pytest.raises(Exception, match="no such question"):
        outcome.get(timeout=30)

    failed = Aggregation.objects.get(round=survey_round)
    assert failed.status == Aggregation.Status.FAILED and "no such question" in failed.error
    assert not Result.objects.exists()


@pytest.mark.integration
def test_a_worker_process_on_redis_computes_a_rounds_results(
    transactional_db: None, celery_worker_process: dict
) -> None:
    survey_round = closed_round_with_responses()
    queue = celery_worker_process["queue"]

    counted = tasks.aggregate_round.apply_async(args=[survey_round.pk], queue=queue)
    assert counted.get(timeout=60) == 4
    # Again, as acks_late or an administrator may: the same rows.
    first = list(Result.objects.order_by("group", "code").values_list("group", "code", "mean"))
    assert (
        tasks.aggregate_round.apply_async(args=[survey_round.pk], queue=queue).get(timeout=60) == 4
    )
    again = list(Result.objects.order_by("group", "code").values_list("group", "code", "mean"))

    assert first == again
    assert ("partners", "q1a", 7) in first and ("staff", "q1a", 9) in first
    assert Aggregation.objects.get(round=survey_round).status == Aggregation.Status.DONE
