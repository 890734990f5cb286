"""Administrators run thermometer rounds: rounds and invitations (portal/roles.py)."""

from django.db import migrations

from portal.migrations._grants import added_permissions

GRANTS = {
    "beheerder": [
        "view_round",
        "add_round",
        "change_round",
        "view_invitation",
        "add_invitation",
        "change_invitation",
    ],
}


grant, revoke = added_permissions("thermometer", GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0004_roles_contacts"),
        ("thermometer", "0002_questionnaires_v1"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
