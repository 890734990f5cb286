from django.test import Client
from django.urls import reverse

import pytest

from partners.models import Organisation
from tests.factories import OrganisationFactory, RegionFactory

CREATE_URL = reverse("partners:organisation_create")


def valid_data(**overrides: object) -> dict:
    data = {
        "name": "Woudenberg",
        "kind": "gemeente",
        "cbs_code": "gm0351",
        "oin": "",
        "tooi_uri": "https://identifier.overheid.nl/tooi/id/gemeente/gm0351",
        "website": "www.woudenberg.nl",
        "region": "",
        "ended_on": "",
    }
    data.update(overrides)
    return data


def test_an_administrator_adds_an_organisation(admin_client_portal: Client, db: None) -> None:
    region = RegionFactory(name="Regio Amersfoort")
    response = admin_client_portal.post(CREATE_URL, valid_data(region=region.pk))
    organisation = Organisation.objects.get(name="Woudenberg")
    assert response.status_code == 302
    assert response["Location"] == organisation.get_absolute_url()
    # Normalised: upper-case code, https assumed for a bare domain.
    assert organisation.cbs_code == "GM0351"
    assert organisation.website == "https://www.woudenberg.nl"
    assert organisation.region == region
    followed = admin_client_portal.get(response["Location"])
    assert "Woudenberg" in followed.content.decode()


def test_it_shows_dutch_errors_in_a_summary_and_keeps_the_input(
    admin_client_portal: Client, db: None
) -> None:
    response = admin_client_portal.post(CREATE_URL, valid_data(name="", cbs_code="XX12", oin="123"))
    body = response.content.decode()
    assert response.status_code == 200
    assert Organisation.objects.count() == 0
    assert "data-error-summary" in body
    assert "Dit veld is verplicht." in body
    assert 'href="#id_name"' in body
    assert 'aria-invalid="true"' in body
    assert 'aria-describedby="id_oin_helptext id_oin_error"' in body
    assert 'value="XX12"' in body


def test_a_duplicate_name_is_refused_case_insensitively(
    admin_client_portal: Client, db: None
) -> None:
    OrganisationFactory(name="Woudenberg", cbs_code="GM0351")
    response = admin_client_portal.post(CREATE_URL, valid_data(name="woudenberg", cbs_code=""))
    assert response.status_code == 200
    assert Organisation.objects.count() == 1
    assert response.context["form"].errors


def test_a_cbs_code_must_match_the_kind(admin_client_portal: Client, db: None) -> None:
    response = admin_client_portal.post(
        CREATE_URL, valid_data(kind="waterschap", cbs_code="GM0351")
    )
    assert response.context["form"].errors["cbs_code"] == [
        "De CBS-code van een waterschap begint met WS."
    ]
    assert Organisation.objects.count() == 0


def test_an_agency_has_no_cbs_code(admin_client_portal: Client, db: None) -> None:
    response = admin_client_portal.post(
        CREATE_URL, valid_data(name="ODRU", kind="uitvoeringsdienst", cbs_code="GM0351")
    )
    assert "cbs_code" in response.context["form"].errors
    assert Organisation.objects.count() == 0


def test_an_administrator_edits_an_organisation(admin_client_portal: Client, db: None) -> None:
    organisation = OrganisationFactory(name="Woudenberg", cbs_code="GM0351")
    url = reverse("partners:organisation_edit", args=[organisation.pk])
    response = admin_client_portal.post(
        url, valid_data(name="Gemeente Woudenberg", ended_on="2030-01-01")
    )
    organisation.refresh_from_db()
    assert response.status_code == 302
    assert organisation.name == "Gemeente Woudenberg"
    assert str(organisation.ended_on) == "2030-01-01"


def test_the_edit_form_shows_the_current_values(admin_client_portal: Client, db: None) -> None:
    organisation = OrganisationFactory(name="Woudenberg", cbs_code="GM0351")
    url = reverse("partners:organisation_edit", args=[organisation.pk])
    body = admin_client_portal.get(url).content.decode()
    assert 'value="Woudenberg"' in body and 'value="GM0351"' in body


@pytest.mark.parametrize(
    "persona", ["staff_client", "partner_client", "account_holder_client", "outsider_client"]
)
def test_only_administrators_may_add_or_edit(
    request: pytest.FixtureRequest, persona: str, db: None
) -> None:
    client = request.getfixturevalue(persona)
    organisation = OrganisationFactory(name="Woudenberg", cbs_code="GM0351")
    edit_url = reverse("partners:organisation_edit", args=[organisation.pk])
    assert client.get(CREATE_URL).status_code == 403
    assert client.post(CREATE_URL, valid_data(name="Nieuw", cbs_code="")).status_code == 403
    assert client.post(edit_url, valid_data(name="Gewijzigd")).status_code == 403
    organisation.refresh_from_db()
    assert organisation.name == "Woudenberg"
    assert not Organisation.objects.filter(name="Nieuw").exists()
