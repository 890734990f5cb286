from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ThermometerConfig(AppConfig):
    name = "thermometer"
    verbose_name = _("Collaboration thermometer")
