"""Who gets what on every URL of the portal: the permission matrix.

MATRIX below is the specification. Every URL pattern of the project must have a row,
so a new screen cannot ship without someone deciding who may open it; a row for a URL
that no longer exists fails too. The Django admin under settings.ADMIN_URL is checked
as one group at the bottom: it is for emergencies and closed to every portal role.
"""

from django.conf import settings
from django.test import Client
from django.urls import reverse

import pytest

from partners.models import Organisation
from portal.lib.models import User
from tests.conftest import ROLES
from tests.factories import OrganisationFactory, UserFactory
from tests.urlwalk import Outcome, Redirect, Route, all_routes, example_url_values, outcome

LOGIN = Redirect("login")
HOME = Redirect("home")
INTERACTION = Redirect("partners:interaction_detail")
EXPORT_STATUS = Redirect("exports:status")
ROUND = Redirect("thermometer:round_detail")
SURVEY = Redirect("thermometer:survey_start")
INVALID = Redirect("thermometer:link_invalid")
RESULTS = Redirect("thermometer:results_detail")

# Data for every POST: a bound but invalid form. An empty POST would leave the
# `Form(request.POST or None)` views with an unbound form, which proves nothing.
POST_DATA = {"name": ""}

# fmt: off
MATRIX: dict[str, dict[str, tuple[Outcome, ...]]] = {
    #            anonymous  outsider   partner    staff      acc-holder beheerder
    "home": {
        "GET":  (LOGIN,     200,       200,       200,       200,       200),
        "POST": (405,       405,       405,       405,       405,       405),
    },
    "accessibility": {
        "GET":  (200,       200,       200,       200,       200,       200),
        "POST": (405,       405,       405,       405,       405,       405),
    },
    "healthz": {
        "GET":  (200,       200,       200,       200,       200,       200),
        "POST": (405,       405,       405,       405,       405,       405),
    },
    "readyz": {
        "GET":  (200,       200,       200,       200,       200,       200),
        "POST": (405,       405,       405,       405,       405,       405),
    },
    # redirect_authenticated_user=True: a logged-in user goes on to the home page.
    "login": {
        "GET":  (200,       HOME,      HOME,      HOME,      HOME,      HOME),
        "POST": (200,       HOME,      HOME,      HOME,      HOME,      HOME),
    },
    # Logging out changes state, so Django's LogoutView only accepts POST.
    "logout": {
        "GET":  (405,       405,       405,       405,       405,       405),
        "POST": (LOGIN,     LOGIN,     LOGIN,     LOGIN,     LOGIN,     LOGIN),
    },
    # Django's set_language redirects a GET (to ?next=, the referrer or "/") without
    # setting the language; only a POST sets the cookie (tests/portal/test_security.py).
    "set_language": {
        "GET":  (HOME,      HOME,      HOME,      HOME,      HOME,      HOME),
        "POST": (HOME,      HOME,      HOME,      HOME,      HOME,      HOME),
    },
    "partners:organisation_list": {
        "GET":  (LOGIN,     403,       200,       200,       200,       200),
        "POST": (405,       405,       405,       405,       405,       405),
    },
    "partners:organisation_detail": {
        "GET":  (LOGIN,     403,       200,       200,       200,       200),
        "POST": (405,       405,       405,       405,       405,       405),
    },
    # The beheerder's POST is invalid on purpose: 200 is the form with its errors.
    "partners:organisation_create": {
        "GET":  (LOGIN,     403,       403,       403,       403,       200),
        "POST": (LOGIN,     403,       403,       403,       403,       200),
    },
    "partners:organisation_edit": {
        "GET":  (LOGIN,     403,       403,       403,       403,       200),
        "POST": (LOGIN,     403,       403,       403,       403,       200),
    },
    # Partners see shared contacts only (the example contact is shared).
    "partners:contact_list": {
        "GET":  (LOGIN,     403,       200,       200,       200,       200),
        "POST": (405,       405,       405,       405,       405,       405),
    },
    "partners:contact_detail": {
        "GET":  (LOGIN,     403,       200,       200,       200,       200),
        "POST": (405,       405,       405,       405,       405,       405),
    },
    "partners:contact_create": {
        "GET":  (LOGIN,     403,       403,       403,       200,       200),
        "POST": (LOGIN,     403,       403,       403,       200,       200),
    },
    "partners:contact_edit": {
        "GET":  (LOGIN,     403,       403,       403,       200,       200),
        "POST": (LOGIN,     403,       403,       403,       200,       200),
    },
    "partners:assignment_create": {
        "GET":  (LOGIN,     403,       403,       403,       403,       200),
        "POST": (LOGIN,     403,       403,       403,       403,       200),
    },
    "partners:assignment_edit": {
        "GET":  (LOGIN,     403,       403,       403,       403,       200),
        "POST": (LOGIN,     403,       403,       403,       403,       200),
    },
    "partners:whom_to_call": {
        "GET":  (LOGIN,     403,       200,       200,       200,       200),
        "POST": (405,       405,       405,       405,       405,       405),
    },
    # Only holders of assignments have partners of their own.
    "partners:my_partners": {
        "GET":  (LOGIN,     403,       403,       403,       200,       403),
        "POST": (405,       405,       405,       405,       405,       405),
    },
    "partners:search": {
        "GET":  (LOGIN,     403,       200,       200,       200,       200),
        "POST": (405,       405,       405,       405,       405,       405),
    },
    # Partners never see the interaction log.
    "partners:interaction_list": {
        "GET":  (LOGIN,     403,       403,       200,       200,       200),
        "POST": (405,       405,       405,       405,       405,       405),
    },
    "partners:interaction_create": {
        "GET":  (LOGIN,     403,       403,       403,       200,       200),
        "POST": (LOGIN,     403,       403,       403,       200,       200),
    },
    "partners:interaction_detail": {
        "GET":  (LOGIN,     403,       403,       200,       200,       200),
        "POST": (405,       405,       405,       405,       405,       405),
    },
    "partners:interaction_edit": {
        "GET":  (LOGIN,     403,       403,       403,       200,       200),
        "POST": (LOGIN,     403,       403,       403,       200,       200),
    },
    "partners:follow_up_done": {
        "GET":  (405,       405,       405,       405,       405,       405),
        "POST": (LOGIN,     403,       403,       403,       INTERACTION, INTERACTION),
    },
    "exports:create": {
        "GET":  (LOGIN,     403,       403,       200,       200,       200),
        "POST": (LOGIN,     403,       403,       200,       200,       200),
    },
    # The example export was requested by the beheerder: nobody else may see it.
    "exports:status": {
        "GET":  (LOGIN,     403,       403,       404,       404,       200),
        "POST": (405,       405,       405,       405,       405,       405),
    },
    # Not finished yet: the requester is sent to the progress page.
    "exports:download": {
        "GET":  (LOGIN,     403,       403,       404,       404,       EXPORT_STATUS),
        "POST": (405,       405,       405,       405,       405,       405),
    },
    # A POST without a file is a bad request (400) with the reason on the page.
    "partners:contact_import": {
        "GET":  (LOGIN,     403,       403,       403,       403,       200),
        "POST": (LOGIN,     403,       403,       403,       403,       400),
    },
    "partners:contact_personal_data": {
        "GET":  (LOGIN,     403,       403,       403,       403,       200),
        "POST": (405,       405,       405,       405,       405,       405),
    },
    "partners:contact_subject_export": {
        "GET":  (405,       405,       405,       405,       405,       405),
        "POST": (LOGIN,     403,       403,       403,       403,       200),
    },
    # Without the confirmation the erase form comes back with its error.
    "partners:contact_erase": {
        "GET":  (405,       405,       405,       405,       405,       405),
        "POST": (LOGIN,     403,       403,       403,       403,       200),
    },
    "partners:personal_data_log": {
        "GET":  (LOGIN,     403,       403,       403,       403,       200),
        "POST": (405,       405,       405,       405,       405,       405),
    },
    # Thermometer: administrators run rounds (the example round is open, with staff).
    "thermometer:round_list": {
        "GET":  (LOGIN,     403,       403,       403,       403,       200),
        "POST": (405,       405,       405,       405,       405,       405),
    },
    "thermometer:round_create": {
        "GET":  (LOGIN,     403,       403,       403,       403,       200),
        "POST": (LOGIN,     403,       403,       403,       403,       200),
    },
    "thermometer:round_detail": {
        "GET":  (LOGIN,     403,       403,       403,       403,       200),
        "POST": (405,       405,       405,       405,       405,       405),
    },
    "thermometer:round_edit": {
        "GET":  (LOGIN,     403,       403,       403,       403,       200),
        "POST": (LOGIN,     403,       403,       403,       403,       200),
    },
    # Without an action the detail page comes back with the error.
    "thermometer:round_transition": {
        "GET":  (405,       405,       405,       405,       405,       405),
        "POST": (LOGIN,     403,       403,       403,       403,       200),
    },
    "thermometer:round_invite": {
        "GET":  (405,       405,       405,       405,       405,       405),
        "POST": (LOGIN,     403,       403,       403,       403,       ROUND),
    },
    "thermometer:round_remind": {
        "GET":  (405,       405,       405,       405,       405,       405),
        "POST": (LOGIN,     403,       403,       403,       403,       ROUND),
    },
    # Results (the example round is published): partners read published results and
    # actions; staff also read open answers; administrators compute, hide, act, import.
    "thermometer:results_list": {
        "GET":  (LOGIN,     403,       200,       200,       200,       200),
        "POST": (405,       405,       405,       405,       405,       405),
    },
    "thermometer:trends": {
        "GET":  (LOGIN,     403,       200,       200,       200,       200),
        "POST": (405,       405,       405,       405,       405,       405),
    },
    "thermometer:results_detail": {
        "GET":  (LOGIN,     403,       200,       200,       200,       200),
        "POST": (405,       405,       405,       405,       405,       405),
    },
    "thermometer:results_progress": {
        "GET":  (LOGIN,     403,       200,       200,       200,       200),
        "POST": (405,       405,       405,       405,       405,       405),
    },
    "thermometer:results_aggregate": {
        "GET":  (405,       405,       405,       405,       405,       405),
        "POST": (LOGIN,     403,       403,       403,       403,       RESULTS),
    },
    "thermometer:results_print": {
        "GET":  (LOGIN,     403,       200,       200,       200,       200),
        "POST": (405,       405,       405,       405,       405,       405),
    },
    "thermometer:results_export": {
        "GET":  (LOGIN,     403,       200,       200,       200,       200),
        "POST": (405,       405,       405,       405,       405,       405),
    },
    "thermometer:results_answers": {
        "GET":  (LOGIN,     403,       403,       200,       200,       200),
        "POST": (405,       405,       405,       405,       405,       405),
    },
    # Without an answer to hide: a 400 with the reason.
    "thermometer:results_answer_hide": {
        "GET":  (405,       405,       405,       405,       405,       405),
        "POST": (LOGIN,     403,       403,       403,       403,       400),
    },
    # Without a file format: a 400 with the reason (a valid one goes to the export's progress).
    "thermometer:results_answers_export": {
        "GET":  (405,       405,       405,       405,       405,       405),
        "POST": (LOGIN,     403,       403,       400,       400,       400),
    },
    "thermometer:results_action_create": {
        "GET":  (LOGIN,     403,       403,       403,       403,       200),
        "POST": (LOGIN,     403,       403,       403,       403,       200),
    },
    "thermometer:action_detail": {
        "GET":  (LOGIN,     403,       200,       200,       200,       200),
        "POST": (405,       405,       405,       405,       405,       405),
    },
    "thermometer:action_edit": {
        "GET":  (LOGIN,     403,       403,       403,       403,       200),
        "POST": (LOGIN,     403,       403,       403,       403,       200),
    },
    # As every import: a POST that imported nothing is a bad request (400) with the reasons.
    "thermometer:results_import": {
        "GET":  (LOGIN,     403,       403,       403,       403,       200),
        "POST": (LOGIN,     403,       403,       403,       403,       400),
    },
    "thermometer:results_import_template": {
        "GET":  (LOGIN,     403,       403,       403,       403,       200),
        "POST": (405,       405,       405,       405,       405,       405),
    },
    # Province staff fill in while logged in, without a personal link.
    "thermometer:staff_join": {
        "GET":  (LOGIN,     403,       403,       200,       200,       200),
        "POST": (LOGIN,     403,       403,       SURVEY,    SURVEY,    SURVEY),
    },
    # Unknown, expired and revoked links get the same answer, whoever asks.
    "thermometer:invitation_exchange": {
        "GET":  (INVALID,   INVALID,   INVALID,   INVALID,   INVALID,   INVALID),
        "POST": (405,       405,       405,       405,       405,       405),
    },
    "thermometer:link_invalid": {
        "GET":  (200,       200,       200,       200,       200,       200),
        "POST": (405,       405,       405,       405,       405,       405),
    },
    "thermometer:link_used": {
        "GET":  (200,       200,       200,       200,       200,       200),
        "POST": (405,       405,       405,       405,       405,       405),
    },
    # The survey pages follow the session's invitation, not the login: none here.
    "thermometer:survey_start": {
        "GET":  (403,       403,       403,       403,       403,       403),
        "POST": (405,       405,       405,       405,       405,       405),
    },
    "thermometer:survey_section": {
        "GET":  (403,       403,       403,       403,       403,       403),
        "POST": (403,       403,       403,       403,       403,       403),
    },
    "thermometer:survey_review": {
        "GET":  (403,       403,       403,       403,       403,       403),
        "POST": (405,       405,       405,       405,       405,       405),
    },
    "thermometer:survey_submit": {
        "GET":  (405,       405,       405,       405,       405,       405),
        "POST": (403,       403,       403,       403,       403,       403),
    },
    "thermometer:survey_done": {
        "GET":  (403,       403,       403,       403,       403,       403),
        "POST": (405,       405,       405,       405,       405,       405),
    },
}
# fmt: on


