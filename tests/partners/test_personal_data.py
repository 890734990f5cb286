"""One person's data under the AVG (issue #3, item 8): the overview page, the JSON
download of everything held, erasure with a scrubbed history, and the log."""

import json

from django.contrib.admin.models import CHANGE, LogEntry
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from partners.models import Contact, Interaction, PersonalDataLog
from partners.services import personal_data
from portal.lib.exports import services as exports
from portal.lib.models import ExportJob, User
from tests.factories import (
    ContactFactory,
    InteractionFactory,
    OrganisationFactory,
    ThemeFactory,
    UserFactory,
)

PERSONAL = ("Anna de Vries (fictief)", "anna@example.invalid", "030 000 0001", "Wethouder")


def page_url(contact: Contact) -> str:
    return reverse("partners:contact_personal_data", args=[contact.pk])


def download_url(contact: Contact) -> str:
    return reverse("partners:contact_subject_export", args=[contact.pk])


def erase_url(contact: Contact) -> str:
    return reverse("partners:contact_erase", args=[contact.pk])


@pytest.fixture
def anna(db: None, account_holder: User) -> Contact:
    """A contact with a history of three versions and two contact moments."""
    zeist = OrganisationFactory(name="Zeist", cbs_code="GM0355")
    contact = ContactFactory(
        organisation=zeist,
        name="Anna de Vries (fictief)",
        function="Beleidsadviseur",
        email="anna@example.invalid",
        phone="030 000 0001",
        topics="woningbouw",
        themes=[ThemeFactory(name="Wonen", slug="wonen")],
    )
    contact.function = "Wethouder"
    contact._history_user = account_holder
    contact.save()
    for day, summary in [(1, "Kennismaking"), (15, "Overleg woningbouw")]:
        moment = InteractionFactory(
            organisation=zeist,
            recorded_by=account_holder,
            occurred_on=f"2026-03-{day:02d}",
            summary=summary,
        )
        moment.contacts.add(contact)
    return contact


def all_history_values(contact: Contact) -> str:
    return json.dumps(list(contact.history.values()), default=str)


# --- The overview page -----------------------------------------------------------------------


def test_the_page_shows_what_is_held_and_both_actions(
    admin_client_portal: Client, anna: Contact
) -> None:
    response = admin_client_portal.get(page_url(anna))
    body = response.content.decode()
    assert response.status_code == 200
    for value in PERSONAL:
        assert value in body
    assert response.context["history_count"] == anna.history.count() == 3
    assert response.context["moment_count"] == 2
    assert f'action="{download_url(anna)}"' in body
    assert f'action="{erase_url(anna)}"' in body
    assert 'type="checkbox"' in body and "novalidate" in body


def test_the_page_of_an_anonymised_contact_offers_no_erasure(
    admin_client_portal: Client, administrator: User, anna: Contact
) -> None:
    personal_data.erase_contact(anna, erased_by=administrator)
    body = admin_client_portal.get(page_url(anna)).content.decode()
    assert f'action="{erase_url(anna)}"' not in body
    assert f'action="{download_url(anna)}"' in body
    assert "anna@example.invalid" not in body


# --- The download of everything held ------------------------------------------------------------


def test_the_json_download_holds_everything_on_the_person(
    admin_client_portal: Client, administrator: User, account_holder: User, anna: Contact
) -> None:
    response = admin_client_portal.post(download_url(anna))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == (
        f'attachment; filename="persoonsgegevens-contact-{anna.pk}.json"'
    )
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["contact"] | {"created_at": None, "updated_at": None} == {
        "id": anna.pk,
        "organisation": {"id": anna.organisation_id, "name": "Zeist"},
        "name": "Anna de Vries (fictief)",
        "function": "Wethouder",
        "email": "anna@example.invalid",
        "phone": "030 000 0001",
        "topics": "woningbouw",
        "visibility": "shared",
        "is_general": False,
        "themes": ["Wonen"],
        "anonymised_at": None,
        "created_at": None,
        "updated_at": None,
    }
    history = data["history"]
    assert [record["function"] for record in history] == [
        "Beleidsadviseur",
        "Beleidsadviseur",
        "Wethouder",
    ]
    assert [record["themes"] for record in history] == [[], ["Wonen"], ["Wonen"]]
    assert history[-1]["changed_by"] == str(account_holder)
    assert all(record["email"] == "anna@example.invalid" for record in history)
    assert [
        (moment["organisation"], moment["date"], moment["summary"])
        for moment in data["contact_moments"]
    ] == [("Zeist", "2026-03-01", "Kennismaking"), ("Zeist", "2026-03-15", "Overleg woningbouw")]
    assert data["exported_at"]


