"""Personas, the Celery test worker and the run-mode switches (integration, e2e)."""

import os

from django.test import Client

import pytest

from partners.models import Organisation
from portal.lib.models import User
from portal.lib.roles import Role
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


def restore_role_groups() -> None:
    """Recreate the role groups that migration portal/0001 creates.

    A transactional test (live server, Celery worker) empties the database when it
    ends, groups included; flush's post_migrate brings back permissions but not the
    groups of a data migration. Serialized rollback cannot restore them either
    (content types come back with new keys), so they are made again from grants.py.
    """
    from django.contrib.auth.models import Group, Permission

    from portal.grants import ROLE_PERMISSIONS

    for role, permissions in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role.value)
        group.permissions.set(
            [
                Permission.objects.get(content_type__app_label=app, codename=codename)
                for app, codename in (dotted.split(".") for dotted in permissions)
            ]
        )


def restore_questionnaires() -> None:
    """Recreate the questionnaires of migration thermometer/0002 after a flush."""
    import importlib

    from django.apps import apps

    from thermometer.models import Questionnaire

    if not Questionnaire.objects.exists():
        migration = importlib.import_module("thermometer.migrations.0002_questionnaires_v1")
        migration.create(apps, None)


@pytest.fixture(autouse=True)
def role_groups_in_transactional_tests(request: pytest.FixtureRequest) -> None:
    marker = request.node.get_closest_marker("django_db")
    transactional = "transactional_db" in request.fixturenames or (
        marker is not None and marker.kwargs.get("transaction", False)
    )
    if transactional:
        request.getfixturevalue("transactional_db")
        restore_role_groups()
        restore_questionnaires()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:
    """PBKDF2 is slow by design; tests create many users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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


# The columns of every permission matrix, and a logged-in client per role.
ROLES = ("anonymous", "outsider", "partner", "staff", "account-holder", "beheerder")


@pytest.fixture
def clients(
    client: Client,
    outsider_client: Client,
    partner_client: Client,
    staff_client: Client,
    account_holder_client: Client,
    admin_client_portal: Client,
) -> dict[str, Client]:
    return dict(
        zip(
            ROLES,
            [
                client,
                outsider_client,
                partner_client,
                staff_client,
                account_holder_client,
                admin_client_portal,
            ],
            strict=True,
        )
    )


@pytest.fixture
def example_objects(administrator: User) -> dict[str, int]:
    """One object behind every kind of object URL, by URL-name prefix (tests/urlwalk.py)."""
    from portal.lib.models import ExportJob
    from tests.factories import (
        AccountHolderFactory,
        ContactFactory,
        FollowUpFactory,
        InteractionFactory,
    )

    organisation = OrganisationFactory(name="Utrechtse Heuvelrug", cbs_code="GM1581")
    contact = ContactFactory(organisation=organisation, visibility="shared")
    follow_up = FollowUpFactory(interaction=InteractionFactory(organisation=organisation))
    job = ExportJob.objects.create(
        requested_by=administrator, dataset="organisations", format="csv"
    )
    from tests.factories import RoundFactory

    survey_round = RoundFactory(created_by=administrator, include_staff=True)
    from thermometer.models import ImprovementAction

    published = RoundFactory(
        created_by=administrator, name="Gepubliceerde ronde", status="published"
    )
    action = ImprovementAction.objects.create(
        round=published,
        title="Sneller terugkoppelen",
        owner="Team Samenwerking",
        created_by=administrator,
    )
    return {
        "thermometer:round_": survey_round.pk,
        "thermometer:results_": published.pk,
        "thermometer:action_": action.pk,
        "thermometer:staff_join": survey_round.pk,
        "partners:contact_": contact.pk,
        "partners:assignment_": AccountHolderFactory(organisation=organisation).pk,
        "partners:interaction_": follow_up.interaction_id,
        "partners:follow_up_": follow_up.pk,
        "exports:": job.pk,
    }


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


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup: None, tmp_path_factory: pytest.TempPathFactory):
    """A real `celery worker` process on Redis, consuming a queue of its own.

    The queue name is unique per run, so the process never takes tasks meant for
    the in-process test worker or another run. With DATABASE_URL set, the worker
    connects to the test database that pytest-django created.
    """
    import socket
    import subprocess
    import sys
    import time
    import uuid
    from urllib.parse import urlsplit, urlunsplit

    from django.db import connection

    from portal.celery import app

    queue = f"integration-{uuid.uuid4().hex[:10]}"
    env = os.environ.copy()
    if env.get("DATABASE_URL"):
        parts = urlsplit(env["DATABASE_URL"])
        env["DATABASE_URL"] = urlunsplit(
            parts._replace(path="/" + connection.settings_dict["NAME"])
        )
    env["CELERY_TASK_ALWAYS_EAGER"] = "false"
    log_path = tmp_path_factory.mktemp("celery") / "worker.log"
    node = f"{queue}@{socket.gethostname()}"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "portal",
                "worker",
                "--queues",
                queue,
                "--pool",
                "solo",
                "--hostname",
                node,
                "--loglevel",
                "INFO",
                "--without-gossip",
                "--without-mingle",
            ],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while not app.control.ping(destination=[node], timeout=1.0):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(
                    f"celery worker did not come up (exit code {process.poll()}):\n"
                    + log_path.read_text()
                )
        yield {"queue": queue, "pid": process.pid, "log": log_path}
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