def portal_routes() -> dict[str, Route]:
    return {route.key: route for route in all_routes() if not route.is_admin}


@pytest.fixture
def url_values(partner_user: User, example_objects: dict[str, int]) -> dict[str, object]:
    # Not the partner's own organisation: the matrix pins that a partner may open the
    # page of any organisation in the register, not only their own.
    someone_elses = OrganisationFactory(name="Zeist", cbs_code="GM0355")
    assert partner_user.partner_account.organisation != someone_elses
    return example_url_values(someone_elses, example_objects)


# --- The matrix is complete ----------------------------------------------------------


def test_every_url_pattern_has_a_row_in_the_matrix() -> None:
    missing = sorted(set(portal_routes()) - set(MATRIX))
    assert not missing, (
        f"URL patterns without a row in the permission matrix: {missing}. Add a row for "
        "each to MATRIX in tests/portal/test_permission_matrix.py with the expected "
        "GET and POST outcome for every role (and give unnamed patterns a name)."
    )


def test_every_row_of_the_matrix_is_an_existing_url_pattern() -> None:
    stale = sorted(set(MATRIX) - set(portal_routes()))
    assert not stale, (
        f"The permission matrix has rows for URL names that no longer exist: {stale}. "
        "Remove or rename them in tests/portal/test_permission_matrix.py."
    )


