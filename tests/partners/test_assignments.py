import datetime

from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

import pytest

from partners.models import AccountHolder
from portal.lib.roles import Role
from tests.factories import AccountHolderFactory, OrganisationFactory, ThemeFactory, UserFactory

CREATE = reverse("partners:assignment_create")
EN = {"Accept-Language": "en"}


def data(user, organisation, **overrides) -> dict:
    values = {
        "user": user.pk,
        "organisation": organisation.pk,
        "scope": "area",
        "theme": "",
        "starts_on": "2026-01-01",
        "ends_on": "",
    }
    values.update(overrides)
    return values


def test_an_administrator_assigns_an_account_holder(
    admin_client_portal: Client, account_holder, db: None
) -> None:
    organisation = OrganisationFactory(name="Leusden")
    response = admin_client_portal.post(CREATE, data(account_holder, organisation, is_primary="on"))
    assignment = AccountHolder.objects.get()
    assert response.status_code == 302
    assert response["Location"] == organisation.get_absolute_url()
    assert assignment.is_primary and assignment.user == account_holder
    body = admin_client_portal.get(organisation.get_absolute_url(), headers=EN).content.decode()
    assert account_holder.get_full_name() in body and "(primary)" in body


def test_a_thematic_assignment_needs_a_theme(
    admin_client_portal: Client, account_holder, db: None
) -> None:
    organisation = OrganisationFactory()
    response = admin_client_portal.post(CREATE, data(account_holder, organisation, scope="theme"))
    assert "theme" in response.context["form"].errors
    assert AccountHolder.objects.count() == 0


def test_only_province_staff_can_be_assigned(admin_client_portal: Client, db: None) -> None:
    partner = UserFactory(role=Role.PARTNER)
    response = admin_client_portal.post(CREATE, data(partner, OrganisationFactory()))
    assert "user" in response.context["form"].errors


def test_a_second_open_primary_is_refused(
    admin_client_portal: Client, account_holder, db: None
) -> None:
    organisation = OrganisationFactory()
    AccountHolderFactory(organisation=organisation, is_primary=True)
    response = admin_client_portal.post(CREATE, data(account_holder, organisation, is_primary="on"))
    assert response.status_code == 200
    assert response.context["form"].errors
    assert AccountHolder.objects.count() == 1


def test_the_database_allows_one_open_primary_per_organisation(db: None) -> None:
    organisation = OrganisationFactory()
    AccountHolderFactory(organisation=organisation, is_primary=True)
    # An ended primary is history and does not count.
    AccountHolderFactory(
        organisation=organisation,
        is_primary=True,
        starts_on=datetime.date(2020, 1, 1),
        ends_on=datetime.date(2021, 1, 1),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        AccountHolderFactory(organisation=organisation, is_primary=True)


def test_the_database_checks_theme_and_period(db: None) -> None:
    theme = ThemeFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        AccountHolderFactory(scope="area", theme=theme)
    with pytest.raises(IntegrityError), transaction.atomic():
        AccountHolderFactory(starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2025, 1, 1))


def test_ending_an_assignment_keeps_it_as_history(
    admin_client_portal: Client, account_holder, db: None
) -> None:
    assignment = AccountHolderFactory(user=account_holder, starts_on=datetime.date(2020, 1, 1))
    url = reverse("partners:assignment_edit", args=[assignment.pk])
    response = admin_client_portal.post(
        url,
        data(account_holder, assignment.organisation, starts_on="2020-01-01", ends_on="2021-06-30"),
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert not assignment.is_current
    body = admin_client_portal.get(
        assignment.organisation.get_absolute_url(), headers=EN
    ).content.decode()
    assert "Earlier account-holders" in body
    assert assignment.history.count() == 2


@pytest.mark.parametrize(
    "persona", ["staff_client", "partner_client", "account_holder_client", "outsider_client"]
)
def test_only_administrators_manage_assignments(
    request: pytest.FixtureRequest, persona: str, account_holder, db: None
) -> None:
    client = request.getfixturevalue(persona)
    assignment = AccountHolderFactory()
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, data(account_holder, OrganisationFactory())).status_code == 403
    edit = reverse("partners:assignment_edit", args=[assignment.pk])
    assert client.post(edit, data(account_holder, assignment.organisation)).status_code == 403
    assert AccountHolder.objects.count() == 1


def test_partners_do_not_see_assignments_on_the_organisation_page(
    partner_client: Client, db: None
) -> None:
    assignment = AccountHolderFactory()
    body = partner_client.get(assignment.organisation.get_absolute_url(), headers=EN)
    assert "Account-holders" not in body.content.decode()


def test_a_double_submitted_assignment_is_stored_once(
    admin_client_portal: Client, account_holder, db: None
) -> None:
    """Review of issue #3: a double click listed the person twice in whom-to-call."""
    organisation = OrganisationFactory()
    first = admin_client_portal.post(CREATE, data(account_holder, organisation))
    second = admin_client_portal.post(CREATE, data(account_holder, organisation))
    assert first.status_code == 302
    assert second.status_code == 200
    assert AccountHolder.objects.count() == 1
