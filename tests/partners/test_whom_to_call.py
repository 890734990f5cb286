import datetime

from django.test import Client
from django.urls import reverse

import pytest

from partners.models import AccountHolder, Organisation
from partners.queries import whom_to_call
from tests.factories import (
    AccountHolderFactory,
    ContactFactory,
    OrganisationFactory,
    ThemeFactory,
    UserFactory,
)

URL = reverse("partners:whom_to_call")


@pytest.fixture
def province(db: None) -> Organisation:
    return OrganisationFactory(name="Provincie Utrecht", kind="provincie", cbs_code="PV26")


@pytest.fixture
def energy(db: None):
    return ThemeFactory(name="Energie en klimaat", slug="energie-en-klimaat")


def holder(name: str, **kwargs) -> AccountHolder:
    first, last = name.split(" ", 1)
    user = UserFactory(first_name=first, last_name=last, phone="030 111 2222")
    return AccountHolderFactory(user=user, **kwargs)


def test_a_partner_sees_the_theme_and_area_account_holders_of_their_municipality(
    partner_client: Client, organisation: Organisation, province: Organisation, energy
) -> None:
    holder("Sanne Energie", organisation=organisation, scope="theme", theme=energy)
    holder("Anna Gebied", organisation=organisation, scope="area", is_primary=True)
    holder("Elders Iemand", organisation=OrganisationFactory(), scope="area")
    body = partner_client.get(URL, {"theme": energy.pk}).content.decode()
    assert "Sanne Energie" in body
    assert "Anna Gebied" in body
    assert "Elders Iemand" not in body
    assert 'href="tel:0301112222"' in body


def test_a_partner_cannot_look_up_another_organisation(
    partner_client: Client, organisation: Organisation, province: Organisation
) -> None:
    other = OrganisationFactory(name="Zeist")
    holder("Zeist Houder", organisation=other, scope="area")
    body = partner_client.get(URL, {"organisation": other.pk}).content.decode()
    assert "Zeist Houder" not in body
    assert 'name="organisation"' not in body


def test_without_a_theme_holder_the_area_holder_is_the_fallback(
    staff_client: Client, province: Organisation, energy
) -> None:
    organisation = OrganisationFactory(name="Baarn")
    holder("Anna Gebied", organisation=organisation, scope="area")
    response = staff_client.get(URL, {"organisation": organisation.pk, "theme": energy.pk})
    assert response.context["answer"].fallback == "area"
    assert "Anna Gebied" in response.content.decode()


def test_with_nobody_assigned_the_general_contact_point_answers(
    staff_client: Client, province: Organisation
) -> None:
    ContactFactory(organisation=province, name="Servicepunt (fictief)", is_general=True)
    organisation = OrganisationFactory(name="Eemnes")
    response = staff_client.get(URL, {"organisation": organisation.pk})
    assert response.context["answer"].fallback == "general"
    assert "Servicepunt (fictief)" in response.content.decode()


def test_ended_assignments_do_not_answer(staff_client: Client, province: Organisation) -> None:
    organisation = OrganisationFactory(name="Lopik")
    holder(
        "Oud Houder",
        organisation=organisation,
        scope="area",
        starts_on=datetime.date(2019, 1, 1),
        ends_on=datetime.date(2020, 1, 1),
    )
    body = staff_client.get(URL, {"organisation": organisation.pk}).content.decode()
    assert "Oud Houder" not in body


def test_theme_contact_points_of_the_province_are_shown_but_internal_ones_not_to_partners(
    partner_client: Client, organisation: Organisation, province: Organisation, energy
) -> None:
    ContactFactory(organisation=province, name="Team energie (fictief)", themes=[energy])
    ContactFactory(
        organisation=province,
        name="Interne energie (fictief)",
        themes=[energy],
        visibility="internal",
    )
    body = partner_client.get(URL, {"theme": energy.pk}).content.decode()
    assert "Team energie (fictief)" in body
    assert "Interne energie (fictief)" not in body


def test_htmx_gets_only_the_answer(staff_client: Client, province: Organisation) -> None:
    organisation = OrganisationFactory(name="Rhenen")
    response = staff_client.get(
        URL, {"organisation": organisation.pk}, headers={"HX-Request": "true"}
    )
    assert response.content.decode().lstrip().startswith('<div id="answer"')
    assert "HX-Request" in response["Vary"]


def test_an_unknown_organisation_is_a_400(staff_client: Client, db: None) -> None:
    assert staff_client.get(URL, {"organisation": "999999"}).status_code == 400


@pytest.mark.parametrize("count", [1, 30])
def test_the_lookup_keeps_a_constant_number_of_queries(
    db: None, province: Organisation, energy, count: int, django_assert_max_num_queries
) -> None:
    organisation = OrganisationFactory()
    for n in range(count):
        holder(f"Houder {n}", organisation=organisation, scope="theme", theme=energy)
        ContactFactory(organisation=province, themes=[energy])
    user = UserFactory()
    with django_assert_max_num_queries(6):
        answer = whom_to_call(organisation, energy, user=user)
        names = [a.user.get_full_name() for a in answer.theme_account_holders]
        themes = [t.name for c in answer.contact_points for t in c.themes.all()]
    assert len(names) == count and len(themes) == count


def test_my_partners_lists_the_current_assignments(
    account_holder_client: Client, account_holder, db: None
) -> None:
    mine = OrganisationFactory(name="Woudenberg")
    AccountHolderFactory(user=account_holder, organisation=mine)
    AccountHolderFactory(
        user=account_holder,
        organisation=OrganisationFactory(name="Oud"),
        starts_on=datetime.date(2019, 1, 1),
        ends_on=datetime.date(2020, 1, 1),
    )
    body = account_holder_client.get(reverse("partners:my_partners")).content.decode()
    assert "Woudenberg" in body and ">Oud<" not in body


def test_my_partners_is_for_account_holders(staff_client: Client, partner_client: Client) -> None:
    assert staff_client.get(reverse("partners:my_partners")).status_code == 403
    assert partner_client.get(reverse("partners:my_partners")).status_code == 403


def test_a_partner_without_an_organisation_cannot_look_up_others(db: None, province) -> None:
    """Review of issue #3: an unlinked partner fell into the staff branch."""
    from portal.lib.roles import Role

    client = Client()
    client.force_login(UserFactory(role=Role.PARTNER, organisation=None))
    other = OrganisationFactory(name="Zeist")
    holder("Geheim Nummer", organisation=other, scope="area")
    body = client.get(URL, {"organisation": other.pk}).content.decode()
    assert "Geheim Nummer" not in body


def test_departed_colleagues_are_not_called(staff_client: Client, province) -> None:
    organisation = OrganisationFactory(name="Soest")
    assignment = holder("Vertrokken Collega", organisation=organisation, scope="area")
    assignment.user.is_active = False
    assignment.user.save()
    body = staff_client.get(URL, {"organisation": organisation.pk}).content.decode()
    assert "Vertrokken Collega" not in body


def test_a_departed_colleagues_assignment_can_still_be_ended(
    admin_client_portal: Client, db: None
) -> None:
    assignment = holder("Vertrokken Collega", organisation=OrganisationFactory(), scope="area")
    assignment.user.is_active = False
    assignment.user.save()
    response = admin_client_portal.post(
        reverse("partners:assignment_edit", args=[assignment.pk]),
        {
            "user": assignment.user_id,
            "organisation": assignment.organisation_id,
            "scope": "area",
            "starts_on": "2024-01-01",
            "ends_on": "2026-01-31",
        },
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert str(assignment.ends_on) == "2026-01-31"
