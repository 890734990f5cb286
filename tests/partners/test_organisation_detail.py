import datetime

from django.test import Client

import pytest

from partners.models import Organisation
from tests.factories import (
    AccountHolderFactory,
    ContactFactory,
    OrganisationFactory,
    ThemeFactory,
)


def test_it_shows_the_identifiers_and_region(staff_client: Client, db: None) -> None:
    organisation = OrganisationFactory(
        name="Utrecht",
        cbs_code="GM0344",
        oin="00000001002220647000",
        tooi_uri="https://identifier.overheid.nl/tooi/id/gemeente/gm0344",
        website="https://www.utrecht.nl",
        region__name="U16",
    )
    response = staff_client.get(organisation.get_absolute_url())
    body = response.content.decode()
    assert response.status_code == 200
    for text in [
        "GM0344",
        "00000001002220647000",
        "tooi/id/gemeente/gm0344",
        "https://www.utrecht.nl",
        "U16",
        "<h1",
    ]:
        assert text in body
    # Staff may look but not edit.
    assert f"/organisaties/{organisation.pk}/bewerken/" not in body


def test_it_offers_the_edit_link_to_administrators(admin_client_portal: Client, db: None) -> None:
    organisation = OrganisationFactory()
    body = admin_client_portal.get(organisation.get_absolute_url()).content.decode()
    assert f"/organisaties/{organisation.pk}/bewerken/" in body


def test_it_marks_an_ended_organisation(staff_client: Client, db: None) -> None:
    organisation = OrganisationFactory(name="Vianen", ended_on=datetime.date(2019, 1, 1))
    body = staff_client.get(organisation.get_absolute_url()).content.decode()
    assert "1 januari 2019" in body


def test_an_unknown_organisation_is_a_404(staff_client: Client, db: None) -> None:
    assert staff_client.get("/organisaties/999999/").status_code == 404


@pytest.mark.parametrize("count", [10, 300])
def test_query_count_is_constant(
    staff_client: Client, db: None, count: int, django_assert_max_num_queries
) -> None:
    organisations = OrganisationFactory.create_batch(count)
    organisation = organisations[-1]
    theme = ThemeFactory()
    for n in range(min(count, 40)):
        ContactFactory(organisation=organisation, themes=[theme])
        AccountHolderFactory(
            organisation=organisation, starts_on=datetime.date(2020, 1, 1 + n % 28)
        )
        organisation.website = f"https://example.org/{n}"
        organisation.save()
    # session, user, user and group permissions, organisation, role groups, contacts,
    # their themes, assignments with users, history with users.
    with django_assert_max_num_queries(10):
        response = staff_client.get(organisation.get_absolute_url())
    assert response.status_code == 200


def test_partners_see_other_organisations_too(partner_client: Client, db: None) -> None:
    """The register is public government information: every role may read it."""
    other = OrganisationFactory(name="Zeist", kind=Organisation.Kind.GEMEENTE)
    assert partner_client.get(other.get_absolute_url()).status_code == 200


def test_outsiders_get_403(outsider_client: Client, db: None) -> None:
    assert outsider_client.get(OrganisationFactory().get_absolute_url()).status_code == 403


def test_the_history_names_related_objects_and_skips_empty_saves(
    admin_client_portal: Client, db: None
) -> None:
    from tests.factories import RegionFactory

    organisation = OrganisationFactory(name="Bunnik", region=None)
    organisation.save()  # a save without changes is not worth a line
    organisation.region = RegionFactory(name="U16")
    organisation.save()
    response = admin_client_portal.get(
        organisation.get_absolute_url(), headers={"Accept-Language": "en"}
    )
    entries = response.context["history"]
    assert [e.action for e in entries] == ["Changed", "Created"]
    assert entries[0].changes == [("Region", "–", "U16")]
