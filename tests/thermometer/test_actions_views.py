"""action_create, action_detail, action_edit and the "you said, we did" section."""

import datetime
import re
import uuid
from unittest import mock
from zoneinfo import ZoneInfo

from django.contrib.auth.context_processors import PermWrapper
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation

import pytest

from portal.lib.models import User
from tests.factories import ImprovementActionFactory, RoundFactory
from thermometer.models import ImprovementAction, Round
from thermometer.views import actions as action_views

EN = {"accept-language": "en"}
AMSTERDAM = ZoneInfo("Europe/Amsterdam")

pytestmark = pytest.mark.django_db


@pytest.fixture
def published() -> Round:
    return RoundFactory(
        status="published",
        name="Ronde 2026",
        opens_at=datetime.datetime(2026, 9, 1, 9, tzinfo=AMSTERDAM),
        closes_at=datetime.datetime(2026, 10, 1, 17, tzinfo=AMSTERDAM),
    )


def create_url(survey_round: Round) -> str:
    return reverse("thermometer:results_action_create", args=[survey_round.pk])


def detail_url(action: ImprovementAction) -> str:
    return reverse("thermometer:action_detail", args=[action.pk])


def edit_url(action: ImprovementAction) -> str:
    return reverse("thermometer:action_edit", args=[action.pk])


def version(action: ImprovementAction) -> str:
    """The hidden version an edit form carries: when the action was last saved."""
    action.refresh_from_db()
    return action.updated_at.isoformat()


def hidden_value(body: str, name: str) -> str:
    match = re.search(rf'<input type="hidden" name="{name}" value="([^"]*)"', body)
    assert match, f"no hidden {name} in the form"
    return match.group(1)


VALID = {
    "title": "Sneller terugkoppelen",
    "description": "Binnen twee weken laten weten wat er met een vraag gebeurt.",
    "owner": "Team Samenwerking",
    "status": "in_progress",
    "due_date": "2027-03-31",
    "properties": ["transparant", "betrouwbaar"],
}


# --- Creating -------------------------------------------------------------------------


def test_only_administrators_may_add_actions(
    staff_client: Client, partner_client: Client, outsider_client: Client, published: Round
) -> None:
    for client in (staff_client, partner_client, outsider_client):
        assert client.get(create_url(published)).status_code == 403
        assert client.post(create_url(published), VALID).status_code == 403
    assert not ImprovementAction.objects.exists()


def test_the_form_offers_the_properties_as_checkboxes(
    admin_client_portal: Client, published: Round
) -> None:
    body = admin_client_portal.get(create_url(published), headers=EN).content.decode()
    assert body.count('type="checkbox" name="properties"') == 8
    assert "Room for others&#x27; input" in body
    assert 'type="date" name="due_date"' in body


def test_an_administrator_adds_an_action(
    admin_client_portal: Client, published: Round, administrator: User
) -> None:
    response = admin_client_portal.post(create_url(published), VALID, headers=EN)
    action = ImprovementAction.objects.get()
    assert response.status_code == 302
    assert response.url == detail_url(action)
    assert action.round == published
    assert action.created_by == administrator
    assert action.status == "in_progress"
    assert action.due_date == datetime.date(2027, 3, 31)
    assert action.properties == ["betrouwbaar", "transparant"]  # in the fixed order
    assert action.history.get().history_user == administrator
    body = admin_client_portal.get(response.url, headers=EN).content.decode()
    assert "Sneller terugkoppelen has been added." in body


@pytest.mark.parametrize("status", ["draft", "open"])
def test_a_round_without_results_gets_no_actions(admin_client_portal: Client, status: str) -> None:
    survey_round = RoundFactory(status=status)
    assert admin_client_portal.get(create_url(survey_round)).status_code == 404
    assert admin_client_portal.post(create_url(survey_round), VALID).status_code == 404
    assert not ImprovementAction.objects.exists()


