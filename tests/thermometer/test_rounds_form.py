"""round_create and round_edit: validation, and the locks a crafted POST cannot pass."""

import datetime
import zoneinfo

from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest

from partners.models import Organisation
from tests.factories import OrganisationFactory, RoundFactory
from thermometer.models import Questionnaire, Response, Round

CREATE_URL = reverse("thermometer:round_create")
AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")


def edit_url(survey_round: Round) -> str:
    return reverse("thermometer:round_edit", args=[survey_round.pk])


def questionnaire(variant: str, version: int = 1) -> Questionnaire:
    return Questionnaire.objects.get(variant=variant, version=version)


def valid_data(**overrides: object) -> dict:
    data = {
        "name": "Ronde 2027",
        "opens_at": "2030-03-01T09:00",
        "closes_at": "2030-03-29T17:00",
        "external_questionnaire": questionnaire("external").pk,
        "internal_questionnaire": questionnaire("internal").pk,
        "organisations": [],
        "include_staff": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def data_of(survey_round: Round, **overrides: object) -> dict:
    """What the edit form posts for the round as it is."""

    def local(moment: datetime.datetime) -> str:
        return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")

    data = {
        "name": survey_round.name,
        "opens_at": local(survey_round.opens_at),
        "closes_at": local(survey_round.closes_at),
        "external_questionnaire": survey_round.external_questionnaire_id or "",
        "internal_questionnaire": survey_round.internal_questionnaire_id or "",
        "organisations": [o.pk for o in survey_round.organisations.all()],
    }
    if survey_round.include_staff:
        data["include_staff"] = "on"
    if survey_round.record_organisation:
        data["record_organisation"] = "on"
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


# --- Creating ----------------------------------------------------------------------------


def test_an_administrator_creates_a_round_in_dutch_time(
    admin_client_portal: Client, organisation: Organisation
) -> None:
    response = admin_client_portal.post(
        CREATE_URL, valid_data(organisations=[organisation.pk], record_organisation="on")
    )
    created = Round.objects.get()
    assert response.status_code == 302
    assert response["Location"] == created.get_absolute_url()
    assert created.status == Round.Status.DRAFT
    assert created.opens_at == datetime.datetime(2030, 3, 1, 9, 0, tzinfo=AMSTERDAM)
    assert list(created.organisations.all()) == [organisation]
    assert created.record_organisation is True


def test_the_form_uses_datetime_local_inputs_and_no_browser_validation(
    admin_client_portal: Client, db: None
) -> None:
    body = admin_client_portal.get(CREATE_URL).content.decode()
    assert 'type="datetime-local"' in body
    assert "novalidate" in body
    assert 'type="submit"' in body


def test_all_municipalities_adds_every_active_municipality(
    admin_client_portal: Client, db: None
) -> None:
    municipality = OrganisationFactory(kind="gemeente")
    OrganisationFactory(kind="gemeente", ended_on=datetime.date(2020, 1, 1))
    board = OrganisationFactory(kind="waterschap", cbs_code="WS0155")
    admin_client_portal.post(
        CREATE_URL, valid_data(all_municipalities="on", organisations=[board.pk])
    )
    assert set(Round.objects.get().organisations.all()) == {municipality, board}


def test_the_organisations_offered_are_active_partners_grouped_by_kind(
    admin_client_portal: Client, db: None
) -> None:
    OrganisationFactory(name="Gemeente Actief")
    OrganisationFactory(name="Gemeente Opgeheven", ended_on=datetime.date(2020, 1, 1))
    OrganisationFactory(name="Provincie Utrecht", kind="provincie", cbs_code="PV26")
    body = admin_client_portal.get(CREATE_URL, headers={"accept-language": "en"}).content.decode()
    assert "Gemeente Actief" in body
    assert "Gemeente Opgeheven" not in body
    assert "Provincie Utrecht" not in body
    assert "<legend" in body and "Municipality</legend>" in body


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"closes_at": "2030-03-01T08:00"}, "closes_at"),
        ({"include_staff": None}, "organisations"),
        ({"internal_questionnaire": ""}, "internal_questionnaire"),
        ({"name": ""}, "name"),
        ({"opens_at": "morgen"}, "opens_at"),
    ],
)
def test_it_refuses_invalid_rounds_with_errors_at_the_field(
    admin_client_portal: Client, db: None, overrides: dict, field: str
) -> None:
    response = admin_client_portal.post(CREATE_URL, valid_data(**overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert "data-error-summary" in response.content.decode()
    assert not Round.objects.exists()


def test_partner_organisations_need_the_external_questionnaire(
    admin_client_portal: Client, organisation: Organisation
) -> None:
    response = admin_client_portal.post(
        CREATE_URL, valid_data(organisations=[organisation.pk], external_questionnaire="")
    )
    assert "external_questionnaire" in response.context["form"].errors


def test_errors_are_shown_in_dutch_by_default(admin_client_portal: Client, db: None) -> None:
    body = admin_client_portal.post(CREATE_URL, valid_data(name="")).content.decode()
    assert "Dit veld is verplicht." in body


def test_a_duplicate_name_is_refused(admin_client_portal: Client, db: None) -> None:
    RoundFactory(name="Ronde 2027")
    response = admin_client_portal.post(CREATE_URL, valid_data(name="ronde 2027"))
    assert "name" in response.context["form"].errors


def test_only_the_latest_questionnaire_versions_are_offered_by_default(
    admin_client_portal: Client, db: None
) -> None:
    newer = Questionnaire.objects.create(variant="external", version=2, title="Extern v2")
    old = questionnaire("external")
    choices = admin_client_portal.get(CREATE_URL).context["form"]["external_questionnaire"]
    offered = {value.value for value, _ in choices.field.choices if value}
    assert offered == {newer.pk}
    everything = admin_client_portal.get(CREATE_URL + "?versions=all").context["form"]
    offered = {v.value for v, _ in everything["external_questionnaire"].field.choices if v}
    assert offered == {newer.pk, old.pk}
    # A crafted POST of an old version without asking for all versions is refused.
    response = admin_client_portal.post(CREATE_URL, valid_data(external_questionnaire=old.pk))
    assert "external_questionnaire" in response.context["form"].errors


def test_a_questionnaire_of_the_other_variant_is_refused(
    admin_client_portal: Client, db: None
) -> None:
    response = admin_client_portal.post(
        CREATE_URL + "?versions=all",
        valid_data(external_questionnaire=questionnaire("internal").pk),
    )
    assert "external_questionnaire" in response.context["form"].errors
    assert not Round.objects.exists()


# --- Editing -------------------------------------------------------------------------------


def test_a_draft_is_edited(admin_client_portal: Client, administrator) -> None:
    survey_round = RoundFactory(status="draft")
    response = admin_client_portal.post(
        edit_url(survey_round), data_of(survey_round, name="Ronde 2026 voorjaar")
    )
    assert response.status_code == 302
    survey_round.refresh_from_db()
    assert survey_round.name == "Ronde 2026 voorjaar"


def test_the_edit_form_shows_the_current_values(admin_client_portal: Client, db: None) -> None:
    survey_round = RoundFactory(status="draft", name="Ronde 2026")
    body = admin_client_portal.get(edit_url(survey_round)).content.decode()
    assert 'value="Ronde 2026"' in body
    assert timezone.localtime(survey_round.opens_at).strftime("%Y-%m-%dT%H:%M") in body


def test_a_crafted_post_cannot_switch_recording_on_in_an_open_round(
    admin_client_portal: Client, db: None
) -> None:
    survey_round = RoundFactory(status="open", record_organisation=False)
    admin_client_portal.post(
        edit_url(survey_round), data_of(survey_round, record_organisation="on")
    )
    survey_round.refresh_from_db()
    assert survey_round.record_organisation is False


def test_a_crafted_post_cannot_switch_recording_on_once_a_draft_has_responses(
    admin_client_portal: Client, db: None
) -> None:
    survey_round = RoundFactory(status="draft", record_organisation=False)
    Response.objects.create(
        round=survey_round,
        questionnaire=survey_round.external_questionnaire,
        respondent_group="gemeente",
        submitted_on=datetime.date(2026, 5, 1),
    )
    admin_client_portal.post(
        edit_url(survey_round), data_of(survey_round, record_organisation="on")
    )
    survey_round.refresh_from_db()
    assert survey_round.record_organisation is False


def test_a_crafted_post_cannot_change_the_questionnaire_of_an_open_round(
    admin_client_portal: Client, db: None
) -> None:
    survey_round = RoundFactory(status="open")
    newer = Questionnaire.objects.create(variant="internal", version=2, title="Intern v2")
    admin_client_portal.post(
        edit_url(survey_round) + "?versions=all",
        data_of(survey_round, internal_questionnaire=newer.pk),
    )
    survey_round.refresh_from_db()
    assert survey_round.internal_questionnaire == questionnaire("internal")


def test_recording_can_be_switched_off_in_an_open_round(
    admin_client_portal: Client, db: None
) -> None:
    survey_round = RoundFactory(status="open", record_organisation=True)
    data = data_of(survey_round)
    del data["record_organisation"]
    response = admin_client_portal.post(edit_url(survey_round), data)
    assert response.status_code == 302
    survey_round.refresh_from_db()
    assert survey_round.record_organisation is False


def test_an_open_round_is_extended(admin_client_portal: Client, db: None) -> None:
    survey_round = RoundFactory(status="open")
    later = timezone.localtime(survey_round.closes_at + datetime.timedelta(days=7))
    response = admin_client_portal.post(
        edit_url(survey_round), data_of(survey_round, closes_at=later.strftime("%Y-%m-%dT%H:%M"))
    )
    assert response.status_code == 302
    survey_round.refresh_from_db()
    assert survey_round.closes_at == later.replace(second=0, microsecond=0)


def test_an_open_round_cannot_close_earlier(admin_client_portal: Client, db: None) -> None:
    survey_round = RoundFactory(status="open")
    earlier = timezone.localtime(survey_round.closes_at - datetime.timedelta(days=2))
    response = admin_client_portal.post(
        edit_url(survey_round),
        data_of(survey_round, closes_at=earlier.strftime("%Y-%m-%dT%H:%M")),
    )
    assert response.status_code == 200
    assert "closes_at" in response.context["form"].errors


def test_removing_an_organisation_from_an_open_round_is_refused_at_the_field(
    admin_client_portal: Client, organisation: Organisation
) -> None:
    survey_round = RoundFactory(status="open", organisations=[organisation])
    response = admin_client_portal.post(
        edit_url(survey_round), data_of(survey_round, organisations=[])
    )
    assert response.status_code == 200
    assert "organisations" in response.context["form"].errors
    assert list(survey_round.organisations.all()) == [organisation]


def test_locked_fields_are_disabled_in_the_form(admin_client_portal: Client, db: None) -> None:
    survey_round = RoundFactory(status="open")
    form = admin_client_portal.get(edit_url(survey_round)).context["form"]
    disabled = {name for name, field in form.fields.items() if field.disabled}
    assert disabled == {
        "opens_at",
        "external_questionnaire",
        "internal_questionnaire",
        "record_organisation",
    }
