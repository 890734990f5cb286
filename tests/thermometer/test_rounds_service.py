"""thermometer.services.rounds: what may change when, and the status transitions."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

import pytest

from partners.models import Organisation
from portal.lib.models import User
from tests.factories import OrganisationFactory, RoundFactory
from thermometer.models import Questionnaire, Response, Round
from thermometer.services.rounds import create_round, transition_round, update_round

NOW = timezone.now()


def external(version: int = 1) -> Questionnaire:
    return Questionnaire.objects.get(variant="external", version=version)


def internal(version: int = 1) -> Questionnaire:
    return Questionnaire.objects.get(variant="internal", version=version)


def respond(survey_round: Round, organisation: Organisation | None = None) -> Response:
    return Response.objects.create(
        round=survey_round,
        questionnaire=survey_round.external_questionnaire,
        respondent_group="gemeente",
        organisation=organisation,
        submitted_on=datetime.date(2026, 5, 1),
    )


def settings_for(**overrides: object) -> dict:
    values = {
        "name": "Ronde 2027",
        "opens_at": NOW + datetime.timedelta(days=1),
        "closes_at": NOW + datetime.timedelta(days=29),
        "external_questionnaire": external(),
        "internal_questionnaire": internal(),
        "organisations": [],
        "include_staff": True,
        "record_organisation": False,
    }
    values.update(overrides)
    return values


@pytest.fixture
def draft(administrator: User) -> Round:
    return RoundFactory(status="draft", created_by=administrator)


# --- create_round ---------------------------------------------------------------------


def test_it_creates_a_draft_round(administrator: User, organisation: Organisation) -> None:
    created = create_round(by=administrator, **settings_for(organisations=[organisation]))
    assert created.status == Round.Status.DRAFT
    assert list(created.organisations.all()) == [organisation]
    assert created.created_by == administrator


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"closes_at": NOW}, "closes_at"),
        ({"organisations": [], "include_staff": False}, "organisations"),
        ({"internal_questionnaire": None}, "internal_questionnaire"),
        ({"internal_questionnaire": None, "include_staff": False}, "organisations"),
        ({"external_questionnaire": None, "organisations": "ORG"}, "external_questionnaire"),
        ({"external_questionnaire": "INTERNAL"}, "external_questionnaire"),
    ],
)
def test_it_refuses_inconsistent_settings(
    administrator: User, organisation: Organisation, overrides: dict, field: str
) -> None:
    overrides = {
        key: [organisation] if value == "ORG" else internal() if value == "INTERNAL" else value
        for key, value in overrides.items()
    }
    with pytest.raises(ValidationError) as refused:
        create_round(by=administrator, **settings_for(**overrides))
    assert field in refused.value.error_dict
    assert not Round.objects.exists()


# --- update_round ---------------------------------------------------------------------


def test_a_draft_without_responses_may_change_everything(
    draft: Round, administrator: User, organisation: Organisation
) -> None:
    opens = NOW + datetime.timedelta(days=3)
    update_round(
        draft,
        by=administrator,
        name="Nieuwe naam",
        opens_at=opens,
        internal_questionnaire=None,
        include_staff=False,
        organisations=[organisation],
        record_organisation=True,
    )
    draft.refresh_from_db()
    assert (draft.name, draft.opens_at, draft.record_organisation) == ("Nieuwe naam", opens, True)
    assert draft.internal_questionnaire is None
    assert list(draft.organisations.all()) == [organisation]


def test_unchanged_values_are_not_changes(administrator: User) -> None:
    """A form passes all fields: values equal to the current ones pass any lock."""
    survey_round = RoundFactory(status="closed", created_by=administrator)
    update_round(
        survey_round,
        by=administrator,
        name=survey_round.name,
        opens_at=survey_round.opens_at,
        closes_at=survey_round.closes_at,
        external_questionnaire=survey_round.external_questionnaire,
        internal_questionnaire=survey_round.internal_questionnaire,
        organisations=[],
        include_staff=survey_round.include_staff,
        record_organisation=False,
    )


@pytest.mark.parametrize("status", ["open", "closed", "published"])
def test_anonymity_cannot_be_loosened_after_draft(status: str, administrator: User) -> None:
    survey_round = RoundFactory(status=status, record_organisation=False)
    with pytest.raises(ValidationError) as refused:
        update_round(survey_round, by=administrator, record_organisation=True)
    assert "record_organisation" in refused.value.error_dict
    survey_round.refresh_from_db()
    assert survey_round.record_organisation is False


def test_anonymity_cannot_be_loosened_once_a_response_exists_even_in_draft(
    draft: Round, administrator: User
) -> None:
    respond(draft)
    with pytest.raises(ValidationError):
        update_round(draft, by=administrator, record_organisation=True)
    draft.refresh_from_db()
    assert draft.record_organisation is False


def test_tightening_anonymity_removes_the_organisation_from_given_responses(
    administrator: User, organisation: Organisation
) -> None:
    survey_round = RoundFactory(status="open", record_organisation=True)
    response = respond(survey_round, organisation)
    update_round(survey_round, by=administrator, record_organisation=False)
    survey_round.refresh_from_db()
    response.refresh_from_db()
    assert survey_round.record_organisation is False
    assert response.organisation is None


@pytest.mark.parametrize("field", ["external_questionnaire", "internal_questionnaire"])
def test_the_questionnaires_are_fixed_once_open(field: str, administrator: User) -> None:
    survey_round = RoundFactory(status="open")
    with pytest.raises(ValidationError) as refused:
        update_round(survey_round, by=administrator, **{field: None})
    assert field in refused.value.error_dict


def test_the_questionnaires_are_fixed_once_a_draft_has_responses(
    draft: Round, administrator: User
) -> None:
    respond(draft)
    with pytest.raises(ValidationError):
        update_round(draft, by=administrator, internal_questionnaire=None, include_staff=False)


def test_an_open_round_may_be_renamed_and_extended(administrator: User) -> None:
    survey_round = RoundFactory(status="open")
    later = survey_round.closes_at + datetime.timedelta(days=7)
    update_round(survey_round, by=administrator, name="Verlengd", closes_at=later)
    survey_round.refresh_from_db()
    assert (survey_round.name, survey_round.closes_at) == ("Verlengd", later)


def test_an_open_round_cannot_close_earlier_or_move_its_opening(administrator: User) -> None:
    survey_round = RoundFactory(status="open")
    with pytest.raises(ValidationError) as refused:
        update_round(
            survey_round,
            by=administrator,
            closes_at=survey_round.closes_at - datetime.timedelta(days=1),
            opens_at=survey_round.opens_at + datetime.timedelta(hours=1),
        )
    assert {"closes_at", "opens_at"} <= set(refused.value.error_dict)


def test_an_open_round_may_add_but_not_remove_target_organisations(
    administrator: User, organisation: Organisation
) -> None:
    other = OrganisationFactory()
    survey_round = RoundFactory(status="open", organisations=[organisation])
    update_round(survey_round, by=administrator, organisations=[organisation, other])
    assert set(survey_round.organisations.all()) == {organisation, other}
    with pytest.raises(ValidationError):
        update_round(survey_round, by=administrator, organisations=[other])
    assert set(survey_round.organisations.all()) == {organisation, other}


def test_a_closed_round_only_takes_a_new_name(administrator: User) -> None:
    survey_round = RoundFactory(status="closed")
    update_round(survey_round, by=administrator, name="Ronde 2026 (definitief)")
    with pytest.raises(ValidationError):
        update_round(
            survey_round,
            by=administrator,
            closes_at=survey_round.closes_at + datetime.timedelta(days=1),
        )
    with pytest.raises(ValidationError):
        update_round(survey_round, by=administrator, include_staff=False)


def test_a_refused_change_saves_nothing(administrator: User) -> None:
    survey_round = RoundFactory(status="open", name="Oud")
    with pytest.raises(ValidationError):
        update_round(survey_round, by=administrator, name="Nieuw", record_organisation=True)
    survey_round.refresh_from_db()
    assert survey_round.name == "Oud"


def test_it_rejects_unknown_fields(draft: Round, administrator: User) -> None:
    with pytest.raises(TypeError):
        update_round(draft, by=administrator, status="published")


# --- transition_round -------------------------------------------------------------------


def test_the_forward_path(draft: Round, administrator: User) -> None:
    for status in ("open", "closed", "published"):
        assert transition_round(draft, to=status, by=administrator) is True
        draft.refresh_from_db()
        assert draft.status == status


@pytest.mark.parametrize("status", ["draft", "open", "closed", "published"])
def test_transitions_are_idempotent(status: str, administrator: User) -> None:
    survey_round = RoundFactory(status=status)
    assert transition_round(survey_round, to=status, by=administrator) is False
    survey_round.refresh_from_db()
    assert survey_round.status == status


@pytest.mark.parametrize(
    ("status", "to"),
    [
        ("draft", "closed"),
        ("draft", "published"),
        ("open", "published"),
        ("open", "draft"),
        ("closed", "open"),
        ("published", "closed"),
        ("published", "open"),
    ],
)
def test_it_refuses_skipping_or_going_back(status: str, to: str, administrator: User) -> None:
    survey_round = RoundFactory(status=status)
    with pytest.raises(ValidationError):
        transition_round(survey_round, to=to, by=administrator)
    survey_round.refresh_from_db()
    assert survey_round.status == status


def test_opening_needs_a_closing_time_in_the_future(administrator: User) -> None:
    survey_round = RoundFactory(
        status="draft",
        opens_at=NOW - datetime.timedelta(days=10),
        closes_at=NOW - datetime.timedelta(days=1),
    )
    with pytest.raises(ValidationError):
        transition_round(survey_round, to="open", by=administrator)
    survey_round.refresh_from_db()
    assert survey_round.status == "draft"


def test_opening_needs_a_questionnaire_for_each_target_group(
    administrator: User, organisation: Organisation
) -> None:
    # Built around the service's own checks, as an older admin edit might have left it.
    survey_round = RoundFactory(
        status="draft", external_questionnaire=None, organisations=[organisation]
    )
    with pytest.raises(ValidationError):
        transition_round(survey_round, to="open", by=administrator)


def test_opening_needs_a_target_group(administrator: User) -> None:
    survey_round = RoundFactory(status="draft", include_staff=False)
    with pytest.raises(ValidationError):
        transition_round(survey_round, to="open", by=administrator)
