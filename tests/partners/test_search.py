"""The search page (issue #3): contacts and organisations, grouped, as you type.

Typo tolerance and Dutch stemming need PostgreSQL; those tests skip on SQLite, whose
fallback is substring search (still ignoring case and accents). CI runs both.
"""

from urllib.parse import urlencode

from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import factory
import pytest

from partners.models import Contact, Organisation
from partners.services.search import search_contacts, search_organisations
from tests.factories import ContactFactory, OrganisationFactory, ThemeFactory

URL = reverse("partners:search")
HTMX = {"HX-Request": "true"}


@pytest.fixture
def postgresql(db: None) -> None:
    # Evaluated per test, against the database the run actually uses.
    if connection.vendor != "postgresql":
        pytest.skip(
            "typo tolerance is a PostgreSQL feature; the SQLite fallback is plain substring search"
        )


postgresql_only = pytest.mark.usefixtures("postgresql")


@pytest.fixture
def register(db: None) -> dict[str, Contact | Organisation]:
    amersfoort = OrganisationFactory(name="Amersfoort")
    utrecht = OrganisationFactory(name="Utrecht", cbs_code="GM0344")
    energy = ThemeFactory(name="Energie en klimaat")
    nature = ThemeFactory(name="Natuur en recreatie")
    return {
        "amersfoort": amersfoort,
        "utrecht": utrecht,
        "jeroen": ContactFactory(
            name="Jeroen de Vries (fictief)",
            organisation=amersfoort,
            function="Wethouder wonen",
            topics="woningbouwprogramma, huisvesting",
        ),
        "ingrid": ContactFactory(
            name="Ingrid Bakker (fictief)",
            organisation=utrecht,
            function="Beleidsadviseur energie",
            topics="regionale energiestrategie, warmtenet",
            themes=[energy],
        ),
        "rene": ContactFactory(
            name="René Smit (fictief)",
            organisation=utrecht,
            function="Adviseur mobiliteit",
            topics="fietspaden",
        ),
        "zoe": ContactFactory(
            name="Zoë Visser (fictief)",
            organisation=amersfoort,
            function="Gemeentesecretaris",
            topics="stikstof",
            themes=[nature],
            visibility=Contact.Visibility.INTERNAL,
        ),
    }


def contact_names(response) -> list[str]:
    return [contact.name for contact in response.context["contacts"].results]


def organisation_names(response) -> list[str]:
    return [organisation.name for organisation in response.context["organisations"].results]


# --- Finding ---------------------------------------------------------------------------


def test_it_groups_contacts_and_organisations(staff_client: Client, register: dict) -> None:
    response = staff_client.get(URL, {"q": "amersfoort"})
    body = response.content.decode()
    assert response.status_code == 200
    assert sorted(contact_names(response)) == ["Jeroen de Vries (fictief)", "Zoë Visser (fictief)"]
    assert organisation_names(response) == ["Amersfoort"]
    assert response.context["contacts"].total == 2
    assert response.context["organisations"].total == 1
    assert body.index('id="search-contacts-heading"') < body.index('id="search-contacts"')
    assert body.index('id="search-organisations-heading"') < body.index('id="search-organisations"')
    assert register["jeroen"].get_absolute_url() in body
    assert register["amersfoort"].get_absolute_url() in body


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ingrid", ["Ingrid Bakker (fictief)"]),  # name
        ("mobiliteit", ["René Smit (fictief)"]),  # function
        ("warmtenet", ["Ingrid Bakker (fictief)"]),  # topics
        ("woningbouw", ["Jeroen de Vries (fictief)"]),  # part of a topic
        ("recreatie", ["Zoë Visser (fictief)"]),  # theme
        ("utrecht", ["Ingrid Bakker (fictief)", "René Smit (fictief)"]),  # organisation
    ],
)
def test_it_searches_name_function_topics_themes_and_organisation(
    staff_client: Client, register: dict, query: str, expected: list[str]
) -> None:
    assert sorted(contact_names(staff_client.get(URL, {"q": query}))) == expected


def test_words_may_come_from_different_fields(staff_client: Client, register: dict) -> None:
    response = staff_client.get(URL, {"q": "wethouder amersfoort"})
    assert contact_names(response)[0] == "Jeroen de Vries (fictief)"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Rene", "René Smit (fictief)"),
        ("RENÉ", "René Smit (fictief)"),
        ("zoe", "Zoë Visser (fictief)"),
    ],
)
def test_it_ignores_case_and_accents(
    staff_client: Client, register: dict, query: str, expected: str
) -> None:
    assert contact_names(staff_client.get(URL, {"q": query})) == [expected]


def test_it_finds_an_organisation_by_cbs_code(staff_client: Client, register: dict) -> None:
    assert organisation_names(staff_client.get(URL, {"q": "gm0344"})) == ["Utrecht"]


