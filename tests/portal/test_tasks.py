import os
import uuid

from django.db import connection

import pytest

from portal import tasks


def test_ping_answers_with_its_token_when_called_as_a_function(db: None) -> None:
    result = tasks.ping("abc")
    assert result["token"] == "abc"
    assert result["select"] == "1"


def test_ping_runs_through_the_broker_on_a_real_worker(celery_worker) -> None:
    token = uuid.uuid4().hex
    result = tasks.ping.delay(token).get(timeout=20)
    assert result["token"] == token
    assert result["database"] == connection.vendor


@pytest.mark.integration
def test_a_task_travels_through_redis_to_a_worker_process(celery_worker_process: dict) -> None:
    """Broker (Redis) → separate `celery worker` process → result backend (Redis)."""
    from django.conf import settings

    assert settings.CELERY_BROKER_URL.startswith("redis://")
    token = uuid.uuid4().hex
    result = tasks.ping.apply_async(args=[token], queue=celery_worker_process["queue"]).get(
        timeout=30
    )
    assert result["token"] == token
    assert result["pid"] == celery_worker_process["pid"]
    assert result["pid"] != os.getpid()
    assert result["database"] == connection.vendor
