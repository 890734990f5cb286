"""round_transition: one step forward, confirmed where it cannot be undone."""

import datetime

from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest

from tests.factories import RoundFactory
from thermometer.models import Round

EN = {"accept-language": "en"}


def transition_url(survey_round: Round) -> str:
    return reverse("thermometer:round_transition", args=[survey_round.pk])


def post(client: Client, survey_round: Round, **data: str):
    return client.post(transition_url(survey_round), data, headers=EN, follow=True)


def status_of(survey_round: Round) -> str:
    survey_round.refresh_from_db()
    return survey_round.status


def test_a_draft_is_opened(admin_client_portal: Client, db: None) -> None:
    draft = RoundFactory(status="draft")
    response = post(admin_client_portal, draft, action="open")
    assert response.redirect_chain == [(draft.get_absolute_url(), 302)]
    assert status_of(draft) == "open"
    assert "The round is open." in response.content.decode()


def test_closing_needs_a_confirmation(admin_client_portal: Client, db: None) -> None:
    survey_round = RoundFactory(status="open")
    response = post(admin_client_portal, survey_round, action="close")
    assert response.status_code == 200
    assert "data-error-summary" in response.content.decode()
    assert status_of(survey_round) == "open"
    post(admin_client_portal, survey_round, action="close", confirm="on")
    assert status_of(survey_round) == "closed"


def test_closing_twice_is_harmless(admin_client_portal: Client, db: None) -> None:
    survey_round = RoundFactory(status="closed")
    response = post(admin_client_portal, survey_round, action="close", confirm="on")
    assert response.status_code == 200
    assert status_of(survey_round) == "closed"
    assert "already had this status" in response.content.decode()


def test_publishing_needs_a_confirmation_and_a_closed_round(
    admin_client_portal: Client, db: None
) -> None:
    survey_round = RoundFactory(status="closed")
    post(admin_client_portal, survey_round, action="publish")
    assert status_of(survey_round) == "closed"
    post(admin_client_portal, survey_round, action="publish", confirm="on")
    assert status_of(survey_round) == "published"


@pytest.mark.parametrize(
    ("status", "action"),
    [("draft", "publish"), ("draft", "close"), ("open", "publish"), ("published", "open")],
)
def test_an_invalid_step_is_refused_with_a_message(
    admin_client_portal: Client, db: None, status: str, action: str
) -> None:
    survey_round = RoundFactory(status=status)
    response = post(admin_client_portal, survey_round, action=action, confirm="on")
    assert response.status_code == 200
    assert status_of(survey_round) == status
    assert "Only a" in response.content.decode()


def test_opening_after_the_closing_time_is_refused(admin_client_portal: Client, db: None) -> None:
    now = timezone.now()
    late = RoundFactory(
        status="draft",
        opens_at=now - datetime.timedelta(days=9),
        closes_at=now - datetime.timedelta(days=1),
    )
    response = post(admin_client_portal, late, action="open")
    assert status_of(late) == "draft"
    assert "closing time has passed" in response.content.decode()


@pytest.mark.parametrize("data", [{}, {"action": "reopen"}, {"name": ""}])
def test_a_malformed_post_gets_the_page_back_not_an_error(
    admin_client_portal: Client, db: None, data: dict
) -> None:
    survey_round = RoundFactory(status="open")
    response = admin_client_portal.post(transition_url(survey_round), data)
    assert response.status_code == 200
    assert status_of(survey_round) == "open"


def test_get_is_not_allowed(admin_client_portal: Client, db: None) -> None:
    assert admin_client_portal.get(transition_url(RoundFactory())).status_code == 405


def test_closing_requests_the_aggregation_of_the_results(
    admin_client_portal: Client, db: None, django_capture_on_commit_callbacks, monkeypatch
) -> None:
    """Closing marks the results as pending and enqueues the task once committed."""
    from thermometer import tasks
    from thermometer.models import Aggregation

    queued = []
    monkeypatch.setattr(tasks.aggregate_round, "delay", queued.append)
    survey_round = RoundFactory(status="open")
    with django_capture_on_commit_callbacks(execute=True):
        post(admin_client_portal, survey_round, action="close", confirm="on")
    assert queued == [survey_round.pk]
    aggregation = Aggregation.objects.get(round=survey_round)
    assert aggregation.status == Aggregation.Status.PENDING
