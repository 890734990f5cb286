"""thermometer/views/invitations.py: the personal link, staff joining, invite and remind."""

import logging
from datetime import timedelta

from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest

from tests.factories import InvitationFactory, RoundFactory
from thermometer.models import Invitation
from thermometer.services import invitations

pytestmark = pytest.mark.django_db

SURVEY_START = reverse("thermometer:survey_start")
LINK_INVALID = reverse("thermometer:link_invalid")
LINK_USED = reverse("thermometer:link_used")


@pytest.fixture(autouse=True)
def empty_rate_limit() -> None:
    cache.clear()


def invitation_with_token(**kwargs) -> tuple[Invitation, str]:
    token, token_hash = invitations.new_token()
    return InvitationFactory(token_hash=token_hash, sent_at=timezone.now(), **kwargs), token


def exchange(client: Client, token: str, **extra):
    return client.get(reverse("thermometer:invitation_exchange", args=[token]), **extra)


# --- The personal link --------------------------------------------------------------------


def test_a_valid_link_starts_a_session_and_redirects_to_a_token_free_url(client) -> None:
    invitation, token = invitation_with_token()

    response = exchange(client, token)

    assert response.status_code == 302
    assert response["Location"] == SURVEY_START
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]
    assert client.session["thermometer_invitation"] == invitation.pk


def test_opening_the_link_again_resumes_the_same_invitation(client) -> None:
    invitation, token = invitation_with_token()
    exchange(client, token)
    response = exchange(Client(), token)
    assert response["Location"] == SURVEY_START


def test_unknown_revoked_and_expired_links_get_the_same_answer(client) -> None:
    _, revoked = invitation_with_token(revoked_at=timezone.now())
    _, closed = invitation_with_token(round=RoundFactory(status="closed"))
    past = RoundFactory(
        opens_at=timezone.now() - timedelta(days=30), closes_at=timezone.now() - timedelta(days=1)
    )
    _, expired = invitation_with_token(round=past)
    unknown = invitations.new_token()[0]

    responses = [exchange(Client(), token) for token in (unknown, revoked, closed, expired)]

    answers = {
        (r.status_code, r["Location"], r["Referrer-Policy"], r["Cache-Control"], r.content)
        for r in responses
    }
    assert len(answers) == 1
    assert responses[0]["Location"] == LINK_INVALID
    assert all("thermometer_invitation" not in r.client.session for r in responses)


def test_a_used_link_leads_to_a_clear_page(client) -> None:
    _, token = invitation_with_token(used_at=timezone.now())
    response = exchange(client, token, follow=True)
    assert response.redirect_chain == [(LINK_USED, 302)]
    assert response.status_code == 200
    assert "thermometer_invitation" not in client.session


@pytest.mark.parametrize("name", ["link_invalid", "link_used"])
def test_the_link_pages_are_plain_pages(client, name) -> None:
    response = client.get(reverse(f"thermometer:{name}"), headers={"accept-language": "en"})
    assert response.status_code == 200
    assert client.post(reverse(f"thermometer:{name}")).status_code == 405


def test_exchanges_are_rate_limited_per_client_address() -> None:
    _, token = invitation_with_token()
    client = Client(REMOTE_ADDR="192.0.2.1")
    for _ in range(20):
        exchange(client, invitations.new_token()[0])

    response = exchange(client, token)  # even a valid token, once over the limit

    assert response.status_code == 429
    assert response["Cache-Control"] == "no-store"
    assert "thermometer_invitation" not in client.session
    assert exchange(Client(REMOTE_ADDR="192.0.2.2"), token).status_code == 302


def test_the_token_is_never_logged(caplog) -> None:
    _, token = invitation_with_token()
    client = Client(REMOTE_ADDR="192.0.2.3", enforce_csrf_checks=True)
    with caplog.at_level(logging.DEBUG):
        for _ in range(21):
            exchange(client, token)  # the last is a 429
        client.post(reverse("thermometer:invitation_exchange", args=[token]))  # 405
    assert token not in caplog.text


def test_posting_to_the_link_is_refused() -> None:
    _, token = invitation_with_token()
    response = Client(enforce_csrf_checks=True).post(
        reverse("thermometer:invitation_exchange", args=[token])
    )
    assert response.status_code == 405


# --- Staff join ---------------------------------------------------------------------------


def test_staff_see_a_confirmation_page_first(staff_client) -> None:
    survey_round = RoundFactory(include_staff=True)
    response = staff_client.get(reverse("thermometer:staff_join", args=[survey_round.pk]))
    assert response.status_code == 200
    assert not Invitation.objects.exists()


def test_staff_join_without_a_token(staff_client, staff_user) -> None:
    survey_round = RoundFactory(include_staff=True)
    url = reverse("thermometer:staff_join", args=[survey_round.pk])

    response = staff_client.post(url)
    staff_client.post(url)

    assert response["Location"] == SURVEY_START
    invitation = Invitation.objects.get(user=staff_user)
    assert invitation.respondent_group == "staff"
    assert staff_client.session["thermometer_invitation"] == invitation.pk


