from django.test import Client
from django.urls import reverse

from partners.models import Organisation

URL = reverse("home")


def test_a_partner_sees_their_own_organisation(
    partner_client: Client, organisation: Organisation
) -> None:
    body = partner_client.get(URL).content.decode()
    assert "Woerden" in body
    assert organisation.get_absolute_url() in body
    assert reverse("partners:organisation_create") not in body


def test_an_administrator_gets_the_register_tasks(admin_client_portal: Client) -> None:
    body = admin_client_portal.get(URL).content.decode()
    assert reverse("partners:organisation_create") in body
    assert 'id="admin-tasks"' in body


def test_staff_and_account_holders_get_their_own_section(
    staff_client: Client, account_holder_client: Client
) -> None:
    assert 'id="staff-overview"' in staff_client.get(URL).content.decode()
    assert 'id="my-partners"' in account_holder_client.get(URL).content.decode()


def test_the_register_count_counts_active_organisations(
    staff_client: Client, organisation: Organisation
) -> None:
    Organisation.objects.create(name="Vianen", kind="gemeente", ended_on="2019-01-01")
    body = staff_client.get(URL).content.decode()
    assert "1 actieve organisatie" in body


def test_a_user_without_a_role_is_told_so(outsider_client: Client) -> None:
    response = outsider_client.get(URL)
    assert response.status_code == 200
    assert "nog geen rol" in response.content.decode()
    assert reverse("partners:organisation_list") not in response.content.decode()


def test_the_home_page_shows_the_role_in_english_too(staff_client: Client) -> None:
    body = staff_client.get(URL, headers={"Accept-Language": "en"}).content.decode()
    assert "Province staff" in body


def test_the_login_form_does_not_autofocus(client: Client, db: None) -> None:
    """Keyboard users start at the skip link, not past the header."""
    body = client.get(reverse("login")).content.decode()
    assert 'name="username"' in body
    assert "autofocus" not in body


def test_the_accessibility_statement_names_a_contact_address(client: Client, settings) -> None:
    settings.ACCESSIBILITY_CONTACT_EMAIL = "meld@provincie.example"
    body = client.get(reverse("accessibility")).content.decode()
    assert 'href="mailto:meld@provincie.example"' in body
    assert "WCAG" in body


def test_staff_are_invited_to_fill_in_an_open_round(staff_client: Client) -> None:
    from tests.factories import RoundFactory

    survey_round = RoundFactory(name="Thermometer 2026", include_staff=True)
    RoundFactory(name="Alleen partners", include_staff=False)
    body = staff_client.get(URL).content.decode()
    assert reverse("thermometer:staff_join", args=[survey_round.pk]) in body
    assert "Alleen partners" not in body


def test_partners_are_not_offered_the_staff_survey(partner_client: Client) -> None:
    from tests.factories import RoundFactory

    RoundFactory(include_staff=True)
    assert "/meedoen/" not in partner_client.get(URL).content.decode()
