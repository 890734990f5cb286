from django.test import Client
from django.urls import reverse

import pytest

from partners.models import Contact
from tests.factories import ContactFactory, OrganisationFactory, ThemeFactory

LIST = reverse("partners:contact_list")
CREATE = reverse("partners:contact_create")
EN = {"Accept-Language": "en"}


def names(response) -> list[str]:
    return [c.name for c in response.context["page"].object_list]


def test_partners_never_see_internal_contacts(partner_client: Client, db: None) -> None:
    shared = ContactFactory(name="Gedeeld Persoon (fictief)")
    internal = ContactFactory(name="Intern Persoon (fictief)", visibility="internal")
    response = partner_client.get(LIST)
    assert names(response) == [shared.name]
    assert internal.name not in response.content.decode()
    assert partner_client.get(internal.get_absolute_url()).status_code == 404
    assert partner_client.get(shared.get_absolute_url()).status_code == 200


def test_staff_see_internal_contacts_marked_as_such(staff_client: Client, db: None) -> None:
    ContactFactory(name="Intern Persoon (fictief)", visibility="internal")
    body = staff_client.get(LIST, headers=EN).content.decode()
    assert "Intern Persoon (fictief)" in body
    assert "internal</span>" in body


def test_anonymised_contacts_are_left_out_of_the_list(staff_client: Client, db: None) -> None:
    ContactFactory(name="Weg (fictief)", anonymised_at="2026-01-01T00:00:00Z")
    assert names(staff_client.get(LIST)) == []


def test_it_filters_by_organisation_theme_and_text(staff_client: Client, db: None) -> None:
    energy = ThemeFactory(name="Energie en klimaat")
    zeist = OrganisationFactory(name="Zeist")
    ContactFactory(name="Anna (fictief)", organisation=zeist, themes=[energy])
    ContactFactory(name="Bert (fictief)", organisation=zeist, function="Wethouder wonen")
    ContactFactory(name="Carla (fictief)")
    assert names(staff_client.get(LIST, {"organisation": zeist.pk})) == [
        "Anna (fictief)",
        "Bert (fictief)",
    ]
    assert names(staff_client.get(LIST, {"themes": energy.pk})) == ["Anna (fictief)"]
    assert names(staff_client.get(LIST, {"q": "wethouder"})) == ["Bert (fictief)"]