def test_staff_who_submitted_are_told_so(staff_client, staff_user) -> None:
    survey_round = RoundFactory(include_staff=True)
    invitations.join_as_staff(survey_round, user=staff_user)
    Invitation.objects.filter(user=staff_user).update(used_at=timezone.now())
    response = staff_client.post(reverse("thermometer:staff_join", args=[survey_round.pk]))
    assert response["Location"] == LINK_USED


def test_staff_cannot_join_a_round_without_staff_or_not_open(staff_client) -> None:
    without_staff = RoundFactory(include_staff=False)
    closed = RoundFactory(include_staff=True, status="closed")
    assert (
        staff_client.post(reverse("thermometer:staff_join", args=[without_staff.pk])).status_code
        == 404
    )
    assert staff_client.post(reverse("thermometer:staff_join", args=[closed.pk])).status_code == 403
    assert not Invitation.objects.exists()


def test_partners_cannot_join_as_staff(partner_client, outsider_client) -> None:
    survey_round = RoundFactory(include_staff=True)
    url = reverse("thermometer:staff_join", args=[survey_round.pk])
    assert partner_client.post(url).status_code == 403
    assert outsider_client.get(url).status_code == 403
    assert not Invitation.objects.exists()


# --- Invite and remind --------------------------------------------------------------------


def test_the_administrator_invites_a_round(
    admin_client_portal, django_capture_on_commit_callbacks
) -> None:
    survey_round = RoundFactory(include_staff=True)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = admin_client_portal.post(
            reverse("thermometer:round_invite", args=[survey_round.pk])
        )
    assert response.status_code == 302
    assert response["Location"] == survey_round.get_absolute_url()
    assert Invitation.objects.filter(round=survey_round, respondent_group="staff").exists()
    assert len(callbacks) == 1


def test_a_draft_round_is_not_sent(admin_client_portal) -> None:
    survey_round = RoundFactory(status="draft")
    response = admin_client_portal.post(
        reverse("thermometer:round_invite", args=[survey_round.pk]), follow=True
    )
    assert response.status_code in (200, 501)  # the round page, whatever it is now
    assert not Invitation.objects.exists()


def test_the_administrator_sends_a_reminder_now(
    admin_client_portal, django_capture_on_commit_callbacks
) -> None:
    survey_round = RoundFactory()
    InvitationFactory(round=survey_round, sent_at=timezone.now() - timedelta(days=3))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = admin_client_portal.post(
            reverse("thermometer:round_remind", args=[survey_round.pk])
        )
    assert response["Location"] == survey_round.get_absolute_url()
    assert len(callbacks) == 1


# --- Who may do what ----------------------------------------------------------------------


@pytest.fixture
def clients(
    client,
    outsider_client,
    partner_client,
    staff_client,
    account_holder_client,
    admin_client_portal,
):
    return {
        "anonymous": client,
        "outsider": outsider_client,
        "partner": partner_client,
        "staff": staff_client,
        "account-holder": account_holder_client,
        "beheerder": admin_client_portal,
    }


LOGIN = "302→login"
MATRIX = {
    #                    anonymous outsider partner staff  acc-holder beheerder
    ("round_invite", "GET"): (405, 405, 405, 405, 405, 405),
    ("round_invite", "POST"): (LOGIN, 403, 403, 403, 403, "302→round_detail"),
    ("round_remind", "GET"): (405, 405, 405, 405, 405, 405),
    ("round_remind", "POST"): (LOGIN, 403, 403, 403, 403, "302→round_detail"),
    ("staff_join", "GET"): (LOGIN, 403, 403, 200, 200, 200),
    ("staff_join", "POST"): (
        LOGIN,
        403,
        403,
        "302→survey_start",
        "302→survey_start",
        "302→survey_start",
    ),
    ("invitation_exchange", "GET"): ("302→link_invalid",) * 6,
    ("invitation_exchange", "POST"): (405,) * 6,
    ("link_invalid", "GET"): (200,) * 6,
    ("link_invalid", "POST"): (405,) * 6,
    ("link_used", "GET"): (200,) * 6,
    ("link_used", "POST"): (405,) * 6,
}


def outcome(response) -> object:
    if response.status_code != 302:
        return response.status_code
    from django.urls import resolve

    path = response["Location"].split("?")[0]
    name = resolve(path).url_name
    return f"302→{name}"


@pytest.mark.parametrize(("name", "method"), list(MATRIX))
def test_permission_matrix(clients, name, method) -> None:
    survey_round = RoundFactory(include_staff=True)
    args = {"invitation_exchange": ["unknown-token"], "link_invalid": [], "link_used": []}.get(
        name, [survey_round.pk]
    )
    url = reverse(f"thermometer:{name}", args=args)
    got = tuple(
        outcome(
            getattr(clients[role], method.lower())(url, {"name": ""} if method == "POST" else None)
        )
        for role in clients
    )
    assert got == MATRIX[(name, method)]
