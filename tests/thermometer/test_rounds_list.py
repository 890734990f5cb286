"""round_list: rounds newest first with invitation counts."""

import datetime

from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest

from tests.factories import InvitationFactory, RoundFactory

LIST_URL = reverse("thermometer:round_list")
NOW = timezone.now()


def test_it_lists_rounds_newest_first_with_counts(admin_client_portal: Client, db: None) -> None:
    older = RoundFactory(name="Ronde 2025", opens_at=NOW - datetime.timedelta(days=365))
    newer = RoundFactory(name="Ronde 2026")
    InvitationFactory(round=newer, sent_at=NOW, used_at=NOW)
    InvitationFactory(round=newer, sent_at=NOW)
    InvitationFactory(round=newer, revoked_at=NOW)
    response = admin_client_portal.get(LIST_URL)
    rounds = list(response.context["page"].object_list)
    assert rounds == [newer, older]
    assert (rounds[0].invited, rounds[0].finished) == (2, 1)
    assert (rounds[1].invited, rounds[1].finished) == (0, 0)
    body = response.content.decode()
    assert "Ronde 2025" in body and 'data-status="open"' in body


def test_it_says_when_there_are_no_rounds(admin_client_portal: Client, db: None) -> None:
    body = admin_client_portal.get(LIST_URL).content.decode()
    assert "data-empty" in body
    assert reverse("thermometer:round_create") in body


def test_it_pages(admin_client_portal: Client, db: None, settings) -> None:
    settings.PAGE_SIZE = 2
    for _ in range(3):
        RoundFactory()
    assert len(admin_client_portal.get(LIST_URL).context["page"].object_list) == 2
    assert len(admin_client_portal.get(LIST_URL + "?page=2").context["page"].object_list) == 1


@pytest.mark.parametrize("count", [2, 20])
def test_the_query_count_does_not_grow_with_the_rounds(
    admin_client_portal: Client, db: None, count: int, django_assert_max_num_queries
) -> None:
    for _ in range(count):
        InvitationFactory(round=RoundFactory())
    admin_client_portal.get(LIST_URL)
    with django_assert_max_num_queries(7):
        assert admin_client_portal.get(LIST_URL).status_code == 200
