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
    assert User.objects.count() == 4
