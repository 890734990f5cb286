"""The round pages under a strict CSP, and the thermometer models in the Django admin."""

from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest

from tests.factories import InvitationFactory, RoundFactory, UserFactory
from tests.portal.test_security import scan
from thermometer.models import Response


def test_no_round_page_has_inline_code(admin_client_portal: Client, db: None) -> None:
    survey_round = RoundFactory(status="open")
    InvitationFactory(round=survey_round, sent_at=timezone.now())
    pages = {
        "list": admin_client_portal.get(reverse("thermometer:round_list")),
        "create": admin_client_portal.get(reverse("thermometer:round_create")),
        "invalid create": admin_client_portal.post(reverse("thermometer:round_create"), {}),
        "edit": admin_client_portal.get(reverse("thermometer:round_edit", args=[survey_round.pk])),
        "detail": admin_client_portal.get(survey_round.get_absolute_url()),
        "failed transition": admin_client_portal.post(
            reverse("thermometer:round_transition", args=[survey_round.pk]), {"action": "close"}
        ),
    }
    found = {name: scan(page.content.decode()) for name, page in pages.items()}
    assert {name: problems for name, problems in found.items() if problems} == {}
    assert {page.status_code for page in pages.values()} == {200}


@pytest.mark.parametrize(
    "model", ["round", "invitation", "questionnaire", "response", "answer", "submissionreceipt"]
)
def test_a_superuser_opens_the_thermometer_in_the_admin(
    client: Client, db: None, model: str
) -> None:
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    survey_round = RoundFactory()
    InvitationFactory(round=survey_round)
    Response.objects.create(
        round=survey_round,
        questionnaire=survey_round.external_questionnaire,
        respondent_group="gemeente",
        submitted_on=timezone.localdate(),
    )
    changelist = client.get(f"/{settings.ADMIN_URL}thermometer/{model}/")
    assert changelist.status_code == 200
    assert not scan(changelist.content.decode())


def test_responses_are_read_only_in_the_admin(client: Client, db: None) -> None:
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    survey_round = RoundFactory()
    response = Response.objects.create(
        round=survey_round,
        questionnaire=survey_round.external_questionnaire,
        respondent_group="gemeente",
        submitted_on=timezone.localdate(),
    )
    change = f"/{settings.ADMIN_URL}thermometer/response/{response.pk}/change/"
    page = client.get(change)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert client.post(change, {"respondent_group": "staff"}).status_code == 403
    assert client.get(f"/{settings.ADMIN_URL}thermometer/response/add/").status_code == 403
