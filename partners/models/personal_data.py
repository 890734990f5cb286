"""The accountability log of personal data: who exported, imported or erased it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PersonalDataLog(models.Model):
    """Who exported, imported or erased personal data, and when (AVG accountability)."""

    class Action(models.TextChoices):
        EXPORT = "export", _("Export")
        IMPORT = "import", _("Import")
        SUBJECT_EXPORT = "subject_export", _("Export of one person's data")
        ERASURE = "erasure", _("Erasure")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="personal_data_logs",
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    description = models.CharField(_("description"), max_length=300)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("personal data log entry")
        verbose_name_plural = _("personal data log")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.user} {self.get_action_display()}"
