"""round_detail: settings and progress per organisation, never answers."""

import datetime

from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest

from partners.models import Organisation
from tests.factories import (
    ContactFactory,
    InvitationFactory,
    OrganisationFactory,
    RoundFactory,
    UserFactory,
)
from thermometer.models import Answer, Question, Response, Round

NOW = timezone.now()
EN = {"accept-language": "en"}


def detail_url(survey_round: Round) -> str:
    return reverse("thermometer:round_detail", args=[survey_round.pk])


def invite(survey_round: Round, organisation: Organisation, **fields: object):
    contact = ContactFactory(organisation=organisation)
    return InvitationFactory(round=survey_round, contact=contact, **fields)


def cells(body: str, organisation: str) -> dict[str, str]:
    """The counts of one progress row, by column."""
    import re

    row = re.search(rf'<tr[^>]*data-organisation="{organisation}">(.*?)</tr>', body, re.S)
    assert row, f"no progress row for {organisation}"
    return dict(re.findall(r"data-(\w+)>(\d+)<", row.group(1)))


@pytest.fixture
def survey_round(db: None) -> Round:
    return RoundFactory(status="open", name="Ronde 2026")


def test_it_shows_the_progress_per_organisation(
    admin_client_portal: Client, survey_round: Round
) -> None:
    woerden = OrganisationFactory(name="Woerden")
    zeist = OrganisationFactory(name="Zeist")
    invite(survey_round, woerden, sent_at=NOW)
    invite(survey_round, woerden, sent_at=NOW, reminder_count=2, started_at=NOW)
    invite(survey_round, woerden, sent_at=NOW, reminder_count=1, started_at=NOW, used_at=NOW)
    invite(survey_round, woerden, sent_at=NOW, revoked_at=NOW)  # not counted
    invite(survey_round, zeist)  # not sent yet
    staff = UserFactory(first_name="Sanne", last_name="Staf")
    InvitationFactory(
        round=survey_round,
        contact=None,
        organisation=None,
        user=staff,
        respondent_group="staff",
        email=staff.email,
        sent_at=NOW,
        used_at=NOW,
    )
    InvitationFactory(round=RoundFactory(), contact=ContactFactory(organisation=woerden))
    body = admin_client_portal.get(detail_url(survey_round), headers=EN).content.decode()
    assert cells(body, str(woerden.pk)) == {
        "invited": "3",
        "sent": "3",
        "reminded": "2",
        "started": "2",
        "finished": "1",
    }
    assert cells(body, str(zeist.pk)) == {
        "invited": "1",
        "sent": "0",
        "reminded": "0",
        "started": "0",
        "finished": "0",
    }
    assert cells(body, "staff")["finished"] == "1"
    assert cells(body, "total") == {
        "invited": "5",
        "sent": "4",
        "reminded": "2",
        "started": "2",
        "finished": "2",
    }


def test_it_lists_who_has_not_finished_so_they_can_be_reminded(
    admin_client_portal: Client, survey_round: Round, organisation: Organisation
) -> None:
    waiting = invite(survey_round, organisation, sent_at=NOW)
    finished = invite(survey_round, organisation, sent_at=NOW, used_at=NOW)
    revoked = invite(survey_round, organisation, sent_at=NOW, revoked_at=NOW)
    body = admin_client_portal.get(detail_url(survey_round)).content.decode()
    assert waiting.contact.name in body and waiting.email in body
    assert finished.contact.name not in body
    assert revoked.contact.name not in body
    assert f'data-not-finished="{organisation.pk}"' in body


def test_the_not_finished_list_is_gone_once_the_round_closed(
    admin_client_portal: Client, organisation: Organisation
) -> None:
    closed = RoundFactory(status="closed")
    waiting = invite(closed, organisation, sent_at=NOW)
    body = admin_client_portal.get(detail_url(closed)).content.decode()
    assert waiting.contact.name not in body
    assert "data-progress" in body


def test_no_answer_content_and_no_response_counts_appear(
    admin_client_portal: Client, survey_round: Round, organisation: Organisation
) -> None:
    invite(survey_round, organisation, sent_at=NOW, used_at=NOW)
    response = Response.objects.create(
        round=survey_round,
        questionnaire=survey_round.external_questionnaire,
        respondent_group="gemeente",
        organisation=organisation,
        submitted_on=datetime.date(2026, 5, 1),
    )
    open_question = Question.objects.filter(
        questionnaire=survey_round.external_questionnaire, kind="open"
    ).first()
    Answer.objects.create(response=response, question=open_question, text="GEHEIM-ANTWOORD-42")
    mark = Question.objects.get(questionnaire=survey_round.external_questionnaire, code="q1a")
    Answer.objects.create(response=response, question=mark, number=7)
    body = admin_client_portal.get(detail_url(survey_round), headers=EN).content.decode()
    assert "GEHEIM-ANTWOORD-42" not in body
    assert open_question.text not in body
    assert mark.text not in body
    assert "Municipalities" not in body  # no respondent-group breakdown
    assert "1 May 2026" not in body  # nor the response's day


def test_it_shows_the_settings_and_the_buttons(
    admin_client_portal: Client, survey_round: Round, organisation: Organisation
) -> None:
    survey_round.organisations.set([organisation])
    body = admin_client_portal.get(detail_url(survey_round)).content.decode()
    assert "Ronde 2026" in body and organisation.name in body
    assert reverse("thermometer:round_invite", args=[survey_round.pk]) in body
    assert reverse("thermometer:round_remind", args=[survey_round.pk]) in body
    assert reverse("thermometer:round_transition", args=[survey_round.pk]) in body
    assert 'data-transition="close"' in body
    assert 'name="confirm"' in body
    assert "<script" not in body.split("</main>")[0].split("<main")[-1]
    assert " onclick=" not in body and " style=" not in body


def test_an_empty_round_says_so(admin_client_portal: Client, db: None) -> None:
    draft = RoundFactory(status="draft")
    body = admin_client_portal.get(detail_url(draft)).content.decode()
    assert "data-empty" in body
    assert 'data-transition="open"' in body
    assert reverse("thermometer:round_invite", args=[draft.pk]) not in body


def test_an_unknown_round_is_404(admin_client_portal: Client, db: None) -> None:
    assert (
        admin_client_portal.get(reverse("thermometer:round_detail", args=[999])).status_code == 404
    )


@pytest.mark.parametrize("count", [10, 300])
def test_the_query_count_does_not_grow_with_the_invitations(
    admin_client_portal: Client, db: None, count: int, django_assert_max_num_queries
) -> None:
    survey_round = RoundFactory(status="open")
    organisations = [OrganisationFactory() for _ in range(5)]
    survey_round.organisations.set(organisations)
    for index in range(count):
        invite(
            survey_round,
            organisations[index % 5],
            sent_at=NOW,
            used_at=NOW if index % 3 == 0 else None,
        )
    admin_client_portal.get(detail_url(survey_round))  # warm the session and permissions
    with django_assert_max_num_queries(9):
        response = admin_client_portal.get(detail_url(survey_round))
    assert response.status_code == 200
