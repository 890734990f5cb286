"""The contact-moment log: list, record, detail, edit and "done" (issue #3, item 5).

Province staff only. Assertions are on data, statuses and headers; page text is
checked in English (Accept-Language: en) since the Dutch copy comes later.
"""

import datetime
import json
import re

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest

from partners.models import Contact, FollowUp, Interaction, Organisation
from partners.services.interactions import (
    FollowUpInput,
    complete_follow_up,
    record_interaction,
    update_interaction,
)
from portal.lib.models import User
from portal.lib.roles import Role
from tests.conftest import ROLES
from tests.factories import (
    ContactFactory,
    FollowUpFactory,
    InteractionFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.urlwalk import Redirect, all_routes, example_url_values, outcome

LIST = reverse("partners:interaction_list")
CREATE = reverse("partners:interaction_create")
EN = {"Accept-Language": "en"}
HTMX = {"HX-Request": "true"}


def detail_url(interaction: Interaction) -> str:
    return reverse("partners:interaction_detail", args=[interaction.pk])


def edit_url(interaction: Interaction) -> str:
    return reverse("partners:interaction_edit", args=[interaction.pk])


def done_url(follow_up: FollowUp) -> str:
    return reverse("partners:follow_up_done", args=[follow_up.pk])


def today() -> datetime.date:
    return timezone.localdate()


def form_data(
    organisation: Organisation,
    *,
    default_owner: User,
    contacts: list[Contact] = (),  # type: ignore[assignment]
    follow_ups: list[dict] = (),  # type: ignore[assignment]
    existing: list[FollowUp] = (),  # type: ignore[assignment]
    **fields: object,
) -> dict:
    """What the browser posts: the moment, then one row per existing follow-up and three
    extra rows; rows not given in `follow_ups` are sent as the browser leaves them."""
    data = {
        "organisation": organisation.pk,
        "occurred_on": today().isoformat(),
        "contacts": [contact.pk for contact in contacts],
        "summary": "Overleg over de woningbouwopgave.",
        "agreements": "Provincie stuurt de planning.",
        **fields,
        "follow_ups-TOTAL_FORMS": str(len(existing) + 3),
        "follow_ups-INITIAL_FORMS": str(len(existing)),
        "follow_ups-MIN_NUM_FORMS": "0",
        "follow_ups-MAX_NUM_FORMS": "100",
    }
    for index in range(len(existing) + 3):
        row = {"description": "", "owner": default_owner.pk, "due_on": ""}
        if index < len(existing):
            stored = existing[index]
            row = {
                "id": stored.pk,
                "description": stored.description,
                "owner": stored.owner_id,
                "due_on": stored.due_on.isoformat(),
            }
        if index < len(follow_ups):
            row.update(follow_ups[index])
        data.update({f"follow_ups-{index}-{key}": value for key, value in row.items()})
    return data


@pytest.fixture
def woerden(organisation: Organisation) -> Organisation:
    """The conftest organisation, with two current contacts and one anonymised."""
    ContactFactory(organisation=organisation, name="Anna (fictief)")
    ContactFactory(organisation=organisation, name="Bert (fictief)")
    ContactFactory(organisation=organisation, name="Weg (fictief)", anonymised_at=timezone.now())
    return organisation


def contact(name: str) -> Contact:
    return Contact.objects.get(name=name)


# --- Who may do what ------------------------------------------------------------------

LOGIN, DETAIL = Redirect("login"), Redirect("partners:interaction_detail")
# The rows reported for tests/portal/test_permission_matrix.py. POST carries the
# matrix's invalid data ({"name": ""}): 200 is the form with its errors.
# fmt: off
EXPECTED = {
    "interaction_list": {
        "GET":  (LOGIN, 403, 403, 200, 200, 200),
        "POST": (405,   405, 405, 405, 405, 405),
    },
    "interaction_create": {
        "GET":  (LOGIN, 403, 403, 403, 200, 200),
        "POST": (LOGIN, 403, 403, 403, 200, 200),
    },
    "interaction_detail": {
        "GET":  (LOGIN, 403, 403, 200, 200, 200),
        "POST": (405,   405, 405, 405, 405, 405),
    },
    "interaction_edit": {
        "GET":  (LOGIN, 403, 403, 403, 200, 200),
        "POST": (LOGIN, 403, 403, 403, 200, 200),
    },
    "follow_up_done": {
        "GET":  (405,   405, 405, 405, 405, 405),
        "POST": (LOGIN, 403, 403, 403, DETAIL, DETAIL),
    },
}
# fmt: on


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_role_gets_the_expected_response(
    name: str, method: str, clients: dict[str, Client], organisation: Organisation
) -> None:
    follow_up = FollowUpFactory(interaction=InteractionFactory(organisation=organisation))
    pk = follow_up.pk if name == "follow_up_done" else follow_up.interaction_id
    url = reverse(f"partners:{name}", args=[] if name.endswith(("list", "create")) else [pk])
    actual = {}
    for role, client in clients.items():
        response = client.get(url) if method == "GET" else client.post(url, {"name": ""})
        actual[role] = outcome(response)
    assert actual == dict(zip(ROLES, EXPECTED[name][method], strict=True))


def test_anonymous_users_are_sent_to_login_and_back(client: Client, db: None) -> None:
    interaction = InteractionFactory()
    response = client.get(edit_url(interaction))
    assert response["Location"] == f"{reverse('login')}?next={edit_url(interaction)}"


def test_no_page_a_partner_can_open_links_to_the_log_or_shows_it(
    partner_user: User, organisation: Organisation
) -> None:
    """Partners must never see the interaction log, not even a link to it."""
    follow_up = FollowUpFactory(
        interaction=InteractionFactory(organisation=organisation, summary="GEHEIM-OVERLEG"),
        description="GEHEIME-ACTIE",
    )
    partner = Client(raise_request_exception=False)
    partner.force_login(partner_user)
    forbidden = (LIST, done_url(follow_up).removesuffix(f"{follow_up.pk}/afgerond/"))
    values = example_url_values(organisation)
    opened = []
    for route in all_routes():
        if route.is_admin:
            continue
        response = partner.get(route.url(values))
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        opened.append(route.key)
        body = response.content.decode()
        links = re.findall(r"""(?:href|action|hx-get|hx-post)\s*=\s*["']([^"']+)""", body)
        assert not [link for link in links if link.startswith(forbidden)], route.key
        assert "GEHEIM-OVERLEG" not in body and "GEHEIME-ACTIE" not in body, route.key
    assert {"home", "partners:organisation_list", "partners:organisation_detail"} <= set(opened)


# --- The list -----------------------------------------------------------------------


def summaries(response) -> list[str]:
    return [interaction.summary for interaction in response.context["page"].object_list]


@pytest.fixture
def log(account_holder: User) -> dict[str, Interaction]:
    zeist = OrganisationFactory(name="Zeist")
    baarn = OrganisationFactory(name="Baarn")
    moments = {
        "old": InteractionFactory(
            organisation=zeist,
            recorded_by=account_holder,
            occurred_on=datetime.date(2025, 3, 1),
            summary="Oud overleg",
            agreements="Niets",
        ),
        "new": InteractionFactory(
            organisation=baarn, occurred_on=datetime.date(2026, 9, 1), summary="Nieuw overleg"
        ),
        "middle": InteractionFactory(
            organisation=zeist, occurred_on=datetime.date(2026, 1, 1), summary="Fietspad"
        ),
    }
    FollowUpFactory(interaction=moments["middle"])
    FollowUpFactory(interaction=moments["new"], done_on=datetime.date(2026, 9, 2))
    return moments


def test_it_lists_contact_moments_newest_first(staff_client: Client, log: dict) -> None:
    response = staff_client.get(LIST)
    assert response.status_code == 200
    assert summaries(response) == ["Nieuw overleg", "Fietspad", "Oud overleg"]
    assert b"<html" in response.content
    assert [i.open_follow_ups for i in response.context["page"].object_list] == [0, 1, 0]


def test_it_filters_by_organisation_and_text(staff_client: Client, log: dict) -> None:
    zeist = log["old"].organisation
    assert summaries(staff_client.get(LIST, {"organisation": zeist.pk})) == [
        "Fietspad",
        "Oud overleg",
    ]
    assert summaries(staff_client.get(LIST, {"q": "fiets"})) == ["Fietspad"]
    assert summaries(staff_client.get(LIST, {"q": "niets"})) == ["Oud overleg"]


def test_it_filters_on_what_i_recorded(account_holder_client: Client, log: dict) -> None:
    assert summaries(account_holder_client.get(LIST, {"mine": "on"})) == ["Oud overleg"]


def test_it_filters_on_open_follow_ups(staff_client: Client, log: dict) -> None:
    # "new" has only a done follow-up, so only "middle" is left.
    assert summaries(staff_client.get(LIST, {"open_follow_ups": "on"})) == ["Fietspad"]


def test_it_sorts_by_date_and_by_organisation(staff_client: Client, log: dict) -> None:
    oldest_first = staff_client.get(LIST, {"sort": "occurred_on"})
    assert summaries(oldest_first) == ["Oud overleg", "Fietspad", "Nieuw overleg"]
    assert 'aria-sort="ascending"' in oldest_first.content.decode()
    # Baarn, then Zeist newest first (the tiebreak).
    by_name = staff_client.get(LIST, {"sort": "organisation"})
    assert summaries(by_name) == ["Nieuw overleg", "Fietspad", "Oud overleg"]


def test_it_answers_htmx_with_the_results_fragment(staff_client: Client, log: dict) -> None:
    response = staff_client.get(LIST, {"q": "fiets"}, headers=HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert body.lstrip().startswith('<div id="results"')
    assert "Fietspad" in body and "Oud overleg" not in body
    assert "HX-Request" in response["Vary"]


def test_the_filter_form_works_without_javascript(staff_client: Client, log: dict) -> None:
    body = staff_client.get(LIST, headers=EN).content.decode()
    form = re.search(r'<form id="interaction-filter"[^>]*>', body)[0]
    assert f'action="{LIST}"' in form and 'method="get"' in form and "hx-get" in form
    assert 'type="submit"' in body


def test_an_invalid_filter_value_is_a_400(staff_client: Client, log: dict) -> None:
    assert staff_client.get(LIST, {"organisation": "abc"}).status_code == 400


def test_it_paginates(staff_client: Client, db: None, settings) -> None:
    settings.PAGE_SIZE = 5
    InteractionFactory.create_batch(7)
    assert len(staff_client.get(LIST).context["page"].object_list) == 5
    assert len(staff_client.get(LIST, {"page": 2}).context["page"].object_list) == 2


def add_moments(count: int, organisations: list[Organisation], users: list[User]) -> None:
    for n in range(count):
        organisation = organisations[n % len(organisations)]
        interaction = InteractionFactory(organisation=organisation, recorded_by=users[n % 2])
        interaction.contacts.set(organisation.contacts.all())
        FollowUpFactory(interaction=interaction)
        FollowUpFactory(interaction=interaction, done_on=datetime.date(2026, 10, 2))


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_list_takes_the_same_queries_for_10_or_300_moments(
    staff_client: Client, db: None, settings
) -> None:
    settings.PAGE_SIZE = 500  # every row on one page: rendering them must not query
    organisations = OrganisationFactory.create_batch(5)
    for organisation in organisations:
        ContactFactory.create_batch(2, organisation=organisation)
    users = UserFactory.create_batch(2, role=Role.ACCOUNT_HOLDER)
    add_moments(10, organisations, users)
    few = count_queries(staff_client, LIST)
    add_moments(290, organisations, users)
    many = count_queries(staff_client, LIST)
    # session, user, role groups, user and group permissions, organisation choices,
    # count, page, contacts: 9.
    assert few == many <= 9


# --- Recording ------------------------------------------------------------------------


def test_recording_starts_by_choosing_the_organisation(
    account_holder_client: Client, woerden: Organisation
) -> None:
    response = account_holder_client.get(CREATE, headers=EN)
    assert response.status_code == 200
    assert response.context["form"].chosen_organisation is None
    body = response.content.decode()
    assert '<form method="get"' in body and 'name="organisation"' in body
    assert "Anna (fictief)" not in body


def test_the_organisation_in_the_query_preselects_it_and_offers_its_current_contacts(
    account_holder_client: Client, woerden: Organisation
) -> None:
    ContactFactory(name="Elders (fictief)")
    response = account_holder_client.get(CREATE, {"organisation": woerden.pk})
    form = response.context["form"]
    assert form.chosen_organisation == woerden
    assert set(form.fields["contacts"].queryset) == {
        contact("Anna (fictief)"),
        contact("Bert (fictief)"),
    }
    body = response.content.decode()
    assert "Anna (fictief)" in body
    assert "Weg (fictief)" not in body and "Elders (fictief)" not in body
    assert len(response.context["follow_ups"].forms) == 3


def test_an_unknown_organisation_in_the_query_asks_again(
    account_holder_client: Client, db: None
) -> None:
    response = account_holder_client.get(CREATE, {"organisation": "999999"})
    assert response.status_code == 200
    assert "organisation" in response.context["chooser"].errors


def test_recording_saves_the_moment_and_its_follow_ups(
    account_holder_client: Client, account_holder: User, woerden: Organisation
) -> None:
    colleague = UserFactory(role=Role.STAFF)
    due = today() + datetime.timedelta(days=14)
    data = form_data(
        woerden,
        default_owner=account_holder,
        contacts=[contact("Anna (fictief)")],
        follow_ups=[
            {"description": "Planning sturen", "owner": colleague.pk, "due_on": due.isoformat()}
        ],
    )
    response = account_holder_client.post(f"{CREATE}?organisation={woerden.pk}", data)
    interaction = Interaction.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(interaction)
    assert interaction.organisation == woerden
    assert interaction.recorded_by == account_holder
    assert interaction.occurred_on == today()
    assert list(interaction.contacts.all()) == [contact("Anna (fictief)")]
    # The two untouched extra rows are ignored.
    assert list(interaction.follow_ups.values_list("description", "owner", "due_on")) == [
        ("Planning sturen", colleague.pk, due)
    ]
    assert interaction.history.first().history_user == account_holder


def test_a_moment_without_follow_ups_or_contacts_is_fine(
    account_holder_client: Client, account_holder: User, woerden: Organisation
) -> None:
    response = account_holder_client.post(CREATE, form_data(woerden, default_owner=account_holder))
    assert response.status_code == 302
    assert Interaction.objects.count() == 1
    assert not FollowUp.objects.exists()


def later(days: int) -> str:
    return (today() + datetime.timedelta(days=days)).isoformat()


INVALID = {
    "a date in the future": ({"occurred_on": later(1)}, [], ("form", "occurred_on")),
    "no summary": ({"summary": "  "}, [], ("form", "summary")),
    "a contact of another organisation": ({"contacts": "elsewhere"}, [], ("form", "contacts")),
    "an anonymised contact": ({"contacts": "anonymised"}, [], ("form", "contacts")),
    "a description without a due date": ({}, [{"description": "Bellen"}], ("row", "due_on")),
    "a due date without a description": ({}, [{"due_on": later(7)}], ("row", "description")),
    "an owner outside the province": (
        {},
        [{"description": "Bellen", "due_on": later(7), "owner": "partner"}],
        ("row", "owner"),
    ),
}


@pytest.mark.parametrize("case", sorted(INVALID))
def test_invalid_input_shows_the_form_again_and_saves_nothing(
    case: str,
    account_holder_client: Client,
    account_holder: User,
    partner_user: User,
    woerden: Organisation,
) -> None:
    fields, rows, (where, field) = INVALID[case]
    fields = dict(fields)
    if fields.get("contacts") == "elsewhere":
        fields["contacts"] = [ContactFactory(name="Elders (fictief)")]
    elif fields.get("contacts") == "anonymised":
        fields["contacts"] = [contact("Weg (fictief)")]
    rows = [{**row, "owner": partner_user.pk} if row.get("owner") else row for row in rows]
    data = form_data(woerden, default_owner=account_holder, follow_ups=rows, **fields)
    response = account_holder_client.post(CREATE, data, headers=EN)
    assert response.status_code == 200
    if where == "form":
        assert field in response.context["form"].errors
    else:
        assert field in response.context["follow_ups"].forms[0].errors
    assert not Interaction.objects.exists()
    assert not FollowUp.objects.exists()
    body = response.content.decode()
    assert "There is a problem" in body and "data-error-summary" in body


def test_the_error_summary_links_to_the_follow_up_field(
    account_holder_client: Client, account_holder: User, woerden: Organisation
) -> None:
    data = form_data(
        woerden, default_owner=account_holder, follow_ups=[{}, {"description": "Bellen"}]
    )
    body = account_holder_client.post(CREATE, data, headers=EN).content.decode()
    assert 'href="#id_follow_ups-1-due_on"' in body
    assert "Enter a due date for this follow-up." in body


def test_the_future_is_refused_with_a_clear_message(
    account_holder_client: Client, account_holder: User, woerden: Organisation
) -> None:
    data = form_data(woerden, default_owner=account_holder, occurred_on=later(1))
    response = account_holder_client.post(CREATE, data, headers=EN)
    assert response.context["form"].errors.as_data()["occurred_on"][0].code == "future"


def test_a_post_without_an_organisation_asks_for_one(
    account_holder_client: Client, db: None
) -> None:
    response = account_holder_client.post(CREATE, {"summary": "Iets"})
    assert response.status_code == 200
    assert "organisation" in response.context["chooser"].errors
    assert not Interaction.objects.exists()


def test_the_forms_do_not_save_on_get(
    account_holder_client: Client, account_holder: User, woerden: Organisation
) -> None:
    response = account_holder_client.get(CREATE, form_data(woerden, default_owner=account_holder))
    assert response.status_code == 200
    assert not response.context["form"].is_bound
    assert not Interaction.objects.exists()


# --- Editing ------------------------------------------------------------------------


@pytest.fixture
def recorded(account_holder: User, woerden: Organisation) -> Interaction:
    return record_interaction(
        organisation=woerden,
        recorded_by=account_holder,
        occurred_on=datetime.date(2026, 10, 1),
        contacts=[contact("Anna (fictief)")],
        summary="Eerste versie",
        agreements="",
        follow_ups=[
            FollowUpInput(
                description="Planning sturen",
                owner=account_holder,
                due_on=datetime.date(2026, 12, 1),
            )
        ],
    )


def test_the_edit_form_shows_the_stored_values_and_three_empty_rows(
    account_holder_client: Client, recorded: Interaction
) -> None:
    response = account_holder_client.get(edit_url(recorded))
    assert response.status_code == 200
    assert response.context["form"].instance == recorded
    assert len(response.context["follow_ups"].forms) == 1 + 3
    assert "Eerste versie" in response.content.decode()


def test_editing_changes_the_moment_and_its_follow_ups(
    admin_client_portal: Client, administrator: User, recorded: Interaction
) -> None:
    existing = list(recorded.follow_ups.all())
    data = form_data(
        recorded.organisation,
        default_owner=administrator,
        existing=existing,
        contacts=[contact("Bert (fictief)")],
        summary="Tweede versie",
        occurred_on="2026-10-02",
        follow_ups=[
            {"description": "Planning en kaart sturen"},
            {"description": "Terugbellen", "due_on": "2026-11-30"},
        ],
    )
    before = recorded.history.count()
    response = admin_client_portal.post(edit_url(recorded), data)
    assert response.status_code == 302
    assert response["Location"] == detail_url(recorded)
    recorded.refresh_from_db()
    assert recorded.summary == "Tweede versie"
    assert recorded.occurred_on == datetime.date(2026, 10, 2)
    assert list(recorded.contacts.all()) == [contact("Bert (fictief)")]
    assert list(recorded.follow_ups.order_by("pk").values_list("pk", "description", "owner")) == [
        (existing[0].pk, "Planning en kaart sturen", existing[0].owner_id),
        (existing[0].pk + 1, "Terugbellen", administrator.pk),
    ]
    assert recorded.history.count() == before + 1
    assert recorded.history.first().history_user == administrator


def test_the_organisation_is_not_changed_by_editing(
    account_holder_client: Client, account_holder: User, recorded: Interaction
) -> None:
    other = OrganisationFactory(name="Elders")
    data = form_data(other, default_owner=account_holder, existing=list(recorded.follow_ups.all()))
    account_holder_client.post(edit_url(recorded), data)
    recorded.refresh_from_db()
    assert recorded.organisation.name == "Woerden"


def test_an_invalid_edit_saves_nothing(
    account_holder_client: Client, account_holder: User, recorded: Interaction
) -> None:
    data = form_data(
        recorded.organisation,
        default_owner=account_holder,
        existing=list(recorded.follow_ups.all()),
        summary="Tweede versie",
        follow_ups=[{}, {"description": "Zonder datum"}],
    )
    response = account_holder_client.post(edit_url(recorded), data)
    assert response.status_code == 200
    recorded.refresh_from_db()
    assert recorded.summary == "Eerste versie"
    assert recorded.follow_ups.count() == 1


def test_editing_a_missing_moment_is_a_404(account_holder_client: Client, db: None) -> None:
    assert (
        account_holder_client.get(reverse("partners:interaction_edit", args=[999])).status_code
        == 404
    )


# --- Detail and audit trail -------------------------------------------------------------


def test_the_detail_shows_the_follow_ups_and_who_changed_what(
    account_holder_client: Client, account_holder: User, recorded: Interaction
) -> None:
    editor = UserFactory(role=Role.BEHEERDER, first_name="Bea", last_name="Heerder")
    update_interaction(
        recorded,
        by=editor,
        occurred_on=recorded.occurred_on,
        contacts=[contact("Anna (fictief)"), contact("Bert (fictief)")],
        summary="Tweede versie",
        agreements="",
    )
    complete_follow_up(recorded.follow_ups.get(), by=editor, on=datetime.date(2026, 11, 2))
    response = account_holder_client.get(detail_url(recorded), headers=EN)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Planning sturen" in body and "Done on 2 November 2026" in body
    history = response.context["history"]
    actions = [entry.action for entry in history]
    assert actions[0] == "Marked the follow-up “Planning sturen” as done"
    assert actions[1] == "Changed the contact moment"
    # Recording: the row, then who took part (simple-history's m2m record), then the follow-up.
    assert set(actions[2:]) == {
        "Recorded the contact moment",
        "Changed the contact moment",
        "Added the follow-up “Planning sturen”",
    }
    edit = history[1]
    assert edit.who == "Bea Heerder"
    assert ("Summary", "Eerste versie", "Tweede versie") in edit.changes
    assert ("Who took part", "Anna (fictief)", "Anna (fictief), Bert (fictief)") in edit.changes
    assert history[0].changes == [("Done on", "–", "2 November 2026")]
    assert "History of changes" in body


def test_staff_may_read_a_moment_but_get_no_edit_or_done_buttons(
    staff_client: Client, recorded: Interaction
) -> None:
    body = staff_client.get(detail_url(recorded)).content.decode()
    assert "Eerste versie" in body
    assert edit_url(recorded) not in body
    assert done_url(recorded.follow_ups.get()) not in body


def test_a_missing_moment_is_a_404(staff_client: Client, db: None) -> None:
    assert staff_client.get(reverse("partners:interaction_detail", args=[999])).status_code == 404


def test_the_detail_takes_the_same_queries_however_long_its_history(
    account_holder_client: Client, account_holder: User, recorded: Interaction
) -> None:
    organisations = OrganisationFactory.create_batch(3)
    for organisation in organisations:
        ContactFactory.create_batch(2, organisation=organisation)
    add_moments(10, organisations, [account_holder, account_holder])
    short = count_queries(account_holder_client, detail_url(recorded))
    add_moments(290, organisations, [account_holder, account_holder])
    anna, bert = contact("Anna (fictief)"), contact("Bert (fictief)")
    for n in range(10):
        update_interaction(
            recorded,
            by=account_holder,
            occurred_on=recorded.occurred_on,
            contacts=[anna, bert] if n % 2 else [anna],
            summary=f"Versie {n}",
            agreements="",
            follow_ups=[
                FollowUpInput(description=f"Actie {n}", owner=account_holder, due_on=today())
            ],
        )
    for follow_up in recorded.follow_ups.all()[:5]:
        complete_follow_up(follow_up, by=account_holder, on=today())
    long = count_queries(account_holder_client, detail_url(recorded))
    # session, user, role groups, user and group permissions, the moment, contacts,
    # follow-ups, history, contacts per history record, follow-up history: 11.
    assert short == long <= 11


# --- Marking a follow-up done -------------------------------------------------------------


@pytest.fixture
def open_follow_up(account_holder: User) -> FollowUp:
    return FollowUpFactory(
        interaction=InteractionFactory(recorded_by=account_holder), description="Planning sturen"
    )


def test_marking_done_with_htmx_returns_the_row_and_an_event(
    account_holder_client: Client, open_follow_up: FollowUp
) -> None:
    response = account_holder_client.post(done_url(open_follow_up), headers={**HTMX, **EN})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert re.match(rf'<li [^>]*id="follow-up-{open_follow_up.pk}"', body.lstrip())
    assert "Done on" in body and done_url(open_follow_up) not in body
    assert json.loads(response["HX-Trigger"]) == {"followUpDone": {"id": open_follow_up.pk}}
    assert "HX-Request" in response["Vary"]
    assert FollowUp.objects.get().done_on == today()


def test_marking_done_without_javascript_redirects_back(
    account_holder_client: Client, open_follow_up: FollowUp
) -> None:
    response = account_holder_client.post(done_url(open_follow_up), {"next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert FollowUp.objects.get().done_on == today()
    assert "HX-Trigger" not in response


@pytest.mark.parametrize("back", ["", "https://elders.example/", "//elders.example/"])
def test_without_a_safe_place_to_return_to_it_goes_to_the_moment(
    account_holder_client: Client, open_follow_up: FollowUp, back: str
) -> None:
    response = account_holder_client.post(done_url(open_follow_up), {"next": back})
    assert response["Location"] == detail_url(open_follow_up.interaction)


def test_marking_done_twice_keeps_the_first_date(
    account_holder_client: Client, open_follow_up: FollowUp
) -> None:
    open_follow_up.done_on = datetime.date(2026, 1, 5)
    open_follow_up.save()
    account_holder_client.post(done_url(open_follow_up), headers=HTMX)
    assert FollowUp.objects.get().done_on == datetime.date(2026, 1, 5)


def test_marking_a_missing_follow_up_done_is_a_404(account_holder_client: Client, db: None) -> None:
    response = account_holder_client.post(reverse("partners:follow_up_done", args=[999]))
    assert response.status_code == 404


# --- The home page of an account-holder ------------------------------------------------


def test_the_home_page_lists_my_open_follow_ups_with_the_overdue_ones_marked(
    account_holder_client: Client, account_holder: User
) -> None:
    interaction = InteractionFactory(
        recorded_by=account_holder, organisation=OrganisationFactory(name="Zeist")
    )
    late = FollowUpFactory(
        interaction=interaction, description="Te laat", due_on=today() - datetime.timedelta(days=1)
    )
    upcoming = FollowUpFactory(
        interaction=interaction, description="Straks", due_on=today() + datetime.timedelta(days=7)
    )
    FollowUpFactory(interaction=interaction, description="Al gedaan", done_on=today())
    FollowUpFactory(description="Van een ander", owner=UserFactory(role=Role.STAFF))
    body = account_holder_client.get(reverse("home"), headers=EN).content.decode()
    assert "Te laat" in body and "Straks" in body and "Zeist" in body
    assert "Al gedaan" not in body and "Van een ander" not in body
    # Overdue is said in words, once, on the late row.
    rows = dict(re.findall(r'<li [^>]*id="follow-up-(\d+)">(.*?)</li>', body, re.DOTALL))
    assert ">overdue</strong>" in rows[str(late.pk)]
    assert "overdue" not in rows[str(upcoming.pk)]
    # A real form that works without JavaScript, enhanced with htmx.
    for follow_up in (late, upcoming):
        row = rows[str(follow_up.pk)]
        assert f'method="post" action="{done_url(follow_up)}"' in row
        assert f'hx-post="{done_url(follow_up)}"' in row
        assert 'name="csrfmiddlewaretoken"' in row and 'type="submit"' in row
        assert 'name="next" value="/"' in row


def test_an_account_holder_without_follow_ups_is_told_so(
    account_holder_client: Client, db: None
) -> None:
    body = account_holder_client.get(reverse("home"), headers=EN).content.decode()
    assert "No open follow-ups." in body


@pytest.mark.parametrize("rows", [2, 12])
def test_the_edit_page_keeps_a_constant_number_of_queries(
    account_holder_client: Client, db: None, rows: int, django_assert_max_num_queries
) -> None:
    """Review of issue #3: every follow-up row queried the list of owners."""
    interaction = InteractionFactory()
    FollowUpFactory.create_batch(rows, interaction=interaction)
    url = reverse("partners:interaction_edit", args=[interaction.pk])
    with django_assert_max_num_queries(14):
        response = account_holder_client.get(url)
    assert response.status_code == 200


def test_a_double_submitted_contact_moment_is_recorded_once(
    account_holder_client: Client, db: None
) -> None:
    """A double click or a retried post carries the same form key: one moment."""
    organisation = OrganisationFactory()
    form_page = account_holder_client.get(
        reverse("partners:interaction_create"), {"organisation": organisation.pk}
    )
    key = re.search(r'name="submission_key" value="([0-9a-f-]{36})"', form_page.content.decode())
    assert key is not None
    data = {
        "organisation": organisation.pk,
        "occurred_on": "2026-11-01",
        "summary": "Overleg",
        "agreements": "",
        "submission_key": key.group(1),
        "follow_ups-TOTAL_FORMS": "0",
        "follow_ups-INITIAL_FORMS": "0",
    }
    first = account_holder_client.post(reverse("partners:interaction_create"), data)
    second = account_holder_client.post(reverse("partners:interaction_create"), data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Interaction.objects.count() == 1
