import re
from io import StringIO

from django.contrib.auth import authenticate
from django.core.management import call_command

from partners.models import Organisation
from portal.models import User
from portal.roles import Role, primary_role


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
    assert partner.organisation.cbs_code == "GM0632"
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
