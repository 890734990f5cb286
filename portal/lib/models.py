"""The kernel's models: the user, and the export jobs every app's datasets run as.

The user model knows no app: a partner user's organisation is a `partners` model
(PartnerAccount), so the kernel never imports an app.
"""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.lib.exports.models import ExportJob

__all__ = ["ExportJob", "User"]


class User(AbstractUser):
    """A person who logs in: partner user, province staff or administrator.

    Roles are Django groups (portal/lib/roles.py asks them, portal/grants.py says what
    each may do).
    """

    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    phone = models.CharField(
        _("telephone number"),
        max_length=30,
        blank=True,
        help_text=_("Shown to partners when this person is their account-holder."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        swappable = "AUTH_USER_MODEL"

    def __str__(self) -> str:
        return self.get_full_name() or self.username
