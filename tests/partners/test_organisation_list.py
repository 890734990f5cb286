from django.test import Client
from django.urls import reverse

import pytest

from partners.models import Organisation
from tests.factories import OrganisationFactory, RegionFactory

URL = reverse("partners:organisation_list")


@pytest.fixture
def register(db: None) -> dict[str, Organisation]:
    heuvelrug = RegionFactory(name="U16")
    amersfoort = RegionFactory(name="Regio Amersfoort")
    return {
        "zeist": OrganisationFactory(name="Zeist", cbs_code="GM0355", region=heuvelrug),
        "utrecht": OrganisationFactory(name="Utrecht", cbs_code="GM0344", region=heuvelrug),
        "baarn": OrganisationFactory(name="Baarn", cbs_code="GM0308", region=amersfoort),
        "hdsr": OrganisationFactory(
            name="Hoogheemraadschap De Stichtse Rijnlanden",
            kind=Organisation.Kind.WATERSCHAP,
            cbs_code="",
            region=None,
        ),
    }


def names_in(response) -> list[str]:
    return [o.name for o in response.context["page"].object_list]


def test_it_lists_organisations_sorted_by_name(staff_client: Client, register: dict) -> None:
    response = staff_client.get(URL)
    assert response.status_code == 200
    assert names_in(response) == [
        "Baarn",
        "Hoogheemraadschap De Stichtse Rijnlanden",
        "Utrecht",
        "Zeist",
    ]
    assert b"<html" in response.content
    assert b"4 organisaties gevonden" in response.content


def test_it_filters_by_kind(staff_client: Client, register: dict) -> None:
    response = staff_client.get(URL, {"kind": "waterschap"})
    assert names_in(response) == ["Hoogheemraadschap De Stichtse Rijnlanden"]


def test_it_filters_by_region(staff_client: Client, register: dict) -> None:
    region = register["baarn"].region
    response = staff_client.get(URL, {"region": region.pk})
    assert names_in(response) == ["Baarn"]


def test_it_searches_name_and_cbs_code(staff_client: Client, register: dict) -> None:
    assert names_in(staff_client.get(URL, {"q": "zei"})) == ["Zeist"]
    assert names_in(staff_client.get(URL, {"q": "gm0344"})) == ["Utrecht"]
    assert names_in(staff_client.get(URL, {"q": "amersfoort"})) == ["Baarn"]


def test_it_sorts_descending_and_by_region(staff_client: Client, register: dict) -> None:
    assert names_in(staff_client.get(URL, {"sort": "-name"}))[0] == "Zeist"
    response = staff_client.get(URL, {"sort": "region"})
    assert names_in(response)[0] == "Baarn"
    assert 'aria-sort="ascending"' in response.content.decode()


def test_it_returns_only_the_results_fragment_to_htmx(staff_client: Client, register: dict) -> None:
    response = staff_client.get(URL, {"q": "zeist"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert body.lstrip().startswith('<div id="results"')
    assert "Zeist" in body and "Baarn" not in body
    assert "HX-Request" in response["Vary"]


def test_it_shows_an_empty_state(staff_client: Client, register: dict) -> None:
    response = staff_client.get(URL, {"q": "Timboektoe"})
    assert "Geen organisaties gevonden met deze filters." in response.content.decode()


def test_an_invalid_filter_value_is_a_400_with_a_message(
    staff_client: Client, register: dict
) -> None:
    response = staff_client.get(URL, {"kind": "kasteel"})
    assert response.status_code == 400
    assert "Selecteer een geldige keuze" in response.content.decode()


def test_it_paginates(staff_client: Client, db: None, settings) -> None:
    settings.PAGE_SIZE = 25
    OrganisationFactory.create_batch(30)
    first = staff_client.get(URL)
    second = staff_client.get(URL, {"page": 2})
    assert len(first.context["page"].object_list) == 25
    assert len(second.context["page"].object_list) == 5
    assert 'rel="next"' in first.content.decode()
    # A page number past the end shows the last page instead of an error.
    assert staff_client.get(URL, {"page": 99}).context["page"].number == 2


@pytest.mark.parametrize("count", [10, 300])
def test_query_count_is_constant(
    staff_client: Client, db: None, count: int, django_assert_max_num_queries
) -> None:
    OrganisationFactory.create_batch(count)
    # session, user, user and group permissions, role groups, region choices,
    # count, page: 8 whatever the number of organisations.
    with django_assert_max_num_queries(8):
        response = staff_client.get(URL)
    assert response.status_code == 200


def test_anonymous_users_are_sent_to_login(client: Client, db: None) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_outsiders_get_403(outsider_client: Client) -> None:
    assert outsider_client.get(URL).status_code == 403