def test_a_closed_round_gets_actions_before_publication(admin_client_portal: Client) -> None:
    survey_round = RoundFactory(status="closed")
    response = admin_client_portal.post(create_url(survey_round), {**VALID, "due_date": ""})
    assert response.status_code == 302
    assert ImprovementAction.objects.get().due_date is None


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"title": "  "}, "title", "This field is required."),
        ({"owner": ""}, "owner", "This field is required."),
        (
            {"due_date": "2026-08-31"},
            "due_date",
            "The due date cannot be before the round opened (1 September 2026).",
        ),
        ({"due_date": "31-02-2027"}, "due_date", "Enter a valid date."),
        ({"properties": ["betrouwbaar", "snel"]}, "properties", "Select a valid choice."),
        ({"status": "forgotten"}, "status", "Select a valid choice."),
    ],
)
def test_invalid_input_comes_back_with_the_reason(
    admin_client_portal: Client, published: Round, change: dict, field: str, message: str
) -> None:
    response = admin_client_portal.post(create_url(published), {**VALID, **change}, headers=EN)
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert f'href="#id_{field}"' in body
    assert message in body
    assert not ImprovementAction.objects.exists()


def test_the_due_date_may_be_the_day_the_round_opened(
    admin_client_portal: Client, published: Round
) -> None:
    response = admin_client_portal.post(create_url(published), {**VALID, "due_date": "2026-09-01"})
    assert response.status_code == 302


def test_the_form_carries_a_new_submission_key_each_time(
    admin_client_portal: Client, published: Round
) -> None:
    first = admin_client_portal.get(create_url(published), headers=EN).content.decode()
    second = admin_client_portal.get(create_url(published), headers=EN).content.decode()
    assert uuid.UUID(hidden_value(first, "submission_key"))
    assert hidden_value(first, "submission_key") != hidden_value(second, "submission_key")


def test_posting_the_same_form_twice_adds_one_action(
    admin_client_portal: Client, published: Round
) -> None:
    form = admin_client_portal.get(create_url(published), headers=EN).content.decode()
    data = {**VALID, "submission_key": hidden_value(form, "submission_key")}
    first = admin_client_portal.post(create_url(published), data, headers=EN)
    second = admin_client_portal.post(create_url(published), data, headers=EN)
    action = ImprovementAction.objects.get()
    assert action.submission_key == uuid.UUID(data["submission_key"])
    assert action.history.count() == 1
    assert first.status_code == second.status_code == 302
    assert first.url == second.url == detail_url(action)
    body = admin_client_portal.get(second.url, headers=EN).content.decode()
    assert "This improvement action was already saved." in body


def test_a_corrected_form_keeps_its_key(admin_client_portal: Client, published: Round) -> None:
    key = str(uuid.uuid4())
    invalid = admin_client_portal.post(
        create_url(published), {**VALID, "owner": "", "submission_key": key}, headers=EN
    )
    assert invalid.status_code == 200
    assert hidden_value(invalid.content.decode(), "submission_key") == key
    assert not ImprovementAction.objects.exists()
    for _attempt in range(2):
        response = admin_client_portal.post(
            create_url(published), {**VALID, "submission_key": key}, headers=EN
        )
        assert response.status_code == 302
    assert ImprovementAction.objects.count() == 1


def test_a_form_without_a_valid_key_still_adds_the_action(
    admin_client_portal: Client, published: Round
) -> None:
    for key in ("", "not-a-key"):
        response = admin_client_portal.post(
            create_url(published), {**VALID, "submission_key": key}, headers=EN
        )
        assert response.status_code == 302
    assert ImprovementAction.objects.count() == 2
    assert all(action.submission_key for action in ImprovementAction.objects.all())


def test_two_posts_of_one_form_at_once_add_one_action(
    admin_client_portal: Client, published: Round
) -> None:
    """The other post saved between this one's check and its insert: the unique key
    refuses the second row, and this post goes to the action the other one saved."""
    key = uuid.uuid4()
    other = ImprovementActionFactory(round=published, title="Eerder opgeslagen", submission_key=key)
    real = action_views._saved_with
    checks = iter([None])  # the check before saving misses the other post's action
    with mock.patch.object(
        action_views, "_saved_with", side_effect=lambda k: next(checks, real(k))
    ):
        response = admin_client_portal.post(
            create_url(published), {**VALID, "submission_key": str(key)}, headers=EN
        )
    assert response.status_code == 302
    assert response.url == detail_url(other)
    assert ImprovementAction.objects.count() == 1
    body = admin_client_portal.get(response.url, headers=EN).content.decode()
    assert "This improvement action was already saved." in body


