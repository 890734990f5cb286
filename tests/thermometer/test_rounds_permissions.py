"""Who may open the round screens: administrators only (rows for the permission matrix)."""

from django.test import Client
from django.urls import resolve, reverse

import pytest

from tests.factories import RoundFactory

LOGIN = "302→login"
POST_DATA = {"name": ""}  # as in tests/portal/test_permission_matrix.py

# fmt: off
EXPECTED = {
    #                                anonymous outsider partner staff acc-holder beheerder
    "thermometer:round_list":       {"GET":  (LOGIN, 403, 403, 403, 403, 200),
                                     "POST": (405,   405, 405, 405, 405, 405)},
    "thermometer:round_create":     {"GET":  (LOGIN, 403, 403, 403, 403, 200),
                                     "POST": (LOGIN, 403, 403, 403, 403, 200)},
    "thermometer:round_detail":     {"GET":  (LOGIN, 403, 403, 403, 403, 200),
                                     "POST": (405,   405, 405, 405, 405, 405)},
    "thermometer:round_edit":       {"GET":  (LOGIN, 403, 403, 403, 403, 200),
                                     "POST": (LOGIN, 403, 403, 403, 403, 200)},
    # The beheerder's POST has no action: the page comes back with the error.
    "thermometer:round_transition": {"GET":  (405,   405, 405, 405, 405, 405),
                                     "POST": (LOGIN, 403, 403, 403, 403, 200)},
}
# fmt: on


def outcome(response) -> object:
    if response.status_code == 302:
        return "302→" + resolve(response["Location"].split("?")[0]).view_name
    return response.status_code


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_only_administrators_reach_the_round_screens(
    name: str,
    method: str,
    client: Client,
    outsider_client: Client,
    partner_client: Client,
    staff_client: Client,
    account_holder_client: Client,
    admin_client_portal: Client,
) -> None:
    survey_round = RoundFactory(status="draft", name="Ronde")
    url = reverse(
        name,
        args=[survey_round.pk]
        if name not in {"thermometer:round_list", "thermometer:round_create"}
        else [],
    )
    clients = [
        client,
        outsider_client,
        partner_client,
        staff_client,
        account_holder_client,
        admin_client_portal,
    ]
    actual = tuple(
        outcome(c.get(url) if method == "GET" else c.post(url, POST_DATA)) for c in clients
    )
    assert actual == EXPECTED[name][method]
    survey_round.refresh_from_db()
    assert (survey_round.name, survey_round.status) == ("Ronde", "draft")
