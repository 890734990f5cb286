"""Personas, the Celery test worker and the run-mode switches (integration, e2e)."""

import os

import pytest

from django.test import Client

from partners.models import Organisation
from portal.models import User
from portal.roles import Role
from tests.factories import OrganisationFactory, UserFactory

IN_CI = os.environ.get("CI", "").lower() == "true"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Integration tests need Redis and a worker process: they run when REDIS_URL is set.

    They are deselected (not skipped) in the embedded run, so the summary stays honest;
    .ci/run runs the suite a second time with REDIS_URL set.
    """
    if os.environ.get("REDIS_URL"):
        return
    selected = [item for item in items if "integration" not in item.keywords]
    deselected = [item for item in items if "integration" in item.keywords]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = selected


# --- Personas ---------------------------------------------------------------------


@pytest.fixture
def organisation(db: None) -> Organisation:
    return OrganisationFactory(name="Woerden", cbs_code="GM0632")


@pytest.fixture
def partner_user(organisation: Organisation) -> User:
    return UserFactory(username="partner", role=Role.PARTNER, organisation=organisation)


@pytest.fixture
def staff_user(db: None) -> User:
    return UserFactory(username="staff", role=Role.STAFF)


@pytest.fixture
def account_holder(db: None) -> User:
    return UserFactory(username="accounthouder", role=Role.ACCOUNT_HOLDER)


@pytest.fixture
def administrator(db: None) -> User:
    return UserFactory(username="beheerder", role=Role.BEHEERDER)


@pytest.fixture
def outsider(db: None) -> User:
    """Logged in, but without any role."""
    return UserFactory(username="outsider")


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def partner_client(partner_user: User) -> Client:
    return logged_in(partner_user)


@pytest.fixture
def staff_client(staff_user: User) -> Client:
    return logged_in(staff_user)


@pytest.fixture
def account_holder_client(account_holder: User) -> Client:
    return logged_in(account_holder)


@pytest.fixture
def admin_client_portal(administrator: User) -> Client:
    return logged_in(administrator)


@pytest.fixture
def outsider_client(outsider: User) -> Client:
    return logged_in(outsider)


# --- Celery -------------------------------------------------------------------------


@pytest.fixture
def celery_worker(transactional_db: None):
    """A real Celery worker thread on the configured broker (in-memory by default).

    Celery's docs advise against eager mode in tests; this runs the task through the
    broker, a worker and the result backend, as production does.
    """
    from celery.contrib.testing.worker import start_worker

    from portal.celery import app

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as worker:
        yield worker
