"""Submit once under real concurrency (#4): parallel submits against PostgreSQL.

SQLite serialises every write to the whole database, so it cannot show a race; these
tests run in the PostgreSQL run only. Twenty threads stay well under PostgreSQL's
default max_connections (100); each closes its connection when its task ends.
"""

import importlib
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from django.apps import apps as django_apps
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

import pytest

from tests.factories import InvitationFactory, RoundFactory
from tests.thermometer.test_survey_views import COMPLETE, ENGLISH, answering
from thermometer.models import (
    Answer,
    Draft,
    Invitation,
    Questionnaire,
    Response,
    SubmissionReceipt,
)
from thermometer.services.survey import AlreadySubmitted, submit_draft

pytestmark = pytest.mark.django_db(transaction=True)

ATTEMPTS = 200
THREADS = 20


@pytest.fixture(autouse=True)
def postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs real concurrent transactions (PostgreSQL run)")


@pytest.fixture(autouse=True)
def questionnaires(postgresql: None, transactional_db: None) -> None:
    """An earlier transactional test flushed the questionnaires of data migration 0002."""
    if not Questionnaire.objects.exists():
        migration = importlib.import_module("thermometer.migrations.0002_questionnaires_v1")
        migration.create(django_apps, None)


def invitation_with_complete_draft(**fields: object) -> Invitation:
    invitation = InvitationFactory(**fields)
    Draft.objects.create(invitation=invitation, answers=dict(COMPLETE), revision=5)
    return invitation


def in_parallel(task: Callable[[int], str], count: int) -> Counter[str]:
    def run(number: int) -> str:
        try:
            return task(number)
        except Exception as error:  # every failure is an outcome to count, never a crash
            return f"error: {error!r}"
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        return Counter(pool.map(run, range(count)))


def submit_service(invitation_pk: int) -> str:
    invitation = Invitation.objects.select_related("round").get(pk=invitation_pk)
    try:
        submit_draft(invitation, revision=5)
    except AlreadySubmitted:
        return "already submitted"
    return "stored"


def test_200_parallel_submits_of_one_invitation_store_one_response() -> None:
    invitation = invitation_with_complete_draft()
    outcomes = in_parallel(lambda _: submit_service(invitation.pk), ATTEMPTS)
    assert outcomes == {"stored": 1, "already submitted": ATTEMPTS - 1}
    assert Response.objects.count() == 1
    assert Answer.objects.count() == len(COMPLETE)
    assert SubmissionReceipt.objects.count() == 1
    assert not Draft.objects.exists()


def test_200_parallel_submits_through_the_page_store_one_response() -> None:
    """Double clicks and tabs (one session) and other devices (own sessions) together."""
    invitation = invitation_with_complete_draft()
    shared_session = answering(invitation).cookies[settings.SESSION_COOKIE_NAME].value
    clients = [answering(invitation) for _ in range(ATTEMPTS // 2)]
    for _ in range(ATTEMPTS - len(clients)):
        clients.append(Client())
        clients[-1].cookies[settings.SESSION_COOKIE_NAME] = shared_session
    done = reverse("thermometer:survey_done")

    def submit_page(number: int) -> str:
        response = clients[number].post(
            reverse("thermometer:survey_submit"), {"revision": "5"}, headers=ENGLISH
        )
        if response.status_code == 302 and response["Location"] == done:
            return "stored"
        if response.status_code == 409 and b"already been sent" in response.content:
            return "already submitted"
        return f"status {response.status_code}"

    outcomes = in_parallel(submit_page, ATTEMPTS)
    assert outcomes == {"stored": 1, "already submitted": ATTEMPTS - 1}
    assert Response.objects.count() == 1


def test_200_different_invitations_submitted_in_parallel_store_200() -> None:
    survey_round = RoundFactory()
    invitations = [invitation_with_complete_draft(round=survey_round) for _ in range(ATTEMPTS)]
    outcomes = in_parallel(lambda number: submit_service(invitations[number].pk), ATTEMPTS)
    assert outcomes == {"stored": ATTEMPTS}
    assert Response.objects.count() == ATTEMPTS
    assert Answer.objects.count() == ATTEMPTS * len(COMPLETE)
    assert Invitation.objects.filter(used_at__isnull=False).count() == ATTEMPTS
    assert not Draft.objects.exists()


def test_a_submit_during_a_close_waits_for_it_and_is_refused() -> None:
    """A response may not land after the round closed (and its results were counted):
    a recompute would then change "all partners" by that one response."""
    import threading
    import time

    from django.db import transaction

    from thermometer.models import Round
    from thermometer.services.survey import RoundClosed

    invitation = invitation_with_complete_draft()
    closing = threading.Event()

    def close_slowly() -> None:
        try:
            with transaction.atomic():
                Round.objects.select_for_update().get(pk=invitation.round_id)
                Round.objects.filter(pk=invitation.round_id).update(status=Round.Status.CLOSED)
                closing.set()
                time.sleep(1.0)  # the submit arrives while the close is not committed
        finally:
            connection.close()

    closer = threading.Thread(target=close_slowly)
    closer.start()
    assert closing.wait(timeout=10)
    with pytest.raises(RoundClosed):
        submit_draft(Invitation.objects.get(pk=invitation.pk), revision=5)
    closer.join()
    assert not Response.objects.exists()
    assert not SubmissionReceipt.objects.exists()
