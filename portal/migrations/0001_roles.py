"""The four role groups with their permissions: the composition root's grant.

The mapping is frozen here on purpose: a later change of portal/grants.py comes with
a migration of its own, and tests/portal/test_roles.py checks that the two agree.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMISSIONS = {
    "partner": [
        "partners.view_contact",
        "partners.view_organisation",
        "thermometer.view_improvementaction",
        "thermometer.view_result",
    ],
    "staff": [
        "partners.export_contacts",
        "partners.view_accountholder",
        "partners.view_contact",
        "partners.view_interaction",
        "partners.view_organisation",
        "thermometer.view_answer",
        "thermometer.view_improvementaction",
        "thermometer.view_result",
        "thermometer.view_unpublished_result",
    ],
    "account-holder": [
        "partners.add_contact",
        "partners.add_followup",
        "partners.add_interaction",
        "partners.change_contact",
        "partners.change_followup",
        "partners.change_interaction",
        "partners.export_contacts",
        "partners.view_accountholder",
        "partners.view_contact",
        "partners.view_interaction",
        "partners.view_organisation",
        "thermometer.view_answer",
        "thermometer.view_improvementaction",
        "thermometer.view_result",
        "thermometer.view_unpublished_result",
    ],
    "beheerder": [
        "partners.add_accountholder",
        "partners.add_contact",
        "partners.add_followup",
        "partners.add_interaction",
        "partners.add_organisation",
        "partners.change_accountholder",
        "partners.change_contact",
        "partners.change_followup",
        "partners.change_interaction",
        "partners.change_organisation",
        "partners.erase_contact",
        "partners.export_contacts",
        "partners.import_contacts",
        "partners.view_accountholder",
        "partners.view_contact",
        "partners.view_interaction",
        "partners.view_organisation",
        "thermometer.add_improvementaction",
        "thermometer.add_invitation",
        "thermometer.add_result",
        "thermometer.add_round",
        "thermometer.change_improvementaction",
        "thermometer.change_invitation",
        "thermometer.change_round",
        "thermometer.hide_answer",
        "thermometer.run_aggregation",
        "thermometer.view_answer",
        "thermometer.view_improvementaction",
        "thermometer.view_invitation",
        "thermometer.view_result",
        "thermometer.view_round",
        "thermometer.view_unpublished_result",
    ],
}


def create_all_permissions(apps) -> None:
    """Permissions are normally made after all migrations ran (post_migrate); make them
    now so that the groups can refer to them on a fresh database."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def create_roles(apps, schema_editor):
    create_all_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            [
                Permission.objects.get(content_type__app_label=app, codename=codename)
                for app, codename in (dotted.split(".") for dotted in codenames)
            ]
        )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("lib", "0001_initial"),
        ("partners", "0002_search"),
        ("thermometer", "0002_questionnaires_v1"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
