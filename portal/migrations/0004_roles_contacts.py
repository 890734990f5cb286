"""Grant the roles the permissions of the contacts, account-holders and contact moments.

Frozen copy of portal/roles.py at this point; tests/portal/test_roles.py checks that
the database and roles.py agree.
"""

from django.db import migrations

from portal.migrations._grants import create_all_permissions

READ_REGISTER = ["partners.view_organisation", "partners.view_contact"]
STAFF = READ_REGISTER + [
    "partners.view_accountholder",
    "partners.view_interaction",
    "partners.export_contacts",
]
ACCOUNT_HOLDER = STAFF + [
    "partners.add_contact",
    "partners.change_contact",
    "partners.add_interaction",
    "partners.change_interaction",
    "partners.add_followup",
    "partners.change_followup",
]
ROLE_PERMISSIONS = {
    "partner": READ_REGISTER,
    "staff": STAFF,
    "account-holder": ACCOUNT_HOLDER,
    "beheerder": ACCOUNT_HOLDER
    + [
        "partners.add_organisation",
        "partners.change_organisation",
        "partners.add_accountholder",
        "partners.change_accountholder",
        "partners.import_contacts",
        "partners.erase_contact",
    ],
}


def grant(apps, schema_editor):
    create_all_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = [
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in (dotted.split(".") for dotted in codenames)
        ]
        group.permissions.set(permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name__in=ROLE_PERMISSIONS):
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="partners", codename__in=[
                "view_organisation", "add_organisation", "change_organisation",
            ]).filter(
                codename__in=["view_organisation"]
                + (["add_organisation", "change_organisation"] if group.name == "beheerder" else [])
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0003_user_job_title_user_phone"),
        ("partners", "0002_contacts_account_holders_interactions"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