def test_punctuation_alone_finds_nothing(staff_client: Client, register: dict) -> None:
    response = staff_client.get(URL, {"q": "!?&"})
    assert response.context["contacts"].total == 0
    assert 'id="search-empty"' in response.content.decode()


def test_the_search_functions_return_everything_for_blank_text(register: dict) -> None:
    contacts = Contact.objects.all()
    assert search_contacts(contacts, "  ").count() == 4
    assert search_organisations(Organisation.objects.all(), "").count() == 2


# --- Typo tolerance and Dutch stemming (PostgreSQL) ---------------------------------------


@postgresql_only
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("jeroen de vris", "Jeroen de Vries (fictief)"),  # a letter missing in the last name
        ("Jeron", "Jeroen de Vries (fictief)"),  # a letter missing while typing
        ("Ingrd", "Ingrid Bakker (fictief)"),
        ("ingird bakker", "Ingrid Bakker (fictief)"),  # two letters swapped
    ],
)
def test_it_forgives_a_typo_in_a_name(
    staff_client: Client, register: dict, query: str, expected: str
) -> None:
    assert contact_names(staff_client.get(URL, {"q": query}))[0] == expected


@postgresql_only
def test_it_forgives_a_typo_in_an_organisation_name(staff_client: Client, register: dict) -> None:
    response = staff_client.get(URL, {"q": "Amersfort"})
    assert organisation_names(response) == ["Amersfoort"]
    assert sorted(contact_names(response)) == ["Jeroen de Vries (fictief)", "Zoë Visser (fictief)"]


@postgresql_only
def test_dutch_stemming_finds_other_forms_of_a_word(staff_client: Client, register: dict) -> None:
    # "gemeenten" is no substring of "Gemeentesecretaris"; both stem to "gemeent".
    assert contact_names(staff_client.get(URL, {"q": "gemeenten"})) == ["Zoë Visser (fictief)"]


@postgresql_only
def test_a_contact_matching_in_more_fields_ranks_first(
    staff_client: Client, register: dict
) -> None:
    ContactFactory(name="Aaron Aalders (fictief)", function="Secretaris", topics="energie")
    names = contact_names(staff_client.get(URL, {"q": "energie"}))
    assert names == ["Ingrid Bakker (fictief)", "Aaron Aalders (fictief)"]


@postgresql_only
def test_unrelated_words_do_not_match(staff_client: Client, register: dict) -> None:
    assert staff_client.get(URL, {"q": "xylofoon"}).context["contacts"].total == 0


@postgresql_only
def test_the_migration_made_an_accent_blind_dutch_configuration(db: None) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_tsvector('portal_dutch', 'Zoë woningen')::text")
        assert cursor.fetchone()[0] == "'woning':2 'zoe':1"


# --- Who finds what ---------------------------------------------------------------------


def test_partners_never_find_internal_contacts(partner_client: Client, register: dict) -> None:
    for query in ["Zoë Visser", "visser", "gemeentesecretaris", "amersfoort"]:
        response = partner_client.get(URL, {"q": query})
        assert "Zoë Visser (fictief)" not in contact_names(response)
        assert "Zoë Visser (fictief)" not in response.content.decode()
        assert register["zoe"].get_absolute_url() not in response.content.decode()
    response = partner_client.get(URL, {"q": "amersfoort"})
    assert contact_names(response) == ["Jeroen de Vries (fictief)"]
    assert response.context["contacts"].total == 1  # the count gives nothing away either


def test_staff_find_internal_contacts(staff_client: Client, register: dict) -> None:
    assert contact_names(staff_client.get(URL, {"q": "visser"})) == ["Zoë Visser (fictief)"]


def test_anonymised_contacts_are_not_found(staff_client: Client, register: dict) -> None:
    ContactFactory(name="Anne Anoniem (fictief)", anonymised_at=timezone.now())
    assert staff_client.get(URL, {"q": "anoniem"}).context["contacts"].total == 0


@pytest.mark.parametrize(
    "client_name",
    ["partner_client", "staff_client", "account_holder_client", "admin_client_portal"],
)
def test_every_role_that_reads_contacts_may_search(
    request: pytest.FixtureRequest, client_name: str, register: dict
) -> None:
    client = request.getfixturevalue(client_name)
    response = client.get(URL, {"q": "utrecht"})
    assert response.status_code == 200
    assert "Ingrid Bakker (fictief)" in contact_names(response)


@pytest.mark.parametrize(
    "client_name",
    ["partner_client", "staff_client", "account_holder_client", "admin_client_portal"],
)
def test_the_header_search_box_leads_here(
    request: pytest.FixtureRequest, client_name: str, db: None
) -> None:
    body = request.getfixturevalue(client_name).get(reverse("home")).content.decode()
    assert 'id="header-search"' in body
    assert f'action="{URL}"' in body


def test_outsiders_get_403(outsider_client: Client) -> None:
    assert outsider_client.get(URL, {"q": "utrecht"}).status_code == 403
    assert 'id="header-search"' not in outsider_client.get(reverse("home")).content.decode()


