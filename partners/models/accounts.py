"""Partner accounts: which organisation a partner user acts for."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from partners.models.organisations import Organisation


class PartnerAccount(models.Model):
    """A user who logs in on behalf of a partner organisation.

    The user model belongs to the kernel and knows no app; the link to an organisation
    lives here, with the register. A user has at most one.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="partner_account",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        help_text=_("The organisation a partner user acts for."),
        on_delete=models.PROTECT,
        related_name="partner_accounts",
    )

    class Meta:
        verbose_name = _("partner account")
        verbose_name_plural = _("partner accounts")

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation}"