# --- Reading --------------------------------------------------------------------------


def test_partners_read_the_actions_of_published_rounds(
    partner_client: Client, published: Round
) -> None:
    action = ImprovementActionFactory(
        round=published,
        title="Vast aanspreekpunt per gemeente",
        owner="Team Accounthouders",
        status="done",
        due_date=datetime.date(2027, 1, 15),
        properties=["toegankelijk", "ruimte-voor-inbreng"],
    )
    response = partner_client.get(detail_url(action), headers=EN)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Vast aanspreekpunt per gemeente" in body
    assert "Team Accounthouders" in body
    assert 'data-status="done">Done<' in body
    assert "15 January 2027" in body
    assert "Accessible, Room for others&#x27; input" in body
    assert reverse("thermometer:results_detail", args=[published.pk]) in body
    assert "History of changes" not in body
    assert reverse("thermometer:action_edit", args=[action.pk]) not in body


def test_partners_do_not_find_actions_of_rounds_not_yet_published(
    partner_client: Client, staff_client: Client
) -> None:
    action = ImprovementActionFactory(round=RoundFactory(status="closed"))
    assert partner_client.get(detail_url(action)).status_code == 404
    assert staff_client.get(detail_url(action)).status_code == 200


def test_outsiders_may_not_read_actions(outsider_client: Client, published: Round) -> None:
    action = ImprovementActionFactory(round=published)
    assert outsider_client.get(detail_url(action)).status_code == 403
    response = Client().get(detail_url(action))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_staff_see_no_audit_trail(staff_client: Client, published: Round) -> None:
    action = ImprovementActionFactory(round=published)
    body = staff_client.get(detail_url(action), headers=EN).content.decode()
    assert "History of changes" not in body


# --- Editing --------------------------------------------------------------------------


def test_only_administrators_may_edit(
    staff_client: Client, partner_client: Client, outsider_client: Client, published: Round
) -> None:
    action = ImprovementActionFactory(round=published, title="Oud")
    for client in (staff_client, partner_client, outsider_client):
        assert client.get(edit_url(action)).status_code == 403
        assert client.post(edit_url(action), VALID).status_code == 403
    action.refresh_from_db()
    assert action.title == "Oud"


def test_an_edit_is_saved_and_recorded_in_the_history(
    admin_client_portal: Client, published: Round, administrator: User
) -> None:
    action = ImprovementActionFactory(round=published, status="planned")
    form = admin_client_portal.get(edit_url(action), headers=EN).content.decode()
    assert 'value="2027-06-30"' in form  # the due date, in the date input's format
    response = admin_client_portal.post(
        edit_url(action),
        {
            **VALID,
            "title": action.title,
            "status": "done",
            "properties": ["betrouwbaar"],
            "version": hidden_value(form, "version"),
        },
        headers=EN,
    )
    assert response.status_code == 302
    assert response.url == detail_url(action)
    action.refresh_from_db()
    assert action.status == "done"
    latest = action.history.order_by("-history_date").first()
    assert action.history.count() == 2
    assert latest.history_type == "~"
    assert latest.history_user == administrator
    assert latest.status == "done"
    body = admin_client_portal.get(detail_url(action), headers=EN).content.decode()
    assert "The changes to" in body
    assert "History of changes" in body
    assert "Status: Planned → Done" in body  # the labels, not the stored values


def test_saving_without_changes_records_nothing(
    admin_client_portal: Client, published: Round
) -> None:
    action = ImprovementActionFactory(round=published)
    data = {
        "title": action.title,
        "description": action.description,
        "owner": action.owner,
        "status": action.status,
        "due_date": action.due_date.isoformat(),
        "properties": action.properties,
        "version": version(action),
    }
    response = admin_client_portal.post(edit_url(action), data, headers=EN)
    assert response.status_code == 302
    assert action.history.count() == 1
    body = admin_client_portal.get(response.url, headers=EN).content.decode()
    assert "Nothing changed." in body


