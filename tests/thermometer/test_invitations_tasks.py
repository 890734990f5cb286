"""thermometer/tasks.py through real Celery workers: a thread, and a process on Redis."""

import email
import os
import re
from collections import Counter
from datetime import timedelta
from pathlib import Path

from django.core import mail
from django.core.mail.backends.filebased import EmailBackend as FileEmailBackend
from django.utils import timezone

import pytest

from tests.factories import ContactFactory, InvitationFactory, OrganisationFactory, RoundFactory
from thermometer import tasks
from thermometer.models import Invitation, SubmissionReceipt
from thermometer.services import invitations

SEPARATOR = "\n" + "-" * 79 + "\n"  # what the file-based e-mail backend puts between messages


class OutboxFolderBackend(FileEmailBackend):
    """The file-based backend, writing to the folder in $THERMOMETER_TEST_OUTBOX.

    portal/settings.py reads EMAIL_BACKEND from the environment but not EMAIL_FILE_PATH,
    so the worker process is pointed at this class and the folder separately.
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(file_path=os.environ["THERMOMETER_TEST_OUTBOX"], **kwargs)


@pytest.fixture(autouse=True)
def questionnaires(transactional_db: None) -> None:
    """Recreate the questionnaires of migration thermometer/0002 when a transactional
    test before this one flushed them (as tests/conftest.py does for the role groups)."""
    import importlib

    from django.apps import apps

    from thermometer.models import Questionnaire

    if not Questionnaire.objects.exists():
        importlib.import_module("thermometer.migrations.0002_questionnaires_v1").create(apps, None)


def test_inviting_sends_through_the_worker_once(celery_worker, administrator) -> None:
    organisation = OrganisationFactory()
    ContactFactory.create_batch(3, organisation=organisation)
    survey_round = RoundFactory(organisations=[organisation], include_staff=False)

    invitations.invite_round(survey_round, by=administrator)  # enqueues on commit
    # The worker takes tasks in order: when this second run is done, so is the first.
    assert tasks.send_invitations.delay(survey_round.pk).get(timeout=30) == 0

    assert len(mail.outbox) == 3
    assert not Invitation.objects.filter(sent_at__isnull=True).exists()


@pytest.fixture
def mail_worker_process(django_db_setup: None, tmp_path: Path):
    """A `celery worker` process on Redis that writes its e-mail to files in a folder.

    The pattern of tests/conftest.py's celery_worker_process, with a queue of its own
    and the file-based e-mail backend in its environment.
    """
    import socket
    import subprocess
    import sys
    import time
    import uuid
    from urllib.parse import urlsplit, urlunsplit

    from django.db import connection

    from portal.celery import app

    queue = f"integration-mail-{uuid.uuid4().hex[:10]}"
    outbox = tmp_path / "outbox"
    outbox.mkdir()
    env = os.environ.copy()
    if env.get("DATABASE_URL"):
        parts = urlsplit(env["DATABASE_URL"])
        env["DATABASE_URL"] = urlunsplit(
            parts._replace(path="/" + connection.settings_dict["NAME"])
        )
    env["CELERY_TASK_ALWAYS_EAGER"] = "false"
    env["EMAIL_BACKEND"] = f"{__name__}.OutboxFolderBackend"
    env["THERMOMETER_TEST_OUTBOX"] = str(outbox)
    log_path = tmp_path / "worker.log"
    node = f"{queue}@{socket.gethostname()}"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "portal", "worker", "--queues", queue,
             "--pool", "solo", "--hostname", node, "--loglevel", "INFO",
             "--without-gossip", "--without-mingle"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not app.control.ping(destination=[node], timeout=1.0):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"celery worker did not come up:\n{log_path.read_text()}")
        yield {"queue": queue, "outbox": outbox, "log": log_path}
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def read_outbox(folder: Path) -> list[email.message.Message]:
    messages = []
    for path in sorted(folder.iterdir()):
        for chunk in path.read_text().split(SEPARATOR):
            if chunk.strip():
                messages.append(email.message_from_string(chunk))
    return messages


@pytest.mark.integration
def test_the_reminder_task_reminds_each_unfinished_invitee_once_through_a_worker_process(
    transactional_db: None, mail_worker_process: dict
) -> None:
    now = timezone.now()
    survey_round = RoundFactory(
        opens_at=now - timedelta(days=8), closes_at=now + timedelta(days=20)
    )
    sent_at = survey_round.opens_at + timedelta(hours=1)
    unfinished = [InvitationFactory(round=survey_round, sent_at=sent_at) for _ in range(3)]
    InvitationFactory(round=survey_round, sent_at=sent_at, used_at=now)
    InvitationFactory(round=survey_round, sent_at=sent_at, revoked_at=now)
    SubmissionReceipt.objects.create(
        invitation=InvitationFactory(round=survey_round, sent_at=sent_at)
    )
    InvitationFactory(round=survey_round, sent_at=sent_at, reminder_count=3)
    queue = mail_worker_process["queue"]

    assert tasks.send_due_reminders.apply_async(queue=queue).get(timeout=60) == 3
    # Run again, as acks_late or a second beat may: nobody gets a second reminder.
    assert tasks.send_due_reminders.apply_async(queue=queue).get(timeout=60) == 0

    messages = read_outbox(mail_worker_process["outbox"])
    assert Counter(m["To"] for m in messages) == Counter(i.email for i in unfinished)
    for message in messages:
        assert survey_round.name in message["Subject"]
        parts = [part.get_content_type() for part in message.walk()]
        assert parts == ["multipart/alternative", "text/plain", "text/html"]
        text = message.get_payload()[0].get_payload(decode=True).decode()
        [token] = re.findall(r"/t/([A-Za-z0-9_-]+)/", text)
        invitation = Invitation.objects.get(token_hash=invitations.hash_token(token))
        assert invitation.reminder_count == 1
    assert "/t/" not in mail_worker_process["log"].read_text()  # no link in the worker log
