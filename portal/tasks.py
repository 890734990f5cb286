"""Tasks of the portal itself: a round trip used by health checks and tests."""

import os

from django.db import connection

from celery import shared_task


@shared_task
def ping(token: str) -> dict[str, str | int]:
    """Answer with the token and the database vendor the worker is connected to.

    Proves a task travelled broker → worker → result backend, and that the worker
    has a working Django set-up. Idempotent: it writes nothing.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        (one,) = cursor.fetchone()
    return {"token": token, "database": connection.vendor, "select": str(one), "pid": os.getpid()}