def test_the_list_answers_htmx_with_the_fragment(staff_client: Client, db: None) -> None:
    ContactFactory(name="Anna (fictief)")
    response = staff_client.get(LIST, {"q": "anna"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="results"')
    assert "<html" not in body and "Anna (fictief)" in body
    assert "HX-Request" in response["Vary"]


def test_a_bad_filter_value_is_a_400(staff_client: Client, db: None) -> None:
    assert staff_client.get(LIST, {"organisation": "abc"}).status_code == 400


@pytest.mark.parametrize("count", [10, 2000])
def test_the_list_keeps_a_constant_number_of_queries(
    staff_client: Client, db: None, count: int, django_assert_max_num_queries
) -> None:
    theme = ThemeFactory(name="Wonen")
    organisation = OrganisationFactory()
    contacts = Contact.objects.bulk_create(
        Contact(organisation=organisation, name=f"Persoon {n} (fictief)", visibility="shared")
        for n in range(count)
    )
    Contact.themes.through.objects.bulk_create(
        Contact.themes.through(contact=c, theme=theme) for c in contacts
    )
    # session, user, permissions x2, role groups, organisation and theme choices,
    # count, page, themes of the page.
    with django_assert_max_num_queries(10):
        response = staff_client.get(LIST)
    assert len(response.context["page"].object_list) == min(count, 25)


def test_an_account_holder_adds_a_contact(account_holder_client: Client, db: None) -> None:
    organisation = OrganisationFactory(name="Houten")
    theme = ThemeFactory(name="Wonen")
    response = account_holder_client.post(
        CREATE,
        {
            "organisation": organisation.pk,
            "name": "  Jan   Jansen (fictief) ",
            "function": "Wethouder",
            "email": "Jan@Houten.Example",
            "phone": "030 123 4567",
            "themes": [theme.pk],
            "topics": "woningbouw, , huisvesting",
            "visibility": "shared",
        },
    )
    contact = Contact.objects.get()
    assert response.status_code == 302
    assert contact.name == "Jan Jansen (fictief)"
    assert contact.email == "jan@houten.example"
    assert contact.topics == "woningbouw, huisvesting"
    assert list(contact.themes.all()) == [theme]
    # Saving the themes adds a second record (django-simple-history's m2m tracking).
    assert contact.history.last().history_type == "+"
    assert list(contact.history.first().themes.values_list("theme__name", flat=True)) == ["Wonen"]


def test_a_contact_needs_a_way_to_reach_them(account_holder_client: Client, db: None) -> None:
    organisation = OrganisationFactory()
    response = account_holder_client.post(
        CREATE,
        {"organisation": organisation.pk, "name": "X", "visibility": "shared", "phone": "abc"},
        headers=EN,
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert Contact.objects.count() == 0
    assert "Enter a telephone number with digits only" in body
    assert "data-error-summary" in body


def test_editing_records_who_changed_what(
    account_holder_client: Client, account_holder, db: None
) -> None:
    contact = ContactFactory(name="Anna (fictief)", function="Adviseur")
    url = reverse("partners:contact_edit", args=[contact.pk])
    response = account_holder_client.post(
        url,
        {
            "organisation": contact.organisation_id,
            "name": "Anna (fictief)",
            "function": "Wethouder",
            "email": contact.email,
            "phone": "",
            "visibility": "shared",
        },
    )
    assert response.status_code == 302
    latest = contact.history.first()
    assert latest.history_user == account_holder
    assert latest.function == "Wethouder"
    body = account_holder_client.get(contact.get_absolute_url(), headers=EN).content.decode()
    assert "History of changes" in body
    assert "Adviseur → Wethouder" in body


def test_partners_do_not_see_the_audit_trail(partner_client: Client, db: None) -> None:
    contact = ContactFactory()
    body = partner_client.get(contact.get_absolute_url(), headers=EN).content.decode()
    assert "History of changes" not in body


@pytest.mark.parametrize("persona", ["partner_client", "staff_client", "outsider_client"])
def test_only_account_holders_and_administrators_edit_contacts(
    request: pytest.FixtureRequest, persona: str, db: None
) -> None:
    client = request.getfixturevalue(persona)
    contact = ContactFactory(name="Anna (fictief)")
    url = reverse("partners:contact_edit", args=[contact.pk])
    assert client.get(CREATE).status_code == 403
    assert client.post(url, {"name": "Gewijzigd"}).status_code == 403
    contact.refresh_from_db()
    assert contact.name == "Anna (fictief)"


def test_an_anonymised_contact_cannot_be_edited(admin_client_portal: Client, db: None) -> None:
    contact = ContactFactory(anonymised_at="2026-01-01T00:00:00Z")
    url = reverse("partners:contact_edit", args=[contact.pk])
    assert admin_client_portal.get(url).status_code == 404


def test_the_history_names_changed_themes(account_holder_client: Client, db: None) -> None:
    wonen, energie = ThemeFactory(name="Wonen"), ThemeFactory(name="Energie en klimaat")
    contact = ContactFactory(name="Anna (fictief)", themes=[wonen])
    account_holder_client.post(
        reverse("partners:contact_edit", args=[contact.pk]),
        {
            "organisation": contact.organisation_id,
            "name": "Anna (fictief)",
            "email": contact.email,
            "visibility": "shared",
            "themes": [wonen.pk, energie.pk],
        },
    )
    body = account_holder_client.get(contact.get_absolute_url(), headers=EN).content.decode()
    assert "Wonen → Energie en klimaat, Wonen" in body


def test_a_duplicate_email_at_the_organisation_is_a_form_error_not_a_500(
    account_holder_client: Client, db: None
) -> None:
    """Review of issue #3: the constraint's condition reads a field the form lacks."""
    existing = ContactFactory(email="anna@zeist.example")
    response = account_holder_client.post(
        CREATE,
        {
            "organisation": existing.organisation_id,
            "name": "Anna Tweede (fictief)",
            "email": "ANNA@zeist.example",
            "visibility": "shared",
        },
    )
    assert response.status_code == 200
    # A constraint on an expression (lower(email)) reports in the summary at the top.
    assert "contactpersoon met dit e-mailadres" in str(response.context["form"].errors)
    assert Contact.objects.count() == 1


def test_a_huge_theme_id_is_a_form_error_not_a_500(account_holder_client: Client, db: None) -> None:
    organisation = OrganisationFactory()
    response = account_holder_client.post(
        CREATE,
        {
            "organisation": organisation.pk,
            "name": "X",
            "phone": "0301234567",
            "visibility": "shared",
            "themes": ["999999999999999999999"],
        },
    )
    assert response.status_code == 200
    assert "themes" in response.context["form"].errors


def test_a_contact_of_an_ended_organisation_can_still_be_edited(
    account_holder_client: Client, db: None
) -> None:
    import datetime

    contact = ContactFactory(organisation=OrganisationFactory(ended_on=datetime.date(2019, 1, 1)))
    response = account_holder_client.post(
        reverse("partners:contact_edit", args=[contact.pk]),
        {
            "organisation": contact.organisation_id,
            "name": "Nieuw (fictief)",
            "email": contact.email,
            "visibility": "shared",
        },
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.name == "Nieuw (fictief)"


@pytest.mark.parametrize("edits", [2, 12])
def test_the_contact_page_keeps_a_constant_number_of_queries_as_history_grows(
    admin_client_portal: Client, db: None, edits: int, django_assert_max_num_queries
) -> None:
    """Review of issue #3: the theme diff queried every pair of history records."""
    wonen, energie = ThemeFactory(name="Wonen"), ThemeFactory(name="Energie en klimaat")
    contact = ContactFactory(themes=[wonen])
    for n in range(edits):
        contact.function = f"Functie {n}"
        contact.save()
        contact.themes.set([energie] if n % 2 else [wonen])
    with django_assert_max_num_queries(12):
        response = admin_client_portal.get(contact.get_absolute_url())
    assert len(response.context["history"]) >= edits