def test_the_json_download_is_logged_without_the_name(
    admin_client_portal: Client, administrator: User, anna: Contact
) -> None:
    admin_client_portal.post(download_url(anna))
    [entry] = PersonalDataLog.objects.all()
    assert (entry.user, entry.action) == (administrator, "subject_export")
    assert entry.row_count == 1 + 3 + 2  # the contact, its versions, its contact moments
    assert f"#{anna.pk}" in entry.description
    assert "Anna" not in entry.description, "the log must survive an erasure as it is"


def test_the_download_is_a_post_only(admin_client_portal: Client, anna: Contact) -> None:
    assert admin_client_portal.get(download_url(anna)).status_code == 405
    assert not PersonalDataLog.objects.exists()


# --- Erasure --------------------------------------------------------------------------------


def test_erasing_needs_the_confirmation(admin_client_portal: Client, anna: Contact) -> None:
    response = admin_client_portal.post(erase_url(anna), {}, headers={"Accept-Language": "en"})
    assert response.status_code == 200
    assert response.context["erase_form"].errors["confirm"]
    assert "There is a problem" in response.content.decode()
    anna.refresh_from_db()
    assert not anna.is_anonymised
    assert anna.email == "anna@example.invalid"
    assert not PersonalDataLog.objects.exists()


def test_erasing_scrubs_the_contact_and_its_history(
    admin_client_portal: Client, administrator: User, account_holder: User, anna: Contact
) -> None:
    authors = list(anna.history.order_by("history_id").values_list("history_user", flat=True))
    dates = list(anna.history.order_by("history_id").values_list("history_date", flat=True))
    response = admin_client_portal.post(erase_url(anna), {"confirm": "on"})
    assert response.status_code == 302
    assert response["Location"] == page_url(anna)

    anna.refresh_from_db()
    assert anna.name != "Anna de Vries (fictief)"  # the placeholder: see the next test
    assert (anna.function, anna.email, anna.phone, anna.topics) == ("", "", "", "")
    assert anna.anonymised_at is not None
    # The history keeps every version, with its date and author, plus the erasure.
    records = anna.history.order_by("history_id")
    assert list(records.values_list("history_user", flat=True)) == [*authors, administrator.pk]
    assert list(records.values_list("history_date", flat=True))[:3] == dates
    assert set(records.values_list("name", "function", "email", "phone", "topics")) == {
        (anna.name, "", "", "", "")
    }
    everything = all_history_values(anna)
    for value in PERSONAL:
        assert value not in everything
    # Contact moments keep their link to the (now anonymised) contact.
    assert set(Interaction.objects.filter(contacts=anna).values_list("summary", flat=True)) == {
        "Kennismaking",
        "Overleg woningbouw",
    }
    [entry] = PersonalDataLog.objects.all()
    assert (entry.user, entry.action, entry.row_count) == (administrator, "erasure", 1)
    assert "Anna" not in entry.description


def test_erasing_also_scrubs_the_name_in_the_admin_log(administrator: User, anna: Contact) -> None:
    """The emergency admin logs each change with the object's name (object_repr)."""
    LogEntry.objects.log_actions(
        user_id=administrator.pk, queryset=[anna], action_flag=CHANGE, change_message="[]"
    )
    personal_data.erase_contact(anna, erased_by=administrator)
    anna.refresh_from_db()
    assert list(LogEntry.objects.values_list("object_repr", flat=True)) == [anna.name]


def test_the_placeholder_name_is_the_translated_one(
    administrator: User, anna: Contact, settings
) -> None:
    from django.utils import translation

    personal_data.erase_contact(anna, erased_by=administrator)
    anna.refresh_from_db()
    with translation.override(settings.LANGUAGE_CODE):
        assert anna.name == str(personal_data.ANONYMISED_NAME)


def test_erasing_twice_is_harmless(
    admin_client_portal: Client, administrator: User, anna: Contact
) -> None:
    admin_client_portal.post(erase_url(anna), {"confirm": "on"})
    anna.refresh_from_db()
    state = (anna.name, anna.anonymised_at, anna.history.count())
    response = admin_client_portal.post(erase_url(anna), {"confirm": "on"})
    assert response.status_code == 302
    anna.refresh_from_db()
    assert (anna.name, anna.anonymised_at, anna.history.count()) == state
    assert PersonalDataLog.objects.count() == 1
    assert personal_data.erase_contact(anna, erased_by=administrator) is False


