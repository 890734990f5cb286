"""Where users find the results: the home page teaser and the round page."""

from django.test import Client
from django.urls import reverse

import pytest

from tests.factories import ImprovementActionFactory, RoundFactory
from thermometer.models import Aggregation

pytestmark = pytest.mark.django_db
EN = {"accept-language": "en"}


def test_the_home_page_points_partners_to_the_latest_published_results(
    partner_client: Client,
) -> None:
    RoundFactory(name="Thermometer 2024", status="published")
    latest = RoundFactory(name="Thermometer 2025", status="published")
    ImprovementActionFactory(round=latest, status="done")
    ImprovementActionFactory(round=latest, status="planned")
    RoundFactory(name="Thermometer 2026", status="closed")  # not yet for partners

    body = partner_client.get(reverse("home"), headers=EN).content.decode()

    assert "The results of Thermometer 2025 are published, with 2 improvement actions." in body
    assert reverse("thermometer:results_detail", args=[latest.pk]) in body
    assert "Thermometer 2026" not in body


def test_the_home_page_has_no_teaser_before_anything_is_published(
    partner_client: Client,
) -> None:
    RoundFactory(status="closed")
    body = partner_client.get(reverse("home"), headers=EN).content.decode()
    assert "data-latest-results" not in body


def test_the_home_page_of_someone_without_a_role_has_no_teaser(outsider_client: Client) -> None:
    RoundFactory(status="published")
    body = outsider_client.get(reverse("home"), headers=EN).content.decode()
    assert "data-latest-results" not in body


def test_the_round_page_links_to_the_results_with_their_state(
    admin_client_portal: Client,
) -> None:
    survey_round = RoundFactory(status="closed")
    Aggregation.objects.create(round=survey_round, status=Aggregation.Status.RUNNING)

    body = admin_client_portal.get(
        reverse("thermometer:round_detail", args=[survey_round.pk]), headers=EN
    ).content.decode()

    assert 'data-aggregation="running"' in body
    assert "Results: Computing." in body
    assert reverse("thermometer:results_detail", args=[survey_round.pk]) in body


def test_an_open_round_has_no_results_link(admin_client_portal: Client) -> None:
    survey_round = RoundFactory(status="open")
    body = admin_client_portal.get(
        reverse("thermometer:round_detail", args=[survey_round.pk]), headers=EN
    ).content.decode()
    assert reverse("thermometer:results_detail", args=[survey_round.pk]) not in body
