"""Thermometer results: who reads them, hides open answers and records actions
(portal/roles.py)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PUBLISHED = ["view_result", "view_improvementaction"]
STAFF = [*PUBLISHED, "view_unpublished_result", "view_answer"]
GRANTS = {
    "partner": PUBLISHED,
    "staff": STAFF,
    "account-holder": STAFF,
    "beheerder": [
        *STAFF,
        "run_aggregation",
        "add_result",
        "hide_answer",
        "add_improvementaction",
        "change_improvementaction",
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
        ("portal", "0005_roles_thermometer"),
        ("thermometer", "0003_results"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
