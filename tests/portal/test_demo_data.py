import re
from io import StringIO

from django.contrib.auth import authenticate
from django.core.management import call_command

from partners.models import Organisation
from portal.lib.models import User
from portal.lib.roles import Role, primary_role


def test_the_demo_command_loads_organisations_and_prints_working_logins(db: None) -> None:
    out = StringIO()
    call_command("load_demo_data", stdout=out)
    output = out.getvalue()
    logins = re.findall(r"^\s+(\S+)\s+(\S+)\s+(\S+)$", output, re.MULTILINE)
    roles = {role for role, _, _ in logins}
    assert roles == {r.value for r in Role}
    for role, username, password in logins:
        user = authenticate(username=username, password=password)
        assert user is not None, username
        assert primary_role(user) == Role(role)
        assert "(fictief)" in user.get_full_name()
    partner = User.objects.get(username="partner-woerden")
    assert partner.partner_account.organisation.cbs_code == "GM0632"
    assert Organisation.objects.filter(kind="gemeente").count() == 27  # 26 + Vianen


def test_running_the_demo_command_twice_keeps_one_user_per_role(db: None) -> None:
    call_command("load_demo_data", stdout=StringIO())
    call_command("load_demo_data", stdout=StringIO())
    # The four logins plus five account-holder colleagues who cannot log in.
    assert User.objects.count() == 9
    assert User.objects.filter(password__startswith="!").count() == 5


def test_demo_data_has_contacts_and_account_holders_for_every_kind(db: None) -> None:
    from partners.models import AccountHolder, Contact

    call_command("load_demo_data", stdout=StringIO())
    kinds = set(Organisation.objects.active().values_list("kind", flat=True))
    assert set(Contact.objects.values_list("organisation__kind", flat=True)) == kinds
    assert {"provincie"} | set(
        AccountHolder.objects.current().values_list("organisation__kind", flat=True)
    ) == kinds
    for contact in Contact.objects.exclude(organisation__kind="provincie"):
        assert "(fictief)" in contact.name
    woerden = Organisation.objects.get(cbs_code="GM0632")
    scopes = set(
        AccountHolder.objects.current()
        .filter(organisation=woerden)
        .values_list("scope", "theme__name")
    )
    assert ("area", None) in scopes and ("theme", "Energie en klimaat") in scopes


def test_the_demo_partner_sees_their_contact_points_on_the_home_page(client, db: None) -> None:
    call_command("load_demo_data", stdout=StringIO())
    client.force_login(User.objects.get(username="partner-woerden"))
    body = client.get("/").content.decode()
    assert 'href="tel:' in body


def test_the_demo_has_published_rounds_whose_trend_shows_change(db: None) -> None:
    """Issue #5: two published rounds with different results, so the trend page shows
    change; and the 2020 baseline, imported from its counts."""
    from thermometer.models import Aggregation, ImprovementAction, Result, Round
    from thermometer.services import reports, trends

    call_command("load_demo_data", stdout=StringIO())

    published = list(trends.published_rounds())
    assert [r.name for r in published] == [
        "Samenwerkingsthermometer 2020 (nulmeting)",
        "Samenwerkingsthermometer 2024",
        "Samenwerkingsthermometer 2025",
    ]
    for survey_round in published:
        assert Result.objects.filter(round=survey_round, group="partners").count() == 9
        assert Aggregation.objects.get(round=survey_round).status == Aggregation.Status.DONE
    assert Aggregation.objects.get(round=published[0]).source == Aggregation.Source.IMPORT
    trend = {row.code: row for row in trends.trend_report("partners", published).rows}
    latest = trend["q1a"].points[-1]
    assert latest.cell.shown and latest.delta is not None and latest.delta > 0
    deltas = {code: row.points[-1].delta for code, row in trend.items() if code.startswith("q1b-")}
    assert len(deltas) == 8 and all(delta is not None for delta in deltas.values())
    assert [code for code, delta in deltas.items() if delta < 0] == ["q1b-flexibel"]
    actions = ImprovementAction.objects.values_list("round__name", "status")
    assert sorted(status for name, status in actions if name.endswith("2024")) == [
        "done",
        "done",
        "in_progress",
        "in_progress",
    ]
    assert sum(1 for name, _status in actions if name.endswith("2025")) == 2
    assert Round.objects.get(name="Samenwerkingsthermometer 2026").status == "open"
    # Every published round shows a response rate per group, and they differ.
    rates = {
        survey_round.name: {
            rate.group: rate.rate for rate in reports.round_report(survey_round).rates
        }
        for survey_round in published
    }
    assert all(rate is not None for per_group in rates.values() for rate in per_group.values())
    assert rates["Samenwerkingsthermometer 2024"] != rates["Samenwerkingsthermometer 2025"]


def test_loading_the_demo_twice_keeps_the_rounds_and_their_results(db: None) -> None:
    from thermometer.models import ImprovementAction, Response, Result, Round

    def state() -> tuple:
        return (
            list(Round.objects.order_by("name").values_list("name", "status")),
            Response.objects.count(),
            ImprovementAction.objects.count(),
            list(
                Result.objects.order_by("round__name", "group", "code").values_list(
                    "round__name", "group", "code", "respondents", "mean"
                )
            ),
        )

    call_command("load_demo_data", stdout=StringIO())
    first = state()
    call_command("load_demo_data", stdout=StringIO())

    assert state() == first