def test_every_row_names_an_outcome_for_each_role_and_method() -> None:
    for name, row in MATRIX.items():
        assert set(row) == {"GET", "POST"}, name
        for method, outcomes in row.items():
            assert len(outcomes) == len(ROLES), f"{name} {method}"


def test_url_names_are_unique() -> None:
    """Two patterns with one name would share a row, and reverse() finds only one."""
    keys = [route.key for route in all_routes() if not route.is_admin]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    assert not duplicates, f"URL names used by more than one pattern: {duplicates}"


# --- The matrix holds --------------------------------------------------------------------


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_role_gets_the_expected_response(
    name: str, method: str, clients: dict[str, Client], url_values: dict[str, object]
) -> None:
    url = portal_routes()[name].url(url_values)
    actual = {}
    for role, client in clients.items():
        response = client.get(url) if method == "GET" else client.post(url, POST_DATA)
        actual[role] = outcome(response)
    assert actual == dict(zip(ROLES, MATRIX[name][method], strict=True))


@pytest.mark.parametrize("name", ["partners:organisation_create", "partners:organisation_edit"])
def test_an_administrator_posting_invalid_data_gets_the_form_back_with_errors(
    name: str, admin_client_portal: Client, url_values: dict[str, object]
) -> None:
    before = list(Organisation.objects.values())
    response = admin_client_portal.post(portal_routes()[name].url(url_values), POST_DATA)
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert list(Organisation.objects.values()) == before


