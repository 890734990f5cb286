from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who logs in: partner user, province staff or administrator.

    Roles are Django groups (portal/roles.py says what each may do). A partner user
    acts on behalf of exactly one organisation; staff users usually have none.
    """

    organisation = models.ForeignKey(
        "partners.Organisation",
        verbose_name=_("organisation"),
        help_text=_("The organisation a partner user acts for."),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    phone = models.CharField(
        _("telephone number"),
        max_length=30,
        blank=True,
        help_text=_("Shown to partners when this person is their account-holder."),
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        swappable = "AUTH_USER_MODEL"

    def __str__(self) -> str:
        return self.get_full_name() or self.username
