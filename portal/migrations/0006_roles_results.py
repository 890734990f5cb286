"""Thermometer results: who reads them, hides open answers and records actions
(portal/roles.py)."""

from django.db import migrations

from portal.migrations._grants import added_permissions

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


grant, revoke = added_permissions("thermometer", GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0005_roles_thermometer"),
        ("thermometer", "0003_results"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
