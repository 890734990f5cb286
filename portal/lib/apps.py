from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KernelConfig(AppConfig):
    """The kernel every app shares (portal/lib/): it imports no app."""

    name = "portal.lib"
    label = "lib"
    verbose_name = _("Portal")

    def ready(self) -> None:
        # The export tasks live in a sub-package Celery's autodiscovery does not look in.
        from portal.lib.exports import tasks  # noqa: F401