def test_anonymous_users_are_sent_to_login(client: Client, db: None) -> None:
    response = client.get(URL, {"q": "utrecht"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_post_is_not_allowed(staff_client: Client) -> None:
    assert staff_client.post(URL, {"q": "utrecht"}).status_code == 405


# --- The page ---------------------------------------------------------------------------


def test_an_empty_query_shows_a_hint(staff_client: Client, register: dict) -> None:
    for params in [{}, {"q": "   "}]:
        response = staff_client.get(URL, params)
        body = response.content.decode()
        assert response.status_code == 200
        assert 'id="search-hint"' in body
        assert "contacts" not in response.context
        assert 'id="search-contacts-heading"' not in body


def test_no_results_show_an_empty_state(staff_client: Client, register: dict) -> None:
    response = staff_client.get(URL, {"q": "qqqqqq"}, headers={"Accept-Language": "en"})
    body = response.content.decode()
    assert 'id="search-empty"' in body
    assert "0 contacts found, 0 organisations found" in body
    assert 'id="search-contacts-heading"' not in body


def test_the_full_page_has_a_labelled_search_form(staff_client: Client, register: dict) -> None:
    response = staff_client.get(URL, {"q": "utrecht"})
    body = response.content.decode()
    assert "<html" in body
    assert '<form id="search-form"' in body and 'method="get"' in body
    assert '<label class="utrecht-form-label" for="search-q">' in body
    assert 'id="search-q" name="q" type="search" value="utrecht"' in body
    assert 'type="submit"' in body
    assert 'id="result-status"' in body and "data-announce" in body
    assert "HX-Request" in response["Vary"]


def test_htmx_gets_only_the_results(staff_client: Client, register: dict) -> None:
    response = staff_client.get(URL, {"q": "utrecht"}, headers=HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert body.lstrip().startswith('<div id="results"')
    assert "Ingrid Bakker (fictief)" in body and "Jeroen de Vries (fictief)" not in body
    assert "data-announce" in body
    assert "HX-Request" in response["Vary"]


def test_each_group_shows_ten_with_a_link_to_all_contacts(staff_client: Client, db: None) -> None:
    organisation = OrganisationFactory(name="Veenendaal")
    ContactFactory.create_batch(12, function="Adviseur water", organisation=organisation)
    OrganisationFactory.create_batch(11, name=factory.Sequence(lambda n: f"Waterschap {n}"))
    response = staff_client.get(URL, {"q": "water"})
    body = response.content.decode()
    assert len(response.context["contacts"].results) == 10
    assert response.context["contacts"].total == 12
    all_contacts = reverse("partners:contact_list") + "?" + urlencode({"q": "water"})
    assert f'id="search-all-contacts" href="{all_contacts}"' in body
    assert len(response.context["organisations"].results) == 10
    assert response.context["organisations"].total == 11
    assert 'id="search-all-organisations"' in body


def test_the_link_to_all_contacts_keeps_the_whole_query(staff_client: Client, db: None) -> None:
    ContactFactory.create_batch(11, function="Adviseur water & bodem")
    body = staff_client.get(URL, {"q": "water & bodem"}).content.decode()
    assert "?q=water%20%26%20bodem" in body


def test_a_nul_byte_in_the_query_is_dropped(staff_client: Client, register: dict) -> None:
    """PostgreSQL refuses NUL in text; a tampered ?q= must not make a server error."""
    response = staff_client.get(URL, {"q": "ing\x00rid"})
    assert response.status_code == 200
    assert contact_names(response) == ["Ingrid Bakker (fictief)"]


def test_a_long_query_is_cut_off(staff_client: Client, register: dict) -> None:
    response = staff_client.get(URL, {"q": "utrecht " * 100})
    assert response.status_code == 200
    assert len(response.context["query"]) == 100


@pytest.mark.parametrize("count", [10, 2000])
def test_query_count_is_constant(
    staff_client: Client, db: None, count: int, django_assert_max_num_queries
) -> None:
    organisation = OrganisationFactory(name="Houten")
    theme = ThemeFactory(name="Wonen")
    Contact.objects.bulk_create(
        Contact(organisation=organisation, name=f"Contact {n} (fictief)", function="Adviseur")
        for n in range(count)
    )
    ContactFactory(name="Contact met thema (fictief)", organisation=organisation, themes=[theme])
    # session, user, groups (roles), user and group permissions (2), contacts with
    # their total, their themes, organisations with their total: 8 for any register.
    with django_assert_max_num_queries(8):
        response = staff_client.get(URL, {"q": "contact"})
    assert response.status_code == 200
    assert response.context["contacts"].total == count + 1


def test_themes_are_listed_with_a_contact(staff_client: Client, register: dict) -> None:
    body = staff_client.get(URL, {"q": "ingrid"}).content.decode()
    assert "Energie en klimaat" in body
