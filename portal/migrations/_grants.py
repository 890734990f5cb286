"""Helpers of the role migrations (not a migration: the loader skips names with "_").

Each role migration freezes its own mapping of role → permission codenames; these
functions only apply one, using the historical models they are given.
"""

from collections.abc import Callable, Mapping, Sequence

from django.contrib.auth.management import create_permissions

RunPythonCode = Callable[[object, object], None]


def create_all_permissions(apps) -> None:
    """Permissions are normally made after all migrations ran (post_migrate); make
    them now so that groups can refer to them on a fresh database."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def added_permissions(
    app_label: str, grants: Mapping[str, Sequence[str]]
) -> tuple[RunPythonCode, RunPythonCode]:
    """RunPython code that adds the `grants` (role → codenames of `app_label`) to the
    existing role groups, and its reverse that removes them."""

    def permissions(apps, codenames: Sequence[str]):
        Permission = apps.get_model("auth", "Permission")
        return Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)

    def grant(apps, schema_editor) -> None:
        create_all_permissions(apps)
        Group = apps.get_model("auth", "Group")
        for name, codenames in grants.items():
            Group.objects.get(name=name).permissions.add(*permissions(apps, codenames))

    def revoke(apps, schema_editor) -> None:
        Group = apps.get_model("auth", "Group")
        for name, codenames in grants.items():
            Group.objects.get(name=name).permissions.remove(*permissions(apps, codenames))

    return grant, revoke
