from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ThermometerConfig(AppConfig):
    name = "thermometer"
    verbose_name = _("Collaboration thermometer")

    def ready(self) -> None:
        # Registered in every process, the worker's included: it builds the files.
        from thermometer import exports

        exports.register()
