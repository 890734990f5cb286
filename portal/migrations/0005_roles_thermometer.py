"""Administrators run thermometer rounds: rounds and invitations (portal/roles.py)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

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


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group = Group.objects.get(name=name)
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="thermometer", codename__in=codenames
            )
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        Group.objects.get(name=name).permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="thermometer", codename__in=codenames
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0004_roles_contacts"),
        ("thermometer", "0002_questionnaires_v1"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