def test_an_erased_contact_is_left_out_of_exports(
    staff_user: User, administrator: User, anna: Contact
) -> None:
    personal_data.erase_contact(anna, erased_by=administrator)
    job = ExportJob.objects.create(requested_by=staff_user, dataset="contacts", format="csv")
    exports.run_export(job)
    job.refresh_from_db()
    assert job.total == 0
    assert bytes(job.content).decode("utf-8-sig").count("\n") == 1  # the header only


def test_the_json_download_after_erasure_holds_no_personal_data(
    admin_client_portal: Client, administrator: User, anna: Contact
) -> None:
    personal_data.erase_contact(anna, erased_by=administrator)
    body = admin_client_portal.post(download_url(anna)).content.decode()
    for value in PERSONAL:
        assert value not in body


@pytest.mark.parametrize(
    "persona", ["staff_client", "account_holder_client", "partner_client", "outsider_client"]
)
def test_only_administrators_see_download_or_erase(
    persona: str, request: pytest.FixtureRequest, anna: Contact
) -> None:
    client = request.getfixturevalue(persona)
    assert client.get(page_url(anna)).status_code == 403
    assert client.post(download_url(anna)).status_code == 403
    assert client.post(erase_url(anna), {"confirm": "on"}).status_code == 403
    anna.refresh_from_db()
    assert not anna.is_anonymised
    assert not PersonalDataLog.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client: Client, anna: Contact) -> None:
    for response in (
        client.get(page_url(anna)),
        client.post(download_url(anna)),
        client.post(erase_url(anna), {"confirm": "on"}),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    anna.refresh_from_db()
    assert not anna.is_anonymised


def test_an_unknown_contact_is_a_404(admin_client_portal: Client, db: None) -> None:
    missing = Contact(pk=999_999)
    assert admin_client_portal.get(page_url(missing)).status_code == 404
    assert admin_client_portal.post(download_url(missing)).status_code == 404
    assert admin_client_portal.post(erase_url(missing), {"confirm": "on"}).status_code == 404


# --- The personal data log ----------------------------------------------------------------------

LOG = reverse("partners:personal_data_log")


def test_the_log_lists_who_did_what_newest_first(
    admin_client_portal: Client, administrator: User, anna: Contact
) -> None:
    admin_client_portal.post(download_url(anna))
    personal_data.erase_contact(anna, erased_by=administrator)
    response = admin_client_portal.get(LOG)
    assert response.status_code == 200
    entries = list(response.context["page"].object_list)
    assert [entry.action for entry in entries] == ["erasure", "subject_export"]
    assert str(administrator) in response.content.decode()


@pytest.mark.parametrize("count", [10, 300])
def test_the_log_runs_a_constant_number_of_queries(
    admin_client_portal: Client, db: None, count: int, django_assert_max_num_queries
) -> None:
    users = UserFactory.create_batch(5)
    PersonalDataLog.objects.bulk_create(
        PersonalDataLog(user=users[n % 5], action="export", description=f"Export {n}", row_count=n)
        for n in range(count)
    )
    # Session, user, two for permissions, roles for the menu, count, one page of entries.
    with django_assert_max_num_queries(7):
        response = admin_client_portal.get(LOG, {"page": 2 if count > 25 else 1})
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == min(count, 25)


def test_the_log_query_count_does_not_grow(admin_client_portal: Client, db: None) -> None:
    users = UserFactory.create_batch(3)

    def queries_for(count: int) -> int:
        PersonalDataLog.objects.all().delete()
        PersonalDataLog.objects.bulk_create(
            PersonalDataLog(user=users[n % 3], action="import", description="x")
            for n in range(count)
        )
        with CaptureQueriesContext(connection) as queries:
            admin_client_portal.get(LOG)
        return len(queries)

    assert queries_for(10) == queries_for(300)


@pytest.mark.parametrize(
    "persona", ["staff_client", "account_holder_client", "partner_client", "outsider_client"]
)
def test_only_administrators_read_the_log(
    persona: str, request: pytest.FixtureRequest, db: None
) -> None:
    assert request.getfixturevalue(persona).get(LOG).status_code == 403


def test_erasure_removes_earlier_contact_exports_and_the_log_holds_no_search_terms(
    admin_client_portal, administrator, db: None
) -> None:
    """Review of issue #3: a name typed as search term stayed in the log and files."""
    contact = ContactFactory(name="Jeroen Bakker (fictief)")
    job = ExportJob.objects.create(
        requested_by=administrator,
        dataset="contacts",
        format="csv",
        filters={"q": "Jeroen Bakker"},
    )
    exports.run_export(job)
    assert "Jeroen" not in PersonalDataLog.objects.get(action="export").description
    personal_data.erase_contact(contact, erased_by=administrator)
    assert not ExportJob.objects.filter(dataset="contacts").exists()