def test_an_invalid_edit_changes_nothing(admin_client_portal: Client, published: Round) -> None:
    action = ImprovementActionFactory(round=published, title="Oud")
    response = admin_client_portal.post(
        edit_url(action),
        {**VALID, "title": "Nieuw", "owner": "", "version": version(action)},
        headers=EN,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert 'href="#id_owner"' in body
    assert "Someone else changed" not in body
    action.refresh_from_db()
    assert action.title == "Oud"
    assert action.history.count() == 1


def test_an_edit_based_on_an_older_version_is_refused(
    admin_client_portal: Client, published: Round
) -> None:
    action = ImprovementActionFactory(round=published, title="Oud", owner="Team A")
    form = admin_client_portal.get(edit_url(action), headers=EN).content.decode()
    # Meanwhile someone else saves a change.
    ImprovementAction.objects.filter(pk=action.pk).update(
        owner="Team B", updated_at=action.updated_at + datetime.timedelta(seconds=1)
    )
    response = admin_client_portal.post(
        edit_url(action),
        {**VALID, "title": "Nieuw", "version": hidden_value(form, "version")},
        headers=EN,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert (
        "Someone else changed this improvement action in the meantime. Check the current "
        "values and save again."
    ) in body
    # The form shows what is stored now, with the version it has now.
    assert 'value="Oud"' in body
    assert 'value="Team B"' in body
    assert "Nieuw" not in body
    assert hidden_value(body, "version") == version(action)
    action.refresh_from_db()
    assert (action.title, action.owner) == ("Oud", "Team B")
    assert action.history.count() == 1
    # Saved again from the refreshed form, the edit goes through.
    response = admin_client_portal.post(
        edit_url(action),
        {**VALID, "title": "Nieuw", "version": hidden_value(body, "version")},
        headers=EN,
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.title == "Nieuw"


def test_an_edit_without_a_version_is_refused(
    admin_client_portal: Client, published: Round
) -> None:
    action = ImprovementActionFactory(round=published, title="Oud")
    response = admin_client_portal.post(edit_url(action), {**VALID, "title": "Nieuw"}, headers=EN)
    assert response.status_code == 200
    assert "Someone else changed this improvement action" in response.content.decode()
    action.refresh_from_db()
    assert action.title == "Oud"


def test_saving_twice_from_the_same_form_is_refused_the_second_time(
    admin_client_portal: Client, published: Round
) -> None:
    action = ImprovementActionFactory(round=published, title="Oud")
    form = admin_client_portal.get(edit_url(action), headers=EN).content.decode()
    data = {**VALID, "version": hidden_value(form, "version")}
    assert admin_client_portal.post(edit_url(action), {**data, "title": "Een"}).status_code == 302
    second = admin_client_portal.post(edit_url(action), {**data, "title": "Twee"}, headers=EN)
    assert second.status_code == 200
    action.refresh_from_db()
    assert action.title == "Een"


def test_actions_of_a_round_without_results_cannot_be_edited(
    admin_client_portal: Client,
) -> None:
    action = ImprovementActionFactory(round=RoundFactory(status="closed"))
    action.round.status = "open"  # not a real transition, but the view must not rely on it
    action.round.save()
    assert admin_client_portal.get(edit_url(action)).status_code == 404


# --- The section on the results page ----------------------------------------------


def section(survey_round: Round, actions: list, user: User) -> str:
    with translation.override("en"):
        return render_to_string(
            "thermometer/_round_actions.html",
            {"round": survey_round, "actions": actions, "perms": PermWrapper(user)},
        )


def test_the_section_lists_the_actions_with_status_as_text(
    published: Round, partner_user: User
) -> None:
    action = ImprovementActionFactory(
        round=published,
        title="Vast aanspreekpunt",
        owner="Team Accounthouders",
        status="in_progress",
        properties=["betrokken"],
    )
    body = section(published, [action], partner_user)
    assert f'href="{detail_url(action)}">Vast aanspreekpunt</a>' in body
    assert 'data-status="in_progress">In progress<' in body
    assert "Team Accounthouders" in body
    assert "30 June 2027" in body
    assert "Committed" in body
    assert create_url(published) not in body


def test_the_section_says_when_there_are_no_actions(
    published: Round, partner_user: User, administrator: User
) -> None:
    body = section(published, [], partner_user)
    assert "No improvement actions have been recorded for this round yet." in body
    assert create_url(published) not in body
    assert create_url(published) in section(published, [], administrator)