def test_anonymous_users_are_sent_to_login_and_back(
    client: Client, url_values: dict[str, object]
) -> None:
    url = portal_routes()["partners:organisation_edit"].url(url_values)
    response = client.get(url)
    assert response["Location"] == f"{reverse('login')}?next={url}"


# --- The Django admin: closed to every portal role ------------------------------------


def admin_routes() -> list[Route]:
    return [route for route in all_routes() if route.is_admin]


def expected_in_admin(route: Route) -> Outcome:
    if route.name == "admin:login":
        # A logged-in user without is_staff sees the form with "not authorised".
        return 200
    if route.name == "admin:logout":
        return Redirect("admin:index")
    return Redirect("admin:login")


def test_the_admin_group_is_found() -> None:
    names = {route.name for route in admin_routes()}
    assert {"admin:index", "admin:login", "admin:partners_organisation_change"} <= names


@pytest.mark.parametrize("role", ROLES)
def test_the_admin_sends_every_portal_role_to_the_admin_login(
    role: str, clients: dict[str, Client], url_values: dict[str, object]
) -> None:
    client = clients[role]
    actual = {route.key: outcome(client.get(route.url(url_values))) for route in admin_routes()}
    assert actual == {route.key: expected_in_admin(route) for route in admin_routes()}


def test_a_superuser_does_reach_the_admin(client: Client, db: None) -> None:
    """The 302s above are about permissions, not a broken admin."""
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.get(f"/{settings.ADMIN_URL}").status_code == 200
    assert client.get(f"/{settings.ADMIN_URL}partners/organisation/").status_code == 200


def test_a_superuser_can_open_an_organisation_in_the_admin(
    client: Client, organisation: Organisation
) -> None:
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    change = f"/{settings.ADMIN_URL}partners/organisation/{organisation.pk}/change/"
    assert client.get(change).status_code == 200
