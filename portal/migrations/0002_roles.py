"""Create the four role groups with their permissions (see portal/roles.py).

The mapping is frozen here on purpose: a later change of roles.py comes with its own
migration, and tests/portal/test_roles.py checks that the two agree.
"""

from django.db import migrations

from portal.migrations._grants import create_all_permissions

ROLE_PERMISSIONS = {
    "partner": ["partners.view_organisation"],
    "staff": ["partners.view_organisation"],
    "account-holder": ["partners.view_organisation"],
    "beheerder": [
        "partners.view_organisation",
        "partners.add_organisation",
        "partners.change_organisation",
    ],
}


def create_roles(apps, schema_editor):
    create_all_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_initial"),
        ("partners", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
